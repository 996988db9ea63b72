package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streams.redis.server.RawSubscriber;
import dev.streams.redis.server.RespConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The raw subscriber hears what another program on its channel hears, classic or sharded, and only
 * its own kind: a sharded one no {@code PUBLISH}, a classic one no {@code SPUBLISH}.
 */
class RawSubscriberTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  @DisplayName("a sharded subscriber receives each SPUBLISH byte for byte, and no PUBLISH on the same channel")
  void shardedReceivesSpublishOnly() {
    String channel = "raw-subscriber:{sharded}";
    List<String> received = new CopyOnWriteArrayList<>();
    try (RawSubscriber subscriber = RawSubscriber.startSharded(redis.endpoint(), channel,
            message -> received.add(new String(message, StandardCharsets.UTF_8)));
        RespConnection publisher = RespConnection.open(redis.endpoint(), PATIENCE)) {
      // Both on one server and one publisher's connection: had the PUBLISH reached the subscriber,
      // it would be there before the SPUBLISH that follows it.
      assertThat(publisher.call("PUBLISH", channel, "classic")).isEqualTo(0L);
      assertThat(publisher.call("SPUBLISH", channel, "sharded é")).isEqualTo(1L);
      await().atMost(PATIENCE).until(() -> received.contains("sharded é"));
      assertThat(received).containsExactly("sharded é");
    }
  }

  @Test
  @DisplayName("a classic subscriber receives each PUBLISH, and no SPUBLISH on the same channel")
  void classicReceivesPublishOnly() {
    String channel = "raw-subscriber:{classic}";
    List<String> received = new CopyOnWriteArrayList<>();
    try (RawSubscriber subscriber = RawSubscriber.start(redis.endpoint(), channel,
            message -> received.add(new String(message, StandardCharsets.UTF_8)));
        RespConnection publisher = RespConnection.open(redis.endpoint(), PATIENCE)) {
      assertThat(publisher.call("SPUBLISH", channel, "sharded")).isEqualTo(0L);
      assertThat(publisher.call("PUBLISH", channel, "classic")).isEqualTo(1L);
      await().atMost(PATIENCE).until(() -> received.contains("classic"));
      assertThat(received).containsExactly("classic");
    }
  }

  @Test
  @DisplayName("a closed sharded subscriber has left its channel: SPUBLISH reaches nobody")
  void closedShardedSubscriberLeaves() {
    String channel = "raw-subscriber:{closed}";
    try (RespConnection publisher = RespConnection.open(redis.endpoint(), PATIENCE)) {
      RawSubscriber subscriber = RawSubscriber.startSharded(redis.endpoint(), channel, message -> {});
      assertThat(publisher.call("PUBSUB", "SHARDNUMSUB", channel)).isEqualTo(List.of(channel, 1L));
      subscriber.close();
      await().atMost(PATIENCE).until(() -> publisher.call("PUBSUB", "SHARDNUMSUB", channel)
          .equals(List.of(channel, 0L)));
    }
  }
}
