package dev.streams.spring.boot;

import dev.streams.StreamAdapter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code streams} health indicator when Actuator is on the classpath: {@link StreamsHealthIndicator}
 * on Spring Boot 4, {@link StreamsBoot3HealthIndicator} on Spring Boot 3 (whose health API lives in
 * another package). Off with {@code management.health.streams.enabled=false}.
 */
@AutoConfiguration(after = StreamsAutoConfiguration.class)
@ConditionalOnSingleCandidate(StreamAdapter.class)
@ConditionalOnProperty(prefix = "management.health.streams", name = "enabled", matchIfMissing = true)
public class StreamsHealthAutoConfiguration {

  private static final String BOOT_4 = "org.springframework.boot.health.contributor.HealthIndicator";

  /** Created by Spring. */
  public StreamsHealthAutoConfiguration() {}

  /** Spring Boot 4. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = BOOT_4)
  static class Boot4 {

    @Bean(name = "streamsHealthIndicator")
    @ConditionalOnMissingBean(name = "streamsHealthIndicator")
    StreamsHealthIndicator streamsHealthIndicator(StreamAdapter adapter) {
      return new StreamsHealthIndicator(adapter);
    }
  }

  /** Spring Boot 3. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  @ConditionalOnMissingClass(BOOT_4)
  static class Boot3 {

    @Bean(name = "streamsHealthIndicator")
    @ConditionalOnMissingBean(name = "streamsHealthIndicator")
    StreamsBoot3HealthIndicator streamsHealthIndicator(StreamAdapter adapter) {
      return new StreamsBoot3HealthIndicator(adapter);
    }
  }
}
