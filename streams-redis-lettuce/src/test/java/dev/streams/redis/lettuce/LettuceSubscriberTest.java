package dev.streams.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.streams.ReconnectStrategy;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.StreamEvent;
import dev.streams.redis.testing.EventLog;
import dev.streams.redis.server.RedisServerProcess;
import dev.streams.redis.testing.RedisSubscriberContract;
import dev.streams.StreamAdapterProvider;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The subscriber connection: present with the channel set, restored after a loss (E7). */
@DisplayName("redis-lettuce subscriber connection")
class LettuceSubscriberTest extends RedisSubscriberContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new LettuceStreamsProvider();
  }

  @Test
  @DisplayName("C1 — a reconnect strategy that gives up ends the subscriptions with a disconnected event, and later calls fail with its reason")
  void strategyGivesUp() {
    RedisServerProcess server = redis.startServer();
    ReconnectStrategy strategy = attempt -> attempt >= 3
        ? ReconnectStrategy.giveUp("three strikes")
        : ReconnectStrategy.retryAfter(Duration.ofMillis(50));
    try (StreamAdapter adapter = provider().open(server.endpoint().applyTo(StreamConfig.builder())
        .connectTimeout(Duration.ofSeconds(1)).commandTimeout(Duration.ofSeconds(1))
        .reconnectStrategy(strategy).build())) {
      EventLog log = new EventLog();
      adapter.subscribe(StreamChannel.group("g"), log::add);

      server.kill();
      await().atMost(Duration.ofSeconds(20)).until(() -> log.types().contains(StreamEvent.DISCONNECTED));
      assertThat(log.types()).containsExactly(StreamEvent.DISCONNECTED);
      assertThat(log.events().get(0).data().get("reason").asText()).isEqualTo("three strikes");

      server.restart();
      // Given up for good: the restart changes nothing, and every call says why.
      assertThatThrownBy(() -> adapter.get("g", "1"))
          .isInstanceOf(StreamConnectionException.class)
          .hasMessageContaining(server.endpoint().address())
          .hasMessageContaining("three strikes");
      assertThatThrownBy(() -> adapter.subscribe(StreamChannel.group("h"), event -> {}))
          .isInstanceOf(StreamConnectionException.class)
          .hasMessageContaining("three strikes");
    }
  }
}
