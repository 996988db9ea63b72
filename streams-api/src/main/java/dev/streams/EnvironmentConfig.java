package dev.streams;

import dev.streams.internal.Names;
import java.util.List;
import java.util.Map;

/** Reads the environment variables of C2 into a {@link StreamConfig.Builder}. */
final class EnvironmentConfig {

  /** Names the backend to use. */
  public static final String STREAMS_BACKEND = "STREAMS_BACKEND";

  private EnvironmentConfig() {}

  /**
   * @param env the variables
   * @param builder receives the options
   * @return {@code builder}
   * @throws IllegalArgumentException naming the variable and (except for secrets) its value
   */
  public static StreamConfig.Builder read(Map<String, String> env, StreamConfig.Builder builder) {
    String backend = value(env, STREAMS_BACKEND);
    if (backend != null) {
      builder.backend(backend.trim());
    }
    String host = value(env, "REDIS_HOST");
    if (host != null) {
      apply("REDIS_HOST", () -> builder.host(host.trim()));
    }
    String port = value(env, "REDIS_PORT");
    if (port != null) {
      int number = parseInt("REDIS_PORT", port, "a number between 1 and 65535");
      apply("REDIS_PORT", () -> builder.port(number));
    }
    String username = value(env, "REDIS_USERNAME");
    if (username != null) {
      builder.username(username);
    }
    String password = value(env, "REDIS_PASSWORD");
    if (password != null) {
      builder.password(password);
    }
    String database = value(env, "REDIS_DATABASE");
    if (database != null) {
      int number = parseInt("REDIS_DATABASE", database, "a number, 0 or more");
      apply("REDIS_DATABASE", () -> builder.database(number));
    }
    String keyPrefix = value(env, "STREAM_KEY_PREFIX");
    if (keyPrefix != null) {
      builder.keyPrefix(keyPrefix);
    }
    String eventPrefix = value(env, "STREAM_EVENT_PREFIX");
    if (eventPrefix != null) {
      builder.eventPrefix(eventPrefix);
    }
    String maxDocumentBytes = value(env, "STREAMS_MAX_DOCUMENT_BYTES");
    if (maxDocumentBytes != null) {
      int number = parseInt("STREAMS_MAX_DOCUMENT_BYTES", maxDocumentBytes, "a number, 1 or more");
      apply("STREAMS_MAX_DOCUMENT_BYTES", () -> builder.maxDocumentBytes(number));
    }
    String layout = value(env, "STREAMS_LAYOUT");
    if (layout != null) {
      builder.layout(StreamLayout.parse("STREAMS_LAYOUT", layout));
    }
    String maxCallsInFlight = value(env, "STREAMS_MAX_CALLS_IN_FLIGHT");
    if (maxCallsInFlight != null) {
      int number = parseInt("STREAMS_MAX_CALLS_IN_FLIGHT", maxCallsInFlight, "a number, 1 or more");
      apply("STREAMS_MAX_CALLS_IN_FLIGHT", () -> builder.maxCallsInFlight(number));
    }
    String clusterNodes = value(env, "REDIS_CLUSTER_NODES");
    String url = value(env, "REDIS_URL");
    if (clusterNodes != null) {
      // Which one wins would be a guess: each says where the store is.
      if (url != null) {
        throw new IllegalArgumentException("REDIS_CLUSTER_NODES and REDIS_URL must not both be set:"
            + " each says where the store is (a REDIS_URL with several comma-separated hosts gives"
            + " the cluster nodes)");
      }
      for (String single : List.of("REDIS_HOST", "REDIS_PORT")) {
        if (value(env, single) != null) {
          throw new IllegalArgumentException("REDIS_CLUSTER_NODES and " + single + " must not both be"
              + " set: the cluster nodes name a Redis Cluster, REDIS_HOST and REDIS_PORT a single server");
        }
      }
      apply("REDIS_CLUSTER_NODES", () -> builder.clusterNodes(List.of(clusterNodes.split(",", -1))));
    }
    if (url != null) {
      RedisUrl parsed = RedisUrl.parse(url, "REDIS_URL");
      apply("REDIS_URL", () -> parsed.applyTo(builder));
    }
    return builder;
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  private static int parseInt(String variable, String value, String expected) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          variable + " must be " + expected + ", but was '" + Names.abbreviate(value) + "'");
    }
  }

  private static void apply(String variable, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(variable + ": " + e.getMessage(), e);
    }
  }
}
