package dev.streams.spring.boot;

import dev.streams.StreamAdapter;
import dev.streams.micrometer.StreamsMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * The adapter's Micrometer meters ({@link StreamsMetrics}), when the application has a
 * {@link MeterRegistry}: Spring Boot binds the {@code MeterBinder} bean to its registries. Off with
 * {@code streams.metrics.enabled=false}.
 */
@AutoConfiguration(after = StreamsAutoConfiguration.class, afterName = {
    // Spring Boot 4, then 3: where the registries are made.
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, StreamsMetrics.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(StreamAdapter.class)
@ConditionalOnProperty(prefix = "streams.metrics", name = "enabled", matchIfMissing = true)
public class StreamsMetricsAutoConfiguration {

  /** Created by Spring. */
  public StreamsMetricsAutoConfiguration() {}

  /**
   * @param adapter the adapter
   * @return its meters, bound to the registries by Spring Boot; closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public StreamsMetrics streamsMetrics(StreamAdapter adapter) {
    return new StreamsMetrics(adapter);
  }
}
