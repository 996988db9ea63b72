package dev.streams.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.streams.ReconnectStrategy;
import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.json.StreamJson;
import dev.streams.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;

/**
 * C4: waiting for a free pooled connection is not an outage. Only redis-jedis has a pool (Lettuce
 * multiplexes callers on one connection, where there is nothing to wait for), so this runs here and
 * not in a shared contract. The pool is made small, and its wait short, so that a healthy server
 * and a few callers make callers wait and some give up, on any machine.
 */
@DisplayName("redis-jedis: a wait for a pooled connection is not an outage")
class JedisPoolWaitTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static final int POOL = 2;
  private static final Duration POOL_WAIT = Duration.ofMillis(150);
  /** A reconnect gate closed by mistake would stay closed for the whole test. */
  private static final ReconnectStrategy SLOW_RETRY = attempt -> ReconnectStrategy.retryAfter(Duration.ofMinutes(5));

  private JedisStreamAdapter adapter;

  @BeforeEach
  void open() {
    redis.flushAll();
    StreamConfig config = redis.endpoint().applyTo(StreamConfig.builder())
        .backend(JedisStreamsProvider.NAME).reconnectStrategy(SLOW_RETRY).build();
    adapter = JedisStreamAdapter.open(new JedisSettings(config, POOL, POOL_WAIT));
  }

  @AfterEach
  void close() {
    adapter.close();
    redis.flushAll();
  }

  @Test
  @DisplayName("C4 — a call that finds every connection busy fails saying it waited for a free one and how long; the next call, once one is free, succeeds")
  void giveUpWaitingIsNotAnOutage() {
    adapter.set("g", "a", StreamJson.readObject("{}"));
    List<Connection> held = new ArrayList<>();
    try {
      for (int i = 0; i < POOL; i++) {
        held.add(adapter.connections().getConnection());
      }
      Throwable waited = catchThrowable(() -> adapter.get("g", "a"));
      assertThat(waited).isInstanceOf(StreamConnectionException.class)
          .hasMessage("Redis at " + redis.endpoint().address() + " failed while running GET: no free"
              + " connection within 150 ms (all " + POOL + " of this adapter's connections are busy"
              + " with other calls; the server was not found unreachable)");
    } finally {
      held.forEach(Connection::close);
    }
    // The reconnect strategy would keep a gate closed for minutes: the call must go through now.
    assertThat(adapter.get("g", "a")).isPresent();
  }

  @Test
  @DisplayName("C4 — 24 callers × 5 group reads on a pool of 2: every failure is a call's own wait for a connection, and every call after the load succeeds")
  void moreCallersThanConnections() throws Exception {
    for (int i = 0; i < 300; i++) {
      adapter.set("load", "i" + i, StreamJson.readObject("{\"n\":" + i + "}"));
    }
    int callers = 24;
    int rounds = 5;
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger gaveUpWaiting = new AtomicInteger();
    List<Throwable> otherFailures = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        done.add(pool.submit(() -> {
          for (int r = 0; r < rounds; r++) {
            try {
              assertThat(adapter.getGroup("load")).hasSize(300);
              succeeded.incrementAndGet();
            } catch (StreamConnectionException e) {
              if (e.getMessage().contains("no free connection within")) {
                gaveUpWaiting.incrementAndGet();
              } else {
                otherFailures.add(e);
              }
            }
          }
        }));
      }
      for (Future<?> future : done) {
        future.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(otherFailures).as("failures other than a wait for a connection").isEmpty();
    assertThat(succeeded.get() + gaveUpWaiting.get()).isEqualTo(callers * rounds);
    assertThat(succeeded.get()).isPositive();
    for (int i = 0; i < 10; i++) {
      assertThat(adapter.getGroup("load")).as("after the load").hasSize(300);
    }
    LoggerFactory.getLogger(JedisPoolWaitTest.class).info(
        "{} callers x {} reads on a pool of {}: {} succeeded, {} gave up waiting", callers, rounds, POOL,
        succeeded.get(), gaveUpWaiting.get());
  }
}
