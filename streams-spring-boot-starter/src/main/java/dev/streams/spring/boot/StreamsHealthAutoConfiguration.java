package dev.streams.spring.boot;

import dev.streams.StreamAdapter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * The {@code streams} health indicator ({@link StreamsHealthIndicator}) when Spring Boot 4's health
 * API is on the classpath (with Actuator). Off with {@code management.health.streams.enabled=false}.
 */
@AutoConfiguration(after = StreamsAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnSingleCandidate(StreamAdapter.class)
@ConditionalOnProperty(prefix = "management.health.streams", name = "enabled", matchIfMissing = true)
public class StreamsHealthAutoConfiguration {

  /** Created by Spring. */
  public StreamsHealthAutoConfiguration() {}

  /**
   * @param adapter the adapter
   * @return the indicator, named {@code streams} after the bean
   */
  @Bean(name = "streamsHealthIndicator")
  @ConditionalOnMissingBean(name = "streamsHealthIndicator")
  public StreamsHealthIndicator streamsHealthIndicator(StreamAdapter adapter) {
    return new StreamsHealthIndicator(adapter);
  }
}
