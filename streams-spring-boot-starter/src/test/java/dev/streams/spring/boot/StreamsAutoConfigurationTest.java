package dev.streams.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.ReconnectStrategy;
import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import dev.streams.micrometer.StreamsMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every condition of the auto-configuration, on the in-memory backend: no Redis needed. */
class StreamsAutoConfigurationTest {

  private static final List<String> MEMORY = List.of("streams-memory");
  private static final List<String> MEMORY_AND_JEDIS = List.of("streams-memory", "streams-redis-jedis");

  /** A memory store of its own per test: host names are store addresses there. */
  private final String host = "boot-" + UUID.randomUUID();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(StreamsAutoConfiguration.class,
          StreamsMetricsAutoConfiguration.class, StreamsHealthAutoConfiguration.class))
      .withPropertyValues("streams.redis.host=" + host);

  private final ApplicationContextRunner withMetrics = runner.withConfiguration(AutoConfigurations.of(
      MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
      SimpleMetricsExportAutoConfiguration.class));

  private static void run(List<String> backends, ApplicationContextRunner runner,
      ContextConsumer<AssertableApplicationContext> assertions) {
    Backends.with(backends, () -> {
      runner.run(assertions);
    });
  }

  private static FailureAnalysis analysis(Throwable failure) {
    Throwable cause = failure;
    while (cause != null && !(cause instanceof StreamsBackendException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("a StreamsBackendException in " + failure).isNotNull();
    return new StreamsBackendFailureAnalyzer().analyze(failure);
  }

  // ---- backends on the classpath ----

  @Test
  void withOneBackendThereIsOneAdapterClosedWithTheContext() {
    StreamAdapter[] seen = new StreamAdapter[1];
    run(MEMORY, runner, context -> {
      assertThat(context).hasSingleBean(StreamAdapter.class).hasSingleBean(StreamConfig.class);
      StreamAdapter adapter = context.getBean(StreamAdapter.class);
      assertThat(adapter.monitor().backend()).isEqualTo("memory");
      adapter.set("users", "u1", Map.of("name", "Ann"));
      assertThat(adapter.get("users", "u1")).isPresent();
      seen[0] = adapter;
    });
    assertThatThrownBy(() -> seen[0].get("users", "u1")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void withNoBackendStartupFailsNamingTheModulesToAdd() {
    run(List.of(), runner, context -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = analysis(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("No streams backend");
      assertThat(analysis.getAction()).contains("dev.streams:streams-redis-lettuce",
          "dev.streams:streams-redis-jedis", "dev.streams:streams-memory");
    });
  }

  @Test
  void withTwoBackendsStartupFailsNamingThemAndTheProperty() {
    run(MEMORY_AND_JEDIS, runner, context -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = analysis(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("memory, redis-jedis");
      assertThat(analysis.getAction()).contains("streams.backend", "[memory, redis-jedis]");
    });
  }

  @Test
  void withTwoBackendsStreamsBackendChoosesOne() {
    run(MEMORY_AND_JEDIS, runner.withPropertyValues("streams.backend=memory"), context ->
        assertThat(context.getBean(StreamAdapter.class).monitor().backend()).isEqualTo("memory"));
  }

  @Test
  void aChosenBackendThatIsMissingFailsNamingWhatIsThere() {
    run(MEMORY, runner.withPropertyValues("streams.backend=redis-lettuce"), context -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = analysis(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("'redis-lettuce'", "memory");
      assertThat(analysis.getAction()).contains("dev.streams:streams-redis-lettuce");
    });
  }

  @Test
  void theFailureAnalyzerIsRegisteredWithSpringBoot() throws IOException {
    try (InputStream factories = getClass().getResourceAsStream("/META-INF/spring.factories")) {
      assertThat(new String(factories.readAllBytes(), StandardCharsets.UTF_8))
          .contains(StreamsBackendFailureAnalyzer.class.getName());
    }
  }

  // ---- the application's own beans ----

  @Test
  void theApplicationsOwnAdapterWinsAndStillGetsMetrics() {
    run(MEMORY, withMetrics.withUserConfiguration(OwnAdapter.class), context -> {
      assertThat(context).hasSingleBean(StreamAdapter.class).doesNotHaveBean(StreamConfig.class);
      StreamAdapter adapter = context.getBean(StreamAdapter.class);
      assertThat(adapter).isSameAs(context.getBean("ownAdapter"));
      adapter.set("users", "u1", Map.of());
      assertThat(context.getBean(MeterRegistry.class).get(StreamsMetrics.OPERATION)
          .tag("operation", "set").timer().count()).isEqualTo(1);
    });
  }

  @Test
  void theApplicationsOwnConfigWins() {
    run(MEMORY, runner.withBean(StreamConfig.class,
        () -> StreamConfig.builder().keyPrefix("own:").host(host).build()), context ->
        assertThat(context.getBean(StreamConfig.class).keyPrefix()).isEqualTo("own:"));
  }

  @Test
  void customizersChangeWhatPropertiesCannotSay() {
    ReconnectStrategy strategy = attempt -> ReconnectStrategy.giveUp("never");
    run(MEMORY, runner.withBean(StreamConfigCustomizer.class,
        () -> builder -> builder.reconnectStrategy(strategy)), context ->
        assertThat(context.getBean(StreamConfig.class).reconnectStrategy()).isSameAs(strategy));
  }

  // ---- properties ----

  @Test
  void streamsPropertiesSetTheConfiguration() {
    run(MEMORY, runner.withPropertyValues("streams.key-prefix=app:stream:",
        "streams.event-prefix=app:events:", "streams.connect-timeout=3s", "streams.command-timeout=2s",
        "streams.keep-alive-interval=20s", "streams.event-queue-capacity=50",
        "streams.max-document-bytes=4096", "streams.max-calls-in-flight=64",
        "streams.redis.port=6380", "streams.redis.username=app", "streams.redis.password=s3cret",
        "streams.redis.database=2", "streams.redis.ssl=true"), context -> {
      StreamConfig config = context.getBean(StreamConfig.class);
      assertThat(config.keyPrefix()).isEqualTo("app:stream:");
      assertThat(config.eventPrefix()).isEqualTo("app:events:");
      assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
      assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(config.keepAliveInterval()).isEqualTo(Duration.ofSeconds(20));
      assertThat(config.eventQueueCapacity()).isEqualTo(50);
      assertThat(config.maxDocumentBytes()).isEqualTo(4096);
      assertThat(config.maxCallsInFlight()).isEqualTo(64);
      assertThat(config.host()).isEqualTo(host);
      assertThat(config.port()).isEqualTo(6380);
      assertThat(config.username()).contains("app");
      assertThat(config.password()).contains("s3cret");
      assertThat(config.database()).isEqualTo(2);
      assertThat(config.tls()).isTrue();
      assertThat(config.toString()).doesNotContain("s3cret");
      assertThat(context.getBean(StreamsProperties.class).toString()).doesNotContain("s3cret");
    });
  }

  @Test
  void withoutAStreamsRedisAddressSpringDataRedisPropertiesAreUsed() {
    run(MEMORY, new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(StreamsAutoConfiguration.class))
        .withPropertyValues("spring.data.redis.host=" + host, "spring.data.redis.port=6390",
            "spring.data.redis.username=app", "spring.data.redis.password=s3cret",
            "spring.data.redis.database=3", "spring.data.redis.ssl.enabled=true"), context -> {
      StreamConfig config = context.getBean(StreamConfig.class);
      assertThat(config.host()).isEqualTo(host);
      assertThat(config.port()).isEqualTo(6390);
      assertThat(config.username()).contains("app");
      assertThat(config.password()).contains("s3cret");
      assertThat(config.database()).isEqualTo(3);
      assertThat(config.tls()).isTrue();
    });
  }

  @Test
  void springDataRedisUrlIsUsedToo() {
    run(MEMORY, new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(StreamsAutoConfiguration.class))
        .withPropertyValues("spring.data.redis.url=rediss://app:s3cret@" + host + ":6391/4"), context -> {
      StreamConfig config = context.getBean(StreamConfig.class);
      assertThat(config.endpoint()).isEqualTo(host + ":6391");
      assertThat(config.password()).contains("s3cret");
      assertThat(config.database()).isEqualTo(4);
      assertThat(config.tls()).isTrue();
    });
  }

  @Test
  void aStreamsRedisAddressWinsOverSpringDataRedis() {
    run(MEMORY, runner.withPropertyValues("spring.data.redis.host=elsewhere",
        "spring.data.redis.cluster.nodes=a:7000,b:7001"), context ->
        assertThat(context.getBean(StreamConfig.class).host()).isEqualTo(host));
  }

  @Test
  void springDataRedisClusterNodesAreTheClusterSeedsWithItsCredentials() {
    run(MEMORY, new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(StreamsAutoConfiguration.class))
        .withPropertyValues("spring.data.redis.cluster.nodes=a:7000,b:7001",
            "spring.data.redis.username=app", "spring.data.redis.password=secret-1"), context -> {
      assertThat(context).hasNotFailed();
      StreamConfig config = context.getBean(StreamConfig.class);
      assertThat(config.isCluster()).isTrue();
      assertThat(config.endpoint()).isEqualTo("cluster a:7000,b:7001");
      assertThat(config.username()).contains("app");
      assertThat(config.toString()).doesNotContain("secret-1");
    });
  }

  @Test
  void streamsRedisClusterNodesAreTheSeedsAndRefuseAHostBesideThem() {
    run(MEMORY, new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(StreamsAutoConfiguration.class))
        .withPropertyValues("streams.redis.cluster-nodes=a:7000,b:7001"), context ->
        assertThat(context.getBean(StreamConfig.class).endpoint()).isEqualTo("cluster a:7000,b:7001"));
    run(MEMORY, new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(StreamsAutoConfiguration.class))
        .withPropertyValues("streams.redis.cluster-nodes=a:7000", "streams.redis.host=h"), context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOf(InvalidConfigurationPropertyValueException.class)
          .hasMessageContaining("streams.redis.cluster-nodes")
          .hasMessageContaining("a single server: set one of them");
    });
    run(MEMORY, new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(StreamsAutoConfiguration.class))
        .withPropertyValues("streams.redis.cluster-nodes=a:7000", "streams.redis.url=redis://h:6380"),
        context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause()
              .isInstanceOf(InvalidConfigurationPropertyValueException.class)
              .hasMessageContaining("streams.redis.cluster-nodes")
              .hasMessageContaining("streams.redis.url");
        });
  }

  @Test
  void theFlatAndTheHashLayoutAreAcceptedAndNothingElse() {
    run(MEMORY, runner.withPropertyValues("streams.layout=flat"), context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(StreamConfig.class).layout()).isEqualTo(dev.streams.StreamLayout.FLAT);
    });
    run(MEMORY, runner.withPropertyValues("streams.layout=hash"), context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(StreamConfig.class).layout()).isEqualTo(dev.streams.StreamLayout.HASH);
      StreamAdapter adapter = context.getBean(StreamAdapter.class);
      adapter.set("users", "u1", java.util.Map.of("a", 1));
      assertThat(adapter.dataKey("users", "u1")).isEqualTo("motia:stream:{users}");
    });
    run(MEMORY, runner.withPropertyValues("streams.layout=tree"), context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOf(InvalidConfigurationPropertyValueException.class)
          .hasMessageContaining("streams.layout")
          .hasMessageContaining("'flat'").hasMessageContaining("'hash'");
    });
  }

  @Test
  void anInvalidValueFailsNamingTheOptionAndNeverThePassword() {
    run(MEMORY, runner.withPropertyValues("streams.redis.url=redis://app:s3cret@" + host + ":99999"),
        context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).hasStackTraceContaining("port");
      Throwable failure = context.getStartupFailure();
      for (Throwable t = failure; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cret");
      }
    });
  }

  @Test
  void configurationMetadataDescribesTheProperties() throws IOException {
    try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(metadata).as("generated by spring-boot-configuration-processor").isNotNull();
      String json = new String(metadata.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(json).contains("\"streams.backend\"", "\"streams.layout\"", "\"streams.key-prefix\"",
          "\"streams.event-queue-capacity\"", "\"streams.redis.url\"", "\"streams.metrics.enabled\"",
          "\"management.health.streams.enabled\"", "\"redis-lettuce\"");
    }
  }

  // ---- metrics ----

  @Test
  void withAMeterRegistryTheAdapterIsMeasured() {
    run(MEMORY, withMetrics, context -> {
      assertThat(context).hasSingleBean(StreamsMetrics.class);
      context.getBean(StreamAdapter.class).set("users", "u1", Map.of());
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get(StreamsMetrics.OPERATION).tags("operation", "set", "backend", "memory",
          "outcome", "success", "exception", "none").timer().count()).isEqualTo(1);
    });
  }

  @Test
  void withoutAMeterRegistryOrWithMetricsOffNothingIsMeasured() {
    run(MEMORY, runner, context -> assertThat(context).doesNotHaveBean(StreamsMetrics.class));
    run(MEMORY, withMetrics.withPropertyValues("streams.metrics.enabled=false"), context -> {
      assertThat(context).doesNotHaveBean(StreamsMetrics.class);
      context.getBean(StreamAdapter.class).set("users", "u1", Map.of());
      assertThat(context.getBean(MeterRegistry.class).find(StreamsMetrics.OPERATION).meters()).isEmpty();
    });
  }

  // ---- health ----

  @Test
  void theHealthIndicatorIsUpWithDetailsAndDownOnceTheAdapterIsClosed() {
    run(MEMORY, runner, context -> {
      StreamsHealthIndicator indicator = context.getBean("streamsHealthIndicator", StreamsHealthIndicator.class);
      var up = indicator.health();
      assertThat(up.getStatus().getCode()).isEqualTo("UP");
      assertThat(up.getDetails()).containsEntry("backend", "memory").containsEntry("subscriber", "idle")
          .containsEntry("subscriptions", 0);

      context.getBean(StreamAdapter.class).close();
      var down = indicator.health();
      assertThat(down.getStatus().getCode()).isEqualTo("DOWN");
      assertThat(down.getDetails()).containsEntry("reason", "the adapter is closed");
    });
  }

  @Test
  void theHealthIndicatorCanBeTurnedOff() {
    run(MEMORY, runner.withPropertyValues("management.health.streams.enabled=false"), context ->
        assertThat(context).doesNotHaveBean(StreamsHealthIndicator.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnAdapter {
    @Bean
    StreamAdapter ownAdapter() {
      return Streams.open(StreamConfig.builder().backend("memory").host("own-" + UUID.randomUUID()).build());
    }
  }
}
