package dev.streams.spring.boot;

import dev.streams.StreamAdapter;
import dev.streams.StreamHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of the adapter, as {@code streams} in {@code /actuator/health} (Spring Boot 4): UP when
 * the store answered and the subscriber connection is live (or not needed), DOWN with the reason
 * otherwise, e.g. after the reconnect strategy gave up. Details: {@code backend}, {@code subscriber}
 * ({@code idle}, {@code connected}, {@code reconnecting}, {@code ended}), {@code subscriptions}, and
 * {@code reason} when down.
 */
public class StreamsHealthIndicator implements HealthIndicator {

  private final StreamAdapter adapter;

  /** @param adapter the adapter to check */
  public StreamsHealthIndicator(StreamAdapter adapter) {
    this.adapter = adapter;
  }

  @Override
  public Health health() {
    StreamHealth health = adapter.monitor().health();
    Health.Builder builder = health.isUp() ? Health.up() : Health.down();
    builder.withDetail("backend", health.backend())
        .withDetail("subscriber", health.subscriber().name().toLowerCase(java.util.Locale.ROOT))
        .withDetail("subscriptions", health.subscriptions());
    if (health.problem() != null) {
      builder.withDetail("reason", health.problem());
    }
    return builder.build();
  }
}
