package dev.streams.redis.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamAdapterProvider;
import dev.streams.json.StreamJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;

/**
 * Quick figures for a Redis backend on this machine, against a redis-server of its own on a free
 * loopback port: set and get per second at 1 and 64 concurrent callers, getGroup of 10,000 items,
 * and the latency from {@code set} to a handler on a second adapter. Not a benchmark: one short run,
 * for orders of magnitude. Each backend has a {@code main} that calls {@link #run}.
 */
public final class QuickFigures {

  private static final Duration PHASE = Duration.ofSeconds(3);
  private static final int GROUP_SIZE = 10_000;
  private static final int LATENCY_EVENTS = 2_000;

  private QuickFigures() {}

  /**
   * Measures and prints the figures.
   *
   * @param provider the backend
   * @throws Exception if a phase fails
   */
  public static void run(StreamAdapterProvider provider) throws Exception {
    try (RedisServerProcess server = RedisServerProcess.start()) {
      StreamConfig config = server.endpoint().applyTo(StreamConfig.builder())
          .backend(provider.name()).build();
      try (StreamAdapter writer = provider.open(config);
          StreamAdapter listener = provider.open(config)) {
        System.out.printf("%s quick figures: %s, %d cores, Java %s%n", provider.name(),
            server, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        ObjectNode data = StreamJson.readObject("{\"name\":\"Ann\",\"age\":30,\"tags\":[\"a\",\"b\"],\"active\":true}");
        for (int callers : new int[] {1, 64}) {
          throughput("set", callers, i -> writer.set("tp", "k" + (i % 10_000), data));
          throughput("get", callers, i -> writer.get("tp", "k" + (i % 10_000)));
        }
        groupRead(writer, data);
        eventLatency(writer, listener, data);
      }
    }
  }

  private static void throughput(String name, int callers, IntConsumer operation) throws Exception {
    run(callers, Duration.ofSeconds(1), operation);
    long ops = run(callers, PHASE, operation);
    System.out.printf(Locale.ROOT, "%-4s %2d caller(s): %,9.0f ops/s%n", name, callers,
        ops / (double) PHASE.toMillis() * 1000);
  }

  private static long run(int callers, Duration duration, IntConsumer operation) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < callers; t++) {
      int offset = t * 1_000_003;
      futures.add(pool.submit(() -> {
        int i = offset;
        while (System.nanoTime() < end) {
          operation.accept(i++);
          done.incrementAndGet();
        }
      }));
    }
    for (Future<?> future : futures) {
      future.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    return done.get();
  }

  private static void groupRead(StreamAdapter adapter, ObjectNode data) {
    for (int i = 0; i < GROUP_SIZE; i++) {
      adapter.set("big", String.format("item-%05d", i), data);
    }
    long[] millis = new long[15];
    for (int round = -3; round < millis.length; round++) {
      long start = System.nanoTime();
      int size = adapter.getGroup("big").size();
      if (size != GROUP_SIZE) {
        throw new IllegalStateException("getGroup returned " + size);
      }
      if (round >= 0) {
        millis[round] = (System.nanoTime() - start) / 1_000_000;
      }
    }
    Arrays.sort(millis);
    System.out.printf("getGroup of %,d items: p50 %d ms (min %d, max %d, %d runs)%n",
        GROUP_SIZE, millis[millis.length / 2], millis[0], millis[millis.length - 1], millis.length);
  }

  private static void eventLatency(StreamAdapter writer, StreamAdapter listener, ObjectNode data)
      throws InterruptedException {
    int warmUp = 200;
    long[] latencies = new long[LATENCY_EVENTS + warmUp];
    CountDownLatch received = new CountDownLatch(latencies.length);
    AtomicLong index = new AtomicLong();
    // Written here, read on the delivery thread: an atomic array makes that safe.
    AtomicLongArray sentAt = new AtomicLongArray(latencies.length);
    listener.subscribe(StreamChannel.group("lat"), event -> {
      long now = System.nanoTime();
      int i = event.data().get("n").asInt();
      latencies[i] = now - sentAt.get(i);
      index.incrementAndGet();
      received.countDown();
    });
    for (int i = 0; i < latencies.length; i++) {
      ObjectNode item = data.deepCopy().put("n", i);
      sentAt.set(i, System.nanoTime());
      writer.set("lat", "i" + (i % 100), item);
      // Paced, so the figure is latency and not queueing behind a burst.
      long until = System.nanoTime() + 500_000;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    }
    if (!received.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("only " + index.get() + " events arrived");
    }
    long[] measured = Arrays.copyOfRange(latencies, warmUp, latencies.length);
    Arrays.sort(measured);
    System.out.printf(Locale.ROOT,
        "event latency set -> handler on a second adapter (%,d events): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        measured.length, measured[measured.length / 2] / 1e6,
        measured[(int) (measured.length * 0.99)] / 1e6, measured[measured.length - 1] / 1e6);
  }
}
