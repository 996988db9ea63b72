package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.ReconnectStrategy;
import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's code runs and does what the README says (on the memory backend, this module's). */
class ReadmeExamplesTest {

  private static StreamAdapter store(StreamConfig config) {
    return Streams.open(config);
  }

  private static String previousBackend;

  @BeforeAll
  static void chooseMemory() {
    // This module's tests also hold the README's third-party backend (com.example.mybackend), so
    // the examples' "the one backend on the classpath" needs naming here, as an application would.
    previousBackend = System.setProperty("streams.backend", "memory");
  }

  @AfterAll
  static void restoreBackendChoice() {
    if (previousBackend == null) {
      System.clearProperty("streams.backend");
    } else {
      System.setProperty("streams.backend", previousBackend);
    }
  }

  @BeforeEach
  void emptyTheStoresTheExamplesUse() {
    for (StreamConfig config : new StreamConfig[] {StreamConfig.fromEnvironment(),
        StreamConfig.builder().url("redis://localhost:6379/0").build()}) {
      try (StreamAdapter streams = store(config)) {
        streams.clear("users");
      }
    }
  }

  @Test
  void usageStoresTheUser() {
    ReadmeExamples.usage();
    try (StreamAdapter streams = store(StreamConfig.fromEnvironment())) {
      assertThat(streams.get("users", "user-123")).hasValueSatisfying(user ->
          assertThat(user.get("status").asText()).isEqualTo("active"));
    }
  }

  @Test
  void typedItemsRoundTripWithTheIdFilledIn() {
    assertThat(ReadmeExamples.typedItems()).contains(new ReadmeExamples.User(
        "user-123", "John", "john@example.com", "active", 1_700_000_000_000L));
  }

  @Test
  void asyncExampleWritesEveryOrderAndReadsOne() {
    assertThat(ReadmeExamples.async()).hasValueSatisfying(order ->
        assertThat(order.get("total").asInt()).isEqualTo(7));
    try (StreamAdapter streams = store(StreamConfig.fromEnvironment())) {
      assertThat(streams.getGroup("orders")).hasSize(100);
      streams.clear("orders");
    }
  }

  @Test
  void redisExampleStoresByUrl() {
    ReadmeExamples.redis();
    try (StreamAdapter streams = store(StreamConfig.builder().url("redis://localhost:6379/0").build())) {
      assertThat(streams.get("users", "user-123")).isPresent();
    }
  }

  @Test
  void metricsTimeTheSet() {
    assertThat(ReadmeExamples.metrics().get("streams.operation").tags("operation", "set",
        "backend", "memory", "outcome", "success").timer().count()).isEqualTo(1);
  }

  @Test
  void theClusterConfigurationNamesTheSeedsAndTheHashLayout() {
    StreamConfig config = ReadmeExamples.clusterConfiguration();
    assertThat(config.isCluster()).isTrue();
    assertThat(config.endpoint()).isEqualTo("cluster 10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000");
    assertThat(config.layout()).isEqualTo(dev.streams.StreamLayout.HASH);
  }

  @Test
  void configurationStartsFromTheEnvironmentAndAddsTheCodeOptions() {
    StreamConfig config = ReadmeExamples.configuration();
    assertThat(config.keyPrefix()).isEqualTo("myapp:stream:");
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.reconnectStrategy().decide(3))
        .isEqualTo(ReconnectStrategy.retryAfter(Duration.ofMillis(150)));
    assertThat(config.reconnectStrategy().decide(21)).isInstanceOf(ReconnectStrategy.GiveUp.class);
    assertThat(config.endpoint()).isEqualTo(StreamConfig.fromEnvironment().endpoint());
  }
}
