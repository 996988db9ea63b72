package dev.streams.spring.boot;

import dev.streams.StreamConfig;
import dev.streams.StreamLayout;
import java.util.List;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@code streams.*} and, without a {@code streams.redis} address, Spring Boot's own
 * {@code spring.data.redis.*} into a {@link StreamConfig}. Spring Boot's properties are read by name
 * from the environment, not through Boot's classes, so that this works on Boot 3 and 4 alike and
 * without Spring Data Redis.
 */
final class StreamConfigFactory {

  private static final String SPRING_REDIS = "spring.data.redis";

  private StreamConfigFactory() {}

  static StreamConfig.Builder builder(StreamsProperties properties, Binder binder) {
    StreamConfig.Builder builder = StreamConfig.builder();
    try {
      builder.layout(StreamLayout.parse("streams.layout", properties.getLayout()));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException("streams.layout", properties.getLayout(),
          "The layout is 'flat' (one string key per item) or 'hash' (one Redis hash per group).");
    }
    try {
      if (properties.getBackend() != null && !properties.getBackend().isBlank()) {
        builder.backend(properties.getBackend().trim());
      }
      StreamsProperties.Redis redis = properties.getRedis();
      if (redis.hasAddress()) {
        applyStreamsRedis(redis, builder);
      } else {
        applySpringDataRedis(binder, builder);
      }
      builder.keyPrefix(properties.getKeyPrefix())
          .eventPrefix(properties.getEventPrefix())
          .connectTimeout(properties.getConnectTimeout())
          .commandTimeout(properties.getCommandTimeout())
          .keepAliveInterval(properties.getKeepAliveInterval())
          .eventQueueCapacity(properties.getEventQueueCapacity())
          .maxDocumentBytes(properties.getMaxDocumentBytes())
          .maxCallsInFlight(properties.getMaxCallsInFlight());
    } catch (IllegalArgumentException e) {
      // StreamConfig names the option and the value, never the password (C3).
      throw new IllegalStateException("Invalid streams configuration: " + e.getMessage(), e);
    }
    return builder;
  }

  private static void applyStreamsRedis(StreamsProperties.Redis redis, StreamConfig.Builder builder) {
    if (redis.getUrl() != null) {
      builder.url(redis.getUrl());
    }
    if (!redis.getClusterNodes().isEmpty()) {
      if (redis.getHost() != null || redis.getPort() != null) {
        throw new InvalidConfigurationPropertyValueException("streams.redis.cluster-nodes",
            String.join(",", redis.getClusterNodes()), "The cluster nodes name a Redis Cluster, and"
                + " streams.redis.host/port a single server: set one of them.");
      }
      if (redis.getUrl() != null) {
        // The URL's password must not reach the message (C3): only the option's name does.
        throw new InvalidConfigurationPropertyValueException("streams.redis.cluster-nodes",
            String.join(",", redis.getClusterNodes()), "The cluster nodes and streams.redis.url each"
                + " say where the store is: set one of them (a URL with several comma-separated hosts"
                + " gives the cluster nodes).");
      }
      builder.clusterNodes(redis.getClusterNodes());
    }
    if (redis.getHost() != null) {
      builder.host(redis.getHost());
    }
    if (redis.getPort() != null) {
      builder.port(redis.getPort());
    }
    if (redis.getUsername() != null) {
      builder.username(redis.getUsername());
    }
    if (redis.getPassword() != null) {
      builder.password(redis.getPassword());
    }
    if (redis.getDatabase() != null) {
      builder.database(redis.getDatabase());
    }
    if (redis.isSsl()) {
      builder.tls(true);
    }
  }

  private static void applySpringDataRedis(Binder binder, StreamConfig.Builder builder) {
    List<String> clusterNodes = binder.bind(SPRING_REDIS + ".cluster.nodes",
        Bindable.listOf(String.class)).orElse(List.of());
    String sentinel = binder.bind(SPRING_REDIS + ".sentinel.master", String.class).orElse(null);
    if (sentinel != null) {
      throw new InvalidConfigurationPropertyValueException(SPRING_REDIS + ".sentinel.master",
          sentinel, "streams does not support Redis Sentinel yet. Set streams.redis.url to the"
              + " standalone Redis to use.");
    }
    String bundle = binder.bind(SPRING_REDIS + ".ssl.bundle", String.class).orElse(null);
    if (bundle != null) {
      throw new InvalidConfigurationPropertyValueException(SPRING_REDIS + ".ssl.bundle", bundle,
          "streams connects with TLS trusting what the JVM trusts and cannot use an SSL bundle yet."
              + " Set spring.data.redis.ssl.enabled=true (and javax.net.ssl.trustStore for a"
              + " private CA) instead.");
    }
    String url = binder.bind(SPRING_REDIS + ".url", String.class).orElse(null);
    if (!clusterNodes.isEmpty()) {
      // As in Spring Boot: the cluster's nodes with the shared username and password (L3).
      builder.clusterNodes(clusterNodes);
      binder.bind(SPRING_REDIS + ".username", String.class).ifBound(builder::username);
      binder.bind(SPRING_REDIS + ".password", String.class).ifBound(builder::password);
    } else if (url != null) {
      // As in Spring Boot: the URL overrides host, port, username, password and database.
      builder.url(url);
    } else {
      binder.bind(SPRING_REDIS + ".host", String.class).ifBound(builder::host);
      binder.bind(SPRING_REDIS + ".port", Integer.class).ifBound(builder::port);
      binder.bind(SPRING_REDIS + ".username", String.class).ifBound(builder::username);
      binder.bind(SPRING_REDIS + ".password", String.class).ifBound(builder::password);
      binder.bind(SPRING_REDIS + ".database", Integer.class).ifBound(builder::database);
    }
    if (binder.bind(SPRING_REDIS + ".ssl.enabled", Boolean.class).orElse(false)) {
      builder.tls(true);
    }
  }
}
