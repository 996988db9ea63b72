package dev.streams.spring.boot;

import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * One {@link StreamAdapter} bean from the {@code streams.*} properties (and Spring Boot's
 * {@code spring.data.redis.*} when no {@code streams.redis} address is set), closed with the
 * application context. A {@link StreamConfig} or {@link StreamAdapter} bean of the application's own
 * replaces the one made here; with its own adapter, no properties are read at all.
 */
@AutoConfiguration
@ConditionalOnClass(StreamAdapter.class)
@ConditionalOnMissingBean(StreamAdapter.class)
@EnableConfigurationProperties(StreamsProperties.class)
public class StreamsAutoConfiguration {

  /** Created by Spring. */
  public StreamsAutoConfiguration() {}

  /**
   * @param properties the {@code streams.*} properties
   * @param environment where {@code spring.data.redis.*} is read from
   * @param customizers applied in order after the properties
   * @return the configuration of the adapter
   */
  @Bean
  @ConditionalOnMissingBean
  public StreamConfig streamConfig(StreamsProperties properties, Environment environment,
      ObjectProvider<StreamConfigCustomizer> customizers) {
    StreamConfig.Builder builder = StreamConfigFactory.builder(properties, Binder.get(environment));
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  /**
   * @param config the configuration
   * @return the adapter, connected; closed with the context
   * @throws StreamsBackendException if no backend, or several and none chosen, is on the classpath
   */
  @Bean(destroyMethod = "close")
  public StreamAdapter streamAdapter(StreamConfig config) {
    List<String> available = Streams.availableBackends();
    String requested = config.backend().orElse(null);
    if (requested == null ? available.size() != 1 : !available.contains(requested)) {
      throw new StreamsBackendException(available, requested);
    }
    return Streams.open(config);
  }
}
