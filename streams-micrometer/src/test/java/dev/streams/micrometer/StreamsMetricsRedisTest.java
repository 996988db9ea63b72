package dev.streams.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streams.ReconnectStrategy;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamEvent;
import dev.streams.StreamHealth;
import dev.streams.StreamObserver;
import dev.streams.Streams;
import dev.streams.redis.testing.RedisServerExtension;
import dev.streams.redis.server.RedisServerProcess;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reconnects and give-ups of both Redis backends show in the meters and in the health check,
 * against a real {@code redis-server} that the test kills; so do the batches they write.
 */
class StreamsMetricsRedisTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
  }

  private StreamAdapter open(String backend, RedisServerProcess server, ReconnectStrategy strategy) {
    StreamAdapter adapter = Streams.open(server.endpoint().applyTo(StreamConfig.builder())
        .backend(backend)
        .connectTimeout(Duration.ofSeconds(2))
        .commandTimeout(Duration.ofSeconds(2))
        .reconnectStrategy(strategy)
        .build());
    StreamsMetrics metrics = new StreamsMetrics(adapter);
    metrics.bindTo(registry);
    toClose.add(adapter);
    toClose.add(metrics);
    return adapter;
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis-jedis", "redis-lettuce"})
  void aRestartedServerCountsOneReconnectAndOneReconnectedSyncPerHandler(String backend) {
    RedisServerProcess server = redis.startServer();
    StreamAdapter adapter = open(backend, server,
        attempt -> ReconnectStrategy.retryAfter(Duration.ofMillis(100)));
    List<StreamEvent> events = new CopyOnWriteArrayList<>();
    adapter.subscribe(StreamChannel.group("users"), events::add);
    adapter.subscribe(StreamChannel.item("users", "u1"), events::add);
    assertThat(adapter.monitor().health()).satisfies(health -> {
      assertThat(health.status()).isEqualTo(StreamHealth.Status.UP);
      assertThat(health.subscriber()).isEqualTo(StreamHealth.Subscriber.CONNECTED);
      assertThat(health.backend()).isEqualTo(backend);
    });

    server.kill();
    eventually().untilAsserted(() ->
        assertThat(adapter.monitor().health().status()).isEqualTo(StreamHealth.Status.DOWN));
    server.restart();

    eventually().untilAsserted(() -> {
      assertThat(counter(StreamsMetrics.RECONNECTS, "backend", backend)).isEqualTo(1);
      assertThat(counter(StreamsMetrics.SYNC, "reason", "reconnected", "channel", "group")).isEqualTo(1);
      assertThat(counter(StreamsMetrics.SYNC, "reason", "reconnected", "channel", "item")).isEqualTo(1);
    });
    eventually().untilAsserted(() ->
        assertThat(adapter.monitor().health().status()).isEqualTo(StreamHealth.Status.UP));
    assertThat(counter(StreamsMetrics.GIVE_UPS, "backend", backend)).isZero();
    // Back to work: the same meters go on.
    adapter.set("users", "u1", Map.of("name", "Ann"));
    eventually().untilAsserted(() ->
        assertThat(counter(StreamsMetrics.EVENTS_RECEIVED, "channel", "item")).isEqualTo(1));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis-jedis", "redis-lettuce"})
  void aStrategyThatGivesUpCountsOneGiveUpAndTheHealthSaysWhy(String backend) {
    RedisServerProcess server = redis.startServer();
    StreamAdapter adapter = open(backend, server, attempt -> attempt > 2
        ? ReconnectStrategy.giveUp("three strikes")
        : ReconnectStrategy.retryAfter(Duration.ofMillis(100)));
    adapter.subscribe(StreamChannel.group("users"), event -> {});
    adapter.set("users", "u1", Map.of("name", "Ann"));

    server.kill();

    eventually().untilAsserted(() ->
        assertThat(counter(StreamsMetrics.GIVE_UPS, "backend", backend)).isEqualTo(1));
    StreamHealth health = adapter.monitor().health();
    assertThat(health.status()).isEqualTo(StreamHealth.Status.DOWN);
    assertThat(health.subscriber()).isEqualTo(StreamHealth.Subscriber.ENDED);
    assertThat(health.problem()).contains("three strikes");
    assertThat(counter(StreamsMetrics.RECONNECTS, "backend", backend)).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"redis-jedis", "redis-lettuce"})
  void everyWriteToTheStoreIsRecordedWithTheCommandsItCarried(String backend) {
    StreamAdapter adapter = open(backend, redis.startServer(),
        attempt -> ReconnectStrategy.retryAfter(Duration.ofMillis(100)));
    // What the backend reports, told to an observer of our own beside the meters.
    LongAdder writes = new LongAdder();
    LongAdder commands = new LongAdder();
    toClose.add(adapter.monitor().observe(new StreamObserver() {
      @Override
      public void commandsWritten(int written) {
        writes.increment();
        commands.add(written);
      }
    }));
    int calls = 200;

    // Concurrent calls on the asynchronous API: the backend coalesces them into shared writes.
    CompletableFuture.allOf(IntStream.range(0, calls)
        .mapToObj(i -> adapter.async().set("users", "u" + i, Map.of("n", i)).toCompletableFuture())
        .toArray(CompletableFuture[]::new)).join();

    eventually().untilAsserted(() -> {
      DistributionSummary summary = registry.get(StreamsMetrics.WRITE_BATCH).tag("backend", backend).summary();
      // Every set was written, at least one command each.
      assertThat(commands.sum()).isGreaterThanOrEqualTo(calls);
      assertThat(summary.count()).isPositive().isEqualTo(writes.sum());
      assertThat(summary.totalAmount()).isEqualTo((double) commands.sum());
    });
  }
}
