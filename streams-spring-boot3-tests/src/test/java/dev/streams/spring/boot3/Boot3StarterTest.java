package dev.streams.spring.boot3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.micrometer.StreamsMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.context.annotation.ImportCandidates;

/**
 * The starter, compiled against Spring Boot 4, in Spring Boot 3.5 contexts: the adapter from the
 * properties, the meters, the Boot 3 health indicator and the property validation.
 */
class Boot3StarterTest {

  private final String host = "boot3-" + UUID.randomUUID();

  /** Everything the starter registers, as Spring Boot finds it. */
  private static AutoConfigurations starter() {
    return AutoConfigurations.of(ImportCandidates.load(org.springframework.boot.autoconfigure.AutoConfiguration.class,
            Boot3StarterTest.class.getClassLoader()).getCandidates().stream()
        .filter(name -> name.startsWith("dev.streams."))
        .map(Boot3StarterTest::load)
        .toArray(Class<?>[]::new));
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(starter())
      .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
          CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
      .withPropertyValues("spring.data.redis.host=" + host, "spring.data.redis.database=2",
          "streams.key-prefix=boot3:");

  @Test
  void thisIsSpringBoot3() {
    assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
  }

  @Test
  void theAdapterComesFromThePropertiesAndIsMeasured() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(StreamAdapter.class).hasSingleBean(StreamsMetrics.class);
      StreamConfig config = context.getBean(StreamConfig.class);
      assertThat(config.host()).isEqualTo(host);
      assertThat(config.database()).isEqualTo(2);
      assertThat(config.keyPrefix()).isEqualTo("boot3:");
      StreamAdapter adapter = context.getBean(StreamAdapter.class);
      adapter.set("users", "u1", Map.of("name", "Ann"));
      assertThat(context.getBean(MeterRegistry.class).get(StreamsMetrics.OPERATION)
          .tags("operation", "set", "backend", "memory").timer().count()).isEqualTo(1);
    });
  }

  @Test
  void theHealthIndicatorIsBoot3sAndGoesDownWhenTheAdapterCloses() {
    runner.run(context -> {
      HealthIndicator indicator = context.getBean("streamsHealthIndicator", HealthIndicator.class);
      assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
      assertThat(indicator.health().getDetails()).containsEntry("backend", "memory");
      StreamAdapter adapter = context.getBean(StreamAdapter.class);
      adapter.close();
      assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
      assertThat(indicator.health().getDetails()).containsEntry("reason", "the adapter is closed");
      assertThatThrownBy(() -> adapter.get("users", "u1")).isInstanceOf(IllegalStateException.class);
    });
  }

  @Test
  void springDataRedisClusterNodesAreTheClusterSeeds() {
    runner.withPropertyValues("spring.data.redis.cluster.nodes=a:7000").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(StreamConfig.class).endpoint()).isEqualTo("cluster a:7000");
    });
  }
}
