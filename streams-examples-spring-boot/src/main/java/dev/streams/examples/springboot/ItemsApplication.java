package dev.streams.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small REST service on the streams starter: {@code PUT /items/{group}/{id}} writes an item,
 * {@code GET /items/{group}/{id}} and {@code GET /items/{group}} read, and {@link ItemEventsLog} logs
 * the events of one group from every instance. {@code /actuator/health} includes the {@code streams}
 * check, {@code /actuator/metrics} the {@code streams.*} meters.
 *
 * <p>Run it with a backend on the classpath (this module has {@code streams-redis-lettuce}) and the
 * application's usual {@code spring.data.redis.*} properties, or {@code streams.redis.url}.
 */
@SpringBootApplication
public class ItemsApplication {

  /** For Spring. */
  public ItemsApplication() {}

  /** @param args Spring Boot's arguments, e.g. {@code --spring.data.redis.host=redis} */
  public static void main(String[] args) {
    SpringApplication.run(ItemsApplication.class, args);
  }
}
