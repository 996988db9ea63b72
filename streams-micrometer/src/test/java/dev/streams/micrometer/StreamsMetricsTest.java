package dev.streams.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamEvent;
import dev.streams.Streams;
import dev.streams.query.Query;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.tck.MeterRegistryAssert;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each meter moves when it should, on the in-memory backend (the same code measures every backend). */
class StreamsMetricsTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  /** A store of its own: no other test's adapters share it. */
  private final StreamConfig config = StreamConfig.builder().backend("memory")
      .host("metrics-" + UUID.randomUUID()).build();
  private StreamAdapter adapter = Streams.open(config);
  private StreamsMetrics metrics = new StreamsMetrics(adapter, Tags.of("app", "test"));
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    metrics.close();
    adapter.close();
  }

  /** Holds a handler until the test lets it go (or gives up on it, bounded). */
  private void awaitRelease() {
    try {
      release.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10));
  }

  private long operations(String operation, String outcome, String exception) {
    return registry.get(StreamsMetrics.OPERATION)
        .tags("operation", operation, "outcome", outcome, "exception", exception,
            "backend", "memory", "app", "test")
        .timer().count();
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void everyOperationIsTimedWithItsOutcome() {
    metrics.bindTo(registry);

    adapter.set("users", "u1", Map.of("name", "Ann"));
    adapter.set("users", "u2", Map.of("name", "Bob"));
    adapter.get("users", "u1");
    adapter.getGroup("users");
    adapter.query("users", Query.all());
    adapter.delete("users", "u2");
    adapter.send(StreamChannel.group("users"), new StreamEvent("typing", null));
    adapter.clear("users");

    assertThat(operations("set", "success", "none")).isEqualTo(2);
    for (String operation : new String[] {"get", "getGroup", "query", "delete", "send", "clear"}) {
      assertThat(operations(operation, "success", "none")).as(operation).isEqualTo(1);
    }
    assertThat(registry.get(StreamsMetrics.OPERATION).tag("operation", "set").timer()
        .totalTime(TimeUnit.NANOSECONDS)).isPositive();
    MeterRegistryAssert.assertThat(registry)
        .hasTimerWithNameAndTags(StreamsMetrics.OPERATION, Tags.of("backend", "memory"));
  }

  @Test
  void aFailedOperationIsTimedAsAnErrorWithItsExceptionClass() {
    metrics.bindTo(registry);

    assertThatThrownBy(() -> adapter.set("a:b", "u1", Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> adapter.get("users", "")).isInstanceOf(IllegalArgumentException.class);

    assertThat(operations("set", "error", "IllegalArgumentException")).isEqualTo(1);
    assertThat(operations("get", "error", "IllegalArgumentException")).isEqualTo(1);
    assertThat(operations("set", "success", "none")).isZero();
  }

  @Test
  void groupReadsRecordHowManyItemsTheyRead() {
    metrics.bindTo(registry);
    for (int i = 0; i < 3; i++) {
      adapter.set("users", "u" + i, Map.of("n", i));
    }

    adapter.getGroup("users");
    adapter.query("users", Query.builder().where("n", 1).build());

    var getGroup = registry.get(StreamsMetrics.GROUP_READ).tag("operation", "getGroup").summary();
    assertThat(getGroup.count()).isEqualTo(1);
    assertThat(getGroup.totalAmount()).isEqualTo(3);
    // A query reads every item of the group, whatever it returns.
    var query = registry.get(StreamsMetrics.GROUP_READ).tag("operation", "query").summary();
    assertThat(query.totalAmount()).isEqualTo(3);
  }

  @Test
  void eventsAreCountedPerChannelKindWhenReceivedAndDelivered() {
    metrics.bindTo(registry);
    CountDownLatch delivered = new CountDownLatch(3);
    adapter.subscribe(StreamChannel.group("users"), event -> delivered.countDown());
    adapter.subscribe(StreamChannel.group("users"), event -> delivered.countDown());
    adapter.subscribe(StreamChannel.item("users", "u1"), event -> {
      delivered.countDown();
      throw new IllegalStateException("a handler that throws");
    });

    adapter.set("users", "u1", Map.of("name", "Ann"));

    eventually().until(() -> delivered.getCount() == 0);
    eventually().untilAsserted(() -> {
      // One message per channel, however many handlers it has.
      assertThat(counter(StreamsMetrics.EVENTS_RECEIVED, "channel", "group")).isEqualTo(1);
      assertThat(counter(StreamsMetrics.EVENTS_RECEIVED, "channel", "item")).isEqualTo(1);
      assertThat(counter(StreamsMetrics.EVENTS_DELIVERED, "channel", "group")).isEqualTo(2);
      assertThat(counter(StreamsMetrics.EVENTS_DELIVERED, "channel", "item")).isEqualTo(1);
      assertThat(registry.get(StreamsMetrics.HANDLER)
          .tags("channel", "group", "outcome", "success", "exception", "none").timer().count()).isEqualTo(2);
      assertThat(registry.get(StreamsMetrics.HANDLER)
          .tags("channel", "item", "outcome", "error", "exception", "IllegalStateException")
          .timer().count()).isEqualTo(1);
    });
    assertThat(registry.get(StreamsMetrics.SUBSCRIPTIONS).gauge().value()).isEqualTo(3);
  }

  @Test
  void aHandlerThatFallsBehindShowsInTheQueueGaugeThenInDroppedEventsAndAnOverflowSync()
      throws InterruptedException {
    adapter.close();
    adapter = Streams.open(config.toBuilder().eventQueueCapacity(3).build());
    metrics = new StreamsMetrics(adapter, Tags.of("app", "test"));
    metrics.bindTo(registry);
    CountDownLatch blocked = new CountDownLatch(1);
    adapter.subscribe(StreamChannel.group("chat"), event -> {
      blocked.countDown();
      awaitRelease();
    });

    adapter.send(StreamChannel.group("chat"), new StreamEvent("m", null));
    assertThat(blocked.await(20, TimeUnit.SECONDS)).isTrue();
    adapter.send(StreamChannel.group("chat"), new StreamEvent("m", null));
    adapter.send(StreamChannel.group("chat"), new StreamEvent("m", null));
    eventually().until(() -> registry.get(StreamsMetrics.EVENTS_QUEUED).gauge().value() == 2);
    assertThat(counter(StreamsMetrics.SYNC, "reason", "overflow", "channel", "group")).isZero();

    for (int i = 0; i < 5; i++) {
      adapter.send(StreamChannel.group("chat"), new StreamEvent("m", null));
    }

    // Capacity 3 with 2 queued: the 2nd and the 4th of the five find a full queue, drop its 3
    // entries (the first sync among them the second time) and queue a sync before themselves.
    assertThat(counter(StreamsMetrics.SYNC, "reason", "overflow", "channel", "group")).isEqualTo(2);
    assertThat(counter(StreamsMetrics.EVENTS_DROPPED, "channel", "group")).isEqualTo(6);
    assertThat(registry.get(StreamsMetrics.EVENTS_QUEUED).gauge().value()).isLessThanOrEqualTo(3);
    release.countDown();
    eventually().until(() -> registry.get(StreamsMetrics.EVENTS_QUEUED).gauge().value() == 0);
  }

  @Test
  void nothingIsRecordedOnceClosed() {
    metrics.bindTo(registry);
    adapter.set("users", "u1", Map.of());
    metrics.close();

    adapter.set("users", "u1", Map.of());

    assertThat(operations("set", "success", "none")).isEqualTo(1);
  }

  @Test
  void everyMeterIsTaggedWithTheBackendAndTheGivenTagsOnly() {
    metrics.bindTo(registry);
    adapter.set("users", "u1", Map.of());

    assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> {
      assertThat(meter.getId().getName()).startsWith("streams.").matches("[a-z.]+");
      assertThat(meter.getId().getTag("backend")).isEqualTo("memory");
      assertThat(meter.getId().getTag("app")).isEqualTo("test");
      assertThat(meter.getId().getTags()).extracting(tag -> tag.getKey())
          .isSubsetOf("backend", "app", "operation", "outcome", "exception", "channel", "reason");
    });
  }
}
