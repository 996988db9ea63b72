package dev.streams.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streams.ReconnectStrategy;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.redis.testing.RedisServerExtension;
import dev.streams.redis.server.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The health indicator on a real Redis: up, then down with the reason after the strategy gave up. */
class StreamsHealthRedisTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void upWhileTheServerAnswersThenDownWithTheReasonAfterAGiveUp() {
    RedisServerProcess server = redis.startServer();
    ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(StreamsAutoConfiguration.class,
            StreamsHealthAutoConfiguration.class))
        // spring.data.redis.*: an application that already talks to Redis needs nothing new.
        .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port(),
            "streams.connect-timeout=2s", "streams.command-timeout=2s")
        .withBean(StreamConfigCustomizer.class, () -> builder -> builder.reconnectStrategy(attempt ->
            attempt > 2 ? ReconnectStrategy.giveUp("gave up after 2 attempts")
                : ReconnectStrategy.retryAfter(Duration.ofMillis(100))));
    Backends.with(List.of("streams-redis-lettuce"), () -> runner.run(context -> {
      StreamAdapter adapter = context.getBean(StreamAdapter.class);
      adapter.subscribe(StreamChannel.group("users"), event -> {});
      StreamsHealthIndicator indicator = context.getBean(StreamsHealthIndicator.class);
      assertThat(indicator.health().getStatus().getCode()).isEqualTo("UP");
      assertThat(indicator.health().getDetails()).containsEntry("backend", "redis-lettuce")
          .containsEntry("subscriber", "connected").containsEntry("subscriptions", 1);

      server.kill();

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        var health = indicator.health();
        assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
        assertThat(health.getDetails()).containsEntry("subscriber", "ended")
            .containsEntry("reason", "the reconnect strategy gave up: gave up after 2 attempts");
      });
    }));
  }
}
