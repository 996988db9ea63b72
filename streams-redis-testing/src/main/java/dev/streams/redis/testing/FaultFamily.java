package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.AsyncStreamAdapter;
import dev.streams.ReconnectStrategy;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.StreamEvent;
import dev.streams.tck.EventRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server faults against a {@code redis-server} of each test's own, which the test kills (SIGKILL),
 * pauses (SIGSTOP/SIGCONT) and restarts on the same port: calls fail fast and come back (C4),
 * subscriptions come back with one {@code sync} (E7), the reconnect strategy is honoured (C1, E7),
 * no acknowledged write loses its event (O2), and the asynchronous API's stages fail and come back
 * the same way (A1). The dropped subscriber ({@code CLIENT KILL TYPE
 * pubsub}) is {@link SubscriberFamily#killedSubscriberReconnects}.
 */
abstract class FaultFamily extends KitFamily {

  private static final Logger LOG = LoggerFactory.getLogger(FaultFamily.class);
  /** Short, so that the outage bounds below stay small; generous enough for a loaded machine. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
  /** What "fail fast" allows beyond the configured timeout: scheduling on a loaded 2-core machine. */
  private static final Duration MARGIN = Duration.ofMillis(1500);


  FaultFamily(RedisBackendKit kit) {
    super(kit);
  }

  private StreamAdapter open(ReconnectStrategy strategy, int queueCapacity) {
    return open(server().endpoint().applyTo(StreamConfig.builder())
        .connectTimeout(CONNECT_TIMEOUT).commandTimeout(COMMAND_TIMEOUT)
        .reconnectStrategy(strategy).eventQueueCapacity(queueCapacity));
  }

  private StreamAdapter open() {
    return open(attempt -> ReconnectStrategy.retryAfter(Duration.ofMillis(100)), 10_000);
  }

  /** Runs a call that must fail with StreamConnectionException within the bound; returns it. */
  private static StreamConnectionException failsWithin(Duration bound, String what, Runnable call) {
    long start = System.nanoTime();
    Throwable failure = catchThrowable(call::run);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(failure).as(what).isInstanceOf(StreamConnectionException.class);
    assertThat(millis).as(what + " failed after %d ms, bound %s", millis, bound)
        .isLessThanOrEqualTo(bound.toMillis());
    LOG.info("{}: failed in {} ms: {}", what, millis, failure.getMessage());
    return (StreamConnectionException) failure;
  }

  /** Calls until one succeeds (bounded by WAIT); @return [ms to success, failed calls]. */
  private static long[] firstSuccess(Supplier<?> call) {
    long start = System.nanoTime();
    long deadline = start + WAIT.toNanos();
    long failures = 0;
    while (true) {
      try {
        call.get();
        return new long[] {TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), failures};
      } catch (StreamConnectionException e) {
        failures++;
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no call succeeded within " + WAIT + " after " + failures + " failures", e);
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new AssertionError(interrupted);
        }
      }
    }
  }

  /** A writer whose call failed waits a moment, as a caller would, instead of spinning through its writes. */
  private static void pace() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @DisplayName("E7 — crash and restart on the same port: calls fail fast, then succeed; three subscriptions come back with one sync each, then new events")
  void crashAndRestart() {
    StreamAdapter adapter = open();
    Map<StreamChannel, EventRecorder> logs = new HashMap<>();
    for (StreamChannel channel : List.of(StreamChannel.group("a"), StreamChannel.group("b"),
        StreamChannel.item("a", "x"))) {
      EventRecorder log = new EventRecorder("handler of " + channel);
      adapter.subscribe(channel, log);
      logs.put(channel, log);
    }
    adapter.set("a", "x", json("{\"v\":1}"));
    adapter.set("b", "y", json("{\"v\":1}"));
    logs.values().forEach(log -> log.awaitTypes("create"));

    server().kill();
    Duration bound = CONNECT_TIMEOUT.plus(MARGIN);
    // Several calls: the first ones may find pooled connections broken, later ones open new ones.
    for (int i = 0; i < 3; i++) {
      failsWithin(bound, "get during outage #" + i, () -> adapter.get("a", "x"));
      failsWithin(bound, "set during outage #" + i, () -> adapter.set("a", "z", json("{\"v\":2}")));
    }
    // Subscribing waits for the connection and for the confirmation.
    failsWithin(CONNECT_TIMEOUT.plus(COMMAND_TIMEOUT).plus(MARGIN), "subscribe during outage",
        () -> adapter.subscribe(StreamChannel.group("c"), event -> {}));

    server().restart();
    // A read, so that no write can be published before the subscriptions are back.
    long[] first = firstSuccess(() -> adapter.get("a", "x"));
    LOG.info("crash and restart: first successful call {} ms after the restart, {} failed call(s) before it",
        first[0], first[1]);
    long start = System.nanoTime();
    for (EventRecorder log : logs.values()) {
      await().atMost(WAIT).until(() -> log.types().contains(StreamEvent.SYNC));
    }
    LOG.info("crash and restart: sync seen by {} of {} handlers {} ms after the first successful call",
        logs.size(), logs.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    assertThat(adapter.get("a", "x")).map(d -> d.get("v").asInt()).isEmpty();

    adapter.set("a", "x", json("{\"v\":3}"));
    adapter.set("b", "y", json("{\"v\":3}"));
    // Exactly one sync per handler, also a moment later (no second announcement).
    for (EventRecorder log : logs.values()) {
      await().atMost(WAIT).during(Duration.ofMillis(300)).untilAsserted(() ->
          assertThat(log.types()).containsExactly("create", StreamEvent.SYNC, "create"));
    }
  }

  @Test
  @DisplayName("C4 — paused past the command timeout: calls fail naming the timeout within the bound; after SIGCONT everything works and nothing acknowledged is lost")
  void pausePastCommandTimeout() {
    StreamAdapter adapter = open();
    EventRecorder log = new EventRecorder("group handler");
    adapter.subscribe(StreamChannel.group("p"), log);
    adapter.set("p", "1", json("{\"v\":1}"));
    log.awaitTypes("create");

    server().pause();
    Duration bound = COMMAND_TIMEOUT.plus(MARGIN);
    try {
      for (int i = 0; i < 2; i++) {
        StreamConnectionException failure =
            failsWithin(bound, "get while paused #" + i, () -> adapter.get("p", "1"));
        assertThat(failure).hasMessageContaining(server().endpoint().address())
            .hasMessageContaining("commandTimeout");
      }
      // May still be applied when the server goes on: a failed write is "unknown", never "done".
      failsWithin(bound, "set while paused", () -> adapter.set("q", "1", json("{\"v\":1}")));
    } finally {
      server().resume();
    }

    long[] first = firstSuccess(() -> adapter.get("p", "1"));
    LOG.info("pause: first successful call {} ms after SIGCONT, {} failed call(s) before it", first[0], first[1]);
    assertThat(adapter.get("p", "1")).map(d -> d.get("v").asInt()).contains(1);
    adapter.set("p", "2", json("{\"v\":2}"));
    assertThat(adapter.get("p", "2")).map(d -> d.get("v").asInt()).contains(2);
    // The subscriber connection survived the pause: the new write arrives, no sync was needed.
    log.awaitTypes("create", "create");
  }

  /** Runs an asynchronous call whose stage must fail with StreamConnectionException within the bound. */
  private static void stageFailsWithin(Duration bound, String what, Supplier<CompletionStage<?>> call) {
    long start = System.nanoTime();
    CompletableFuture<?> stage = call.get().toCompletableFuture();
    Throwable failure = catchThrowable(() -> stage.get(bound.toMillis() + WAIT.toMillis(), TimeUnit.MILLISECONDS));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(failure).as(what).isInstanceOf(ExecutionException.class);
    assertThat(failure.getCause()).as(what).isInstanceOf(StreamConnectionException.class);
    assertThat(millis).as(what + " failed after %d ms, bound %s", millis, bound)
        .isLessThanOrEqualTo(bound.toMillis());
    LOG.info("{}: failed in {} ms: {}", what, millis, failure.getCause().getMessage());
  }

  @Test
  @DisplayName("A1 — the asynchronous API through faults: while the server is paused or down, stages fail with StreamConnectionException within the bound; afterwards calls succeed again")
  void asyncCallsThroughFaults() {
    StreamAdapter adapter = open();
    AsyncStreamAdapter async = adapter.async();
    async.set("f", "1", json("{\"v\":1}")).toCompletableFuture().join();

    server().pause();
    try {
      Duration bound = COMMAND_TIMEOUT.plus(MARGIN);
      stageFailsWithin(bound, "async get while paused", () -> async.get("f", "1"));
      stageFailsWithin(bound, "async set while paused", () -> async.set("f", "2", json("{}")));
    } finally {
      server().resume();
    }
    long[] afterPause = firstSuccess(() -> unwrapped(() -> async.get("f", "1")));
    LOG.info("async after pause: first success {} ms after SIGCONT, {} failed before it", afterPause[0], afterPause[1]);

    server().kill();
    Duration bound = CONNECT_TIMEOUT.plus(MARGIN);
    for (int i = 0; i < 2; i++) {
      stageFailsWithin(bound, "async get during outage #" + i, () -> async.get("f", "1"));
      stageFailsWithin(bound, "async send during outage #" + i,
          () -> async.send(StreamChannel.group("f"), StreamEvent.of("x", 1)));
    }
    server().restart();
    long[] afterRestart = firstSuccess(() -> unwrapped(() -> async.set("f", "3", json("{\"v\":3}"))));
    LOG.info("async after restart: first success {} ms after the restart, {} failed before it",
        afterRestart[0], afterRestart[1]);
    assertThat(async.get("f", "3").toCompletableFuture().join()).map(d -> d.get("v").asInt()).contains(3);
    // The blocking API too (a pooled connection from before the crash may fail first, as in Fault 1).
    firstSuccess(() -> adapter.get("f", "3"));
    assertThat(adapter.get("f", "3")).isPresent();
  }

  @Test
  @DisplayName("A1 — subscribes on their way when the server crashes: each stage fails with StreamConnectionException within the bound, and the subscription made before comes back with one sync, then new events")
  void pendingSubscribesThroughACrash() {
    StreamAdapter adapter = open();
    EventRecorder live = new EventRecorder("handler subscribed before the crash");
    adapter.subscribe(StreamChannel.group("live"), live);

    server().pause();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    try {
      // Several at once: the subscriber's connection holds them all unconfirmed when it is lost.
      for (int i = 0; i < 3; i++) {
        pending.add(adapter.async().subscribe(StreamChannel.group("pending" + i), event -> {}).toCompletableFuture());
      }
    } finally {
      server().kill();
    }
    Duration bound = CONNECT_TIMEOUT.plus(COMMAND_TIMEOUT).plus(MARGIN);
    for (int i = 0; i < pending.size(); i++) {
      CompletableFuture<?> stage = pending.get(i);
      stageFailsWithin(bound, "subscribe #" + i + " on its way through the crash", () -> stage);
    }

    server().restart();
    // A read first: a pooled connection from before the crash may fail once (as in crashAndRestart).
    firstSuccess(() -> adapter.get("live", "after"));
    await().atMost(WAIT).until(() -> live.types().contains(StreamEvent.SYNC));
    adapter.set("live", "after", json("{}"));
    live.awaitTypes(StreamEvent.SYNC, "create");
  }

  @Test
  @DisplayName("A1 — closing an adapter with subscribes on their way (server paused): close returns, each stage fails saying the adapter is closed")
  void closingWithPendingSubscribes() {
    StreamAdapter adapter = open();
    adapter.subscribe(StreamChannel.group("open"), event -> {});
    server().pause();
    try {
      List<CompletableFuture<?>> pending = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        pending.add(adapter.async().subscribe(StreamChannel.group("pending" + i), event -> {}).toCompletableFuture());
      }
      adapter.close();
      for (CompletableFuture<?> stage : pending) {
        Throwable failure = catchThrowable(() -> stage.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(failure).as("a subscribe on its way when the adapter closed")
            .isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("closed");
      }
    } finally {
      server().resume();
    }
  }

  /** Joins a stage, throwing its failure as the blocking call would (for firstSuccess). */
  private static Object unwrapped(Supplier<CompletionStage<?>> call) {
    try {
      return call.get().toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Test
  @DisplayName("C4 — opening against a paused server (TCP accepted, nothing answered) fails within connectTimeout plus a margin, however long commandTimeout is; with a password and a database too")
  void openingAgainstPausedServerIsBoundedByConnectTimeout() {
    // Loads the client's classes, so that the timing below measures the backend, not the JVM.
    provider().open(server().endpoint().applyTo(StreamConfig.builder()).build()).close();
    Duration connectTimeout = Duration.ofSeconds(1);
    StreamConfig.Builder options = server().endpoint().applyTo(StreamConfig.builder())
        .backend(provider().name()).connectTimeout(connectTimeout).commandTimeout(Duration.ofSeconds(20));
    server().pause();
    try {
      for (StreamConfig config : List.of(options.build(),
          options.password("Pw-" + UUID.randomUUID()).database(3).build())) {
        StreamConnectionException failure = failsWithin(connectTimeout.plus(MARGIN),
            "opening against a paused server", () -> provider().open(config).close());
        assertThat(failure).hasMessageContaining(server().endpoint().address());
      }
    } finally {
      server().resume();
    }
  }

  @Test
  @DisplayName("C1 — the reconnect strategy's delays separate the attempts; when it gives up, handlers get disconnected and calls fail with its reason")
  void reconnectStrategyHonoured() {
    List<long[]> decisions = new CopyOnWriteArrayList<>();
    List<Duration> delays = List.of(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(800));
    String reason = "gave up after " + delays.size() + " tries";
    ReconnectStrategy strategy = attempt -> {
      decisions.add(new long[] {attempt, System.nanoTime()});
      return attempt > delays.size()
          ? ReconnectStrategy.giveUp(reason)
          : ReconnectStrategy.retryAfter(delays.get(attempt - 1));
    };
    StreamAdapter adapter = open(strategy, 10_000);
    EventRecorder log = new EventRecorder("group handler");
    adapter.subscribe(StreamChannel.group("g"), log);
    adapter.set("g", "1", json("{\"v\":1}"));
    log.awaitTypes("create");

    server().kill();
    await().atMost(WAIT).until(() -> log.types().contains(StreamEvent.DISCONNECTED));
    assertThat(log.types()).containsExactly("create", StreamEvent.DISCONNECTED);
    assertThat(log.events().get(1).data().get("reason").asText()).isEqualTo(reason);

    // The first decision for each attempt number (a backend may ask once per connection).
    Map<Long, Long> firstAsked = new HashMap<>();
    for (long[] decision : decisions) {
      firstAsked.merge(decision[0], decision[1], Math::min);
    }
    assertThat(firstAsked).containsKeys(1L, 2L, 3L, 4L);
    List<Long> gaps = new ArrayList<>();
    for (int attempt = 1; attempt <= delays.size(); attempt++) {
      long gap = TimeUnit.NANOSECONDS.toMillis(firstAsked.get(attempt + 1L) - firstAsked.get((long) attempt));
      gaps.add(gap);
      long delay = delays.get(attempt - 1).toMillis();
      // At least the delay (less timer rounding), at most the delay plus one failed connect.
      assertThat(gap).as("gap after attempt %d, delay %d ms", attempt, delay)
          .isBetween(delay - 30, delay + CONNECT_TIMEOUT.plus(MARGIN).toMillis());
    }
    LOG.info("reconnect strategy: delays {} ms, observed gaps between attempts {} ms",
        delays.stream().map(Duration::toMillis).toList(), gaps);

    // Given up for good: a restarted server changes nothing, and every call says why.
    server().restart();
    assertThat(failsWithin(Duration.ofSeconds(1), "get after give-up", () -> adapter.get("g", "1")))
        .hasMessageContaining(server().endpoint().address()).hasMessageContaining(reason);
    assertThat(failsWithin(Duration.ofSeconds(1), "set after give-up", () -> adapter.set("g", "2", json("{}"))))
        .hasMessageContaining(reason);
    assertThat(failsWithin(Duration.ofSeconds(1), "subscribe after give-up",
        () -> adapter.subscribe(StreamChannel.group("h"), event -> {}))).hasMessageContaining(reason);
  }

  @Test
  @DisplayName("E7 — without any subscription, a strategy that gives up makes every later call fail with its reason")
  void strategyGivesUpOnTheCommandPath() {
    String reason = "no third try";
    List<Integer> asked = new CopyOnWriteArrayList<>();
    StreamAdapter adapter = open(attempt -> {
      asked.add(attempt);
      return attempt >= 3 ? ReconnectStrategy.giveUp(reason) : ReconnectStrategy.retryAfter(Duration.ofMillis(50));
    }, 10_000);
    adapter.set("g", "1", json("{}"));

    server().kill();
    long start = System.nanoTime();
    long deadline = start + WAIT.toNanos();
    int calls = 0;
    // A user who keeps calling: the backend tries again as the strategy says, until it gives up.
    while (true) {
      calls++;
      Throwable failure = catchThrowable(() -> adapter.get("g", "1"));
      assertThat(failure).isInstanceOf(StreamConnectionException.class);
      if (failure.getMessage().contains(reason)) {
        break;
      }
      assertThat(System.nanoTime()).as("gave up within %s", WAIT).isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    LOG.info("command path give-up: reason reported {} ms after the crash, at call {}, attempts asked {}",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), calls, asked);
    server().restart();
    assertThat(failsWithin(Duration.ofSeconds(1), "set after give-up", () -> adapter.set("g", "2", json("{}"))))
        .hasMessageContaining(server().endpoint().address()).hasMessageContaining(reason);
    assertThat(failsWithin(Duration.ofSeconds(1), "subscribe after give-up",
        () -> adapter.subscribe(StreamChannel.group("h"), event -> {}))).hasMessageContaining(reason);
  }

  @Test
  @DisplayName("O2 — 4 threads × 5,000 set with one pause: every acknowledged set is readable, and has its event at a subscriber that stayed connected")
  void writesUnderPause() throws Exception {
    int threads = 4;
    int perThread = 5_000;
    StreamAdapter writer = open();
    StreamAdapter reader = open(attempt -> ReconnectStrategy.retryAfter(Duration.ofMillis(100)), 100_000);
    Set<String> eventKeys = ConcurrentHashMap.newKeySet();
    AtomicInteger events = new AtomicInteger();
    AtomicInteger syncs = new AtomicInteger();
    reader.subscribe(StreamChannel.group("w"), event -> {
      if (event.isSync()) {
        syncs.incrementAndGet();
      } else {
        events.incrementAndGet();
        eventKeys.add(event.data().get("k").asText() + "=" + event.data().get("v").asInt());
      }
    });

    Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicReference<Throwable> unexpected = new AtomicReference<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            String id = "t" + thread + "-" + i;
            try {
              writer.set("w", id, json("{\"k\":\"" + id + "\",\"v\":" + i + "}"));
              acknowledged.put(id, i);
            } catch (StreamConnectionException e) {
              failed.incrementAndGet();
              pace();
            } catch (RuntimeException e) {
              unexpected.compareAndSet(null, e);
            }
            done.incrementAndGet();
          }
        }));
      }
      // Pause once, in the middle of the run, past the command timeout.
      await().atMost(WAIT).until(() -> done.get() >= threads * perThread / 4);
      server().pause();
      try {
        // Deliberately frozen this long: every writer's in-flight command must time out.
        Thread.sleep(COMMAND_TIMEOUT.plusMillis(500).toMillis());
      } finally {
        server().resume();
      }
      for (Future<?> future : futures) {
        future.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long writeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(unexpected.get()).isNull();
    assertThat(acknowledged.size() + failed.get()).isEqualTo(threads * perThread);
    assertThat(failed.get()).as("writes that failed during the pause").isPositive();

    Map<String, Integer> stored = new HashMap<>();
    for (ObjectNode document : writer.getGroup("w")) {
      stored.put(document.get("k").asText(), document.get("v").asInt());
    }
    for (Map.Entry<String, Integer> write : acknowledged.entrySet()) {
      assertThat(stored.get(write.getKey())).as("stored value of acknowledged %s", write.getKey())
          .isEqualTo(write.getValue());
    }
    // Every acknowledged write has its event; a failed write may have been applied with its event.
    await().atMost(WAIT).untilAsserted(() -> {
      List<String> missing = acknowledged.entrySet().stream().map(w -> w.getKey() + "=" + w.getValue())
          .filter(key -> !eventKeys.contains(key)).sorted().toList();
      assertThat(missing).as("acknowledged writes without their event (%d events, %d syncs, %d failed);"
          + " server log: %s", events.get(), syncs.get(), failed.get(), server().log()).isEmpty();
    });
    assertThat(syncs.get()).as("the subscriber stayed connected").isZero();
    // One event per applied write, acknowledged or not.
    await().atMost(WAIT).untilAsserted(() -> assertThat(events.get()).isEqualTo(stored.size()));
    LOG.info("writes under pause: {} acknowledged, {} failed ({} of them applied anyway), {} events, in {} ms",
        acknowledged.size(), failed.get(), stored.size() - acknowledged.size(), events.get(), writeMillis);
  }
}
