package dev.streams.spring.boot;

import dev.streams.StreamAdapter;
import dev.streams.StreamHealth;
import java.util.Locale;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * {@link StreamsHealthIndicator} for Spring Boot 3, whose health API lives in another package: the
 * same status and details.
 */
public class StreamsBoot3HealthIndicator implements HealthIndicator {

  private final StreamAdapter adapter;

  /** @param adapter the adapter to check */
  public StreamsBoot3HealthIndicator(StreamAdapter adapter) {
    this.adapter = adapter;
  }

  @Override
  public Health health() {
    StreamHealth health = adapter.monitor().health();
    Health.Builder builder = health.isUp() ? Health.up() : Health.down();
    builder.withDetail("backend", health.backend())
        .withDetail("subscriber", health.subscriber().name().toLowerCase(Locale.ROOT))
        .withDetail("subscriptions", health.subscriptions());
    if (health.problem() != null) {
      builder.withDetail("reason", health.problem());
    }
    return builder.build();
  }
}
