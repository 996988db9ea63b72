package dev.streams.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.AsyncStreamAdapter;
import dev.streams.ReconnectStrategy;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamGroup;
import dev.streams.Streams;
import dev.streams.micrometer.StreamsMetrics;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The code README.md shows: each region between {@code // README:name} and {@code // README:end} is
 * one of its java blocks, word for word after the block's imports (ReadmeSnippetsTest checks both
 * ways, and compiles the blocks as shown). Change the code here, then the README.
 */
public final class ReadmeExamples {

  private ReadmeExamples() {}

  /** README "Usage": subscribe, write, query, on the store the environment names. */
  public static void usage() {
    // README:usage
    try (StreamAdapter streams = Streams.open(StreamConfig.fromEnvironment())) {
      // Every instance connected to the same store receives the events.
      streams.subscribe(StreamChannel.group("users"),
          event -> System.out.println("Stream event: " + event.type() + " " + event.data()));

      streams.set("users", "user-123",
          Map.of("name", "John", "email", "john@example.com", "status", "active", "createdAt", 1));

      List<ObjectNode> active = streams.query("users", Query.builder()
          .where("status", "active")
          .orderBy("createdAt", SortDirection.DESC)
          .limit(10)
          .offset(0)
          .build());
      active.forEach(user -> System.out.println(user.get("name").asText()));
    }
    // README:end
  }

  // README:typed
  record User(String id, String name, String email, String status, long createdAt) {}

  static Optional<User> typedItems() {
    try (StreamAdapter streams = Streams.open(StreamConfig.fromEnvironment())) {
      StreamGroup<User> users = streams.group("users", User.class);
      users.set("user-123", new User(null, "John", "john@example.com", "active", 1_700_000_000_000L));
      List<User> active = users.query(Query.builder().where("status", "active").build());
      active.forEach(user -> System.out.println(user.name()));
      return users.get("user-123");                       // id filled in: "user-123"
    }
  }
  // README:end

  /** README "Asynchronous API": many calls in flight from one thread, then one result. */
  public static Optional<ObjectNode> async() {
    return ordersInFlight();
  }

  // README:async
  static Optional<ObjectNode> ordersInFlight() {
    try (StreamAdapter streams = Streams.open(StreamConfig.fromEnvironment())) {
      AsyncStreamAdapter async = streams.async();
      List<CompletableFuture<ObjectNode>> writes = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        // Returns at once: the calls are in flight together, written to the store in batches.
        writes.add(async.set("orders", "order-" + i, Map.of("total", i)).toCompletableFuture());
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

      return async.get("orders", "order-7")
          .exceptionally(failure -> {
            // The blocking call's exception as is: StreamConnectionException, StreamDataException ...
            System.err.println("get failed: " + failure);
            return Optional.empty();
          })
          .toCompletableFuture().join();
    }
  }
  // README:end

  /** README "Redis": open by URL (the memory backend stands in for Redis in this module). */
  public static void redis() {
    // README:redis
    try (StreamAdapter streams = Streams.open(StreamConfig.builder().url("redis://localhost:6379/0").build())) {
      streams.set("users", "user-123", Map.of("name", "John"));
    }
    // README:end
  }

  /**
   * README "Configuration".
   *
   * @return the configuration the README builds
   */
  public static StreamConfig configuration() {
    // README:configuration
    // The environment first (REDIS_URL, or REDIS_HOST, REDIS_PORT, REDIS_PASSWORD ...), then code.
    StreamConfig config = StreamConfig.fromEnvironment().toBuilder()
        .keyPrefix("myapp:stream:")
        .connectTimeout(Duration.ofSeconds(5))
        .reconnectStrategy(attempt -> attempt > 20
            ? ReconnectStrategy.giveUp("Too many retries")
            : ReconnectStrategy.retryAfter(Duration.ofMillis(Math.min(attempt * 50L, 2000))))
        .build();
    // README:end
    return config;
  }

  /**
   * README "Redis Cluster".
   *
   * @return the configuration the README builds
   */
  public static StreamConfig clusterConfiguration() {
    // README:cluster
    StreamConfig config = StreamConfig.builder()
        .clusterNodes("10.0.0.1:7000", "10.0.0.2:7000", "10.0.0.3:7000")
        .password(System.getenv("REDIS_PASSWORD"))   // username, password, TLS, timeouts: every node alike
        .layout("hash")                              // recommended on a cluster, see below
        .build();
    // README:end
    return config;
  }

  /**
   * README "Metrics and health".
   *
   * @return the registry the adapter was measured into
   */
  public static MeterRegistry metrics() {
    // README:metrics
    MeterRegistry registry = new SimpleMeterRegistry();   // or the application's registry
    try (StreamAdapter streams = Streams.open(StreamConfig.fromEnvironment());
        StreamsMetrics metrics = new StreamsMetrics(streams)) {
      metrics.bindTo(registry);                           // measured until metrics.close()
      streams.set("users", "user-123", Map.of("name", "John"));
      System.out.println(registry.get("streams.operation").tag("operation", "set").timer().count()
          + " set, health " + streams.monitor().health().status());   // 1 set, health UP
    }
    // README:end
    return registry;
  }
}
