package dev.streams.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streams.ReconnectStrategy;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.StreamEvent;
import dev.streams.redis.jedis.JedisConfigurationTest.EventLog;
import dev.streams.redis.testing.RedisServerExtension;
import dev.streams.redis.testing.RedisServerProcess;
import dev.streams.spi.StreamJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** The subscriber connection: opened and closed with the channel set, restored after a loss (E7). */
@DisplayName("redis-jedis subscriber connection")
class JedisSubscriberTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private final List<StreamAdapter> adapters = new ArrayList<>();

  @AfterEach
  void closeAdapters() {
    adapters.forEach(StreamAdapter::close);
    redis.flushAll();
  }

  private StreamAdapter open(StreamConfig.Builder options) {
    StreamAdapter adapter = new JedisStreamsProvider().open(options.build());
    adapters.add(adapter);
    return adapter;
  }

  private static long pubSubClients(Jedis raw) {
    return raw.clientList().lines().filter(line -> line.contains(" flags=P ")).count();
  }

  @Test
  @DisplayName("the subscriber connection opens at the first subscription and closes after the last")
  void connectionFollowsTheChannelSet() {
    StreamAdapter adapter = open(redis.endpoint().applyTo(StreamConfig.builder()));
    try (Jedis raw = JedisTckStore.plainConnection(redis.endpoint())) {
      assertThat(pubSubClients(raw)).isZero();
      var first = adapter.subscribe(StreamChannel.group("a"), event -> {});
      var second = adapter.subscribe(StreamChannel.item("a", "1"), event -> {});
      assertThat(pubSubClients(raw)).isEqualTo(1);
      first.close();
      second.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> pubSubClients(raw) == 0);

      EventLog events = new EventLog();
      adapter.subscribe(StreamChannel.group("a"), events::add);
      adapter.set("a", "1", StreamJson.readDocument("t", "{}"));
      events.awaitTypes("create");
    }
  }

  @Test
  @DisplayName("E7 — after CLIENT KILL TYPE pubsub every handler gets one sync event, then later events")
  void killedSubscriberReconnects() {
    StreamAdapter adapter = open(redis.endpoint().applyTo(StreamConfig.builder()));
    StreamAdapter writer = open(redis.endpoint().applyTo(StreamConfig.builder()));
    List<EventLog> logs = new ArrayList<>();
    for (StreamChannel channel : List.of(StreamChannel.group("g"), StreamChannel.group("h"),
        StreamChannel.item("g", "x"))) {
      EventLog log = new EventLog();
      adapter.subscribe(channel, log::add);
      logs.add(log);
    }
    redis.command("CLIENT", "KILL", "TYPE", "pubsub");
    for (EventLog log : logs) {
      await().atMost(Duration.ofSeconds(20)).until(() -> log.types().contains(StreamEvent.SYNC));
    }
    writer.set("g", "x", StreamJson.readDocument("t", "{}"));
    writer.set("h", "y", StreamJson.readDocument("t", "{}"));
    for (EventLog log : logs) {
      log.awaitTypes(StreamEvent.SYNC, "create");
    }
  }

  @Test
  @DisplayName("E7 — after the server is killed and restarted on its port, subscriptions come back with a sync event")
  void serverRestart() {
    assumeTrue(RedisServerProcess.findExecutable().isPresent(), "needs redis-server on the PATH");
    RedisServerProcess server = redis.startServer();
    StreamConfig.Builder options = server.endpoint().applyTo(StreamConfig.builder())
        .connectTimeout(Duration.ofSeconds(1)).commandTimeout(Duration.ofSeconds(1))
        .reconnectStrategy(attempt -> ReconnectStrategy.retryAfter(Duration.ofMillis(50)));
    StreamAdapter adapter = open(options);
    EventLog log = new EventLog();
    adapter.subscribe(StreamChannel.group("g"), log::add);

    server.kill();
    assertThatThrownBy(() -> adapter.subscribe(StreamChannel.group("other"), event -> {}))
        .isInstanceOf(StreamConnectionException.class)
        .hasMessageContaining(server.endpoint().address());
    assertThatThrownBy(() -> adapter.get("g", "1"))
        .isInstanceOf(StreamConnectionException.class)
        .hasMessageContaining(server.endpoint().address());
    server.restart();

    await().atMost(Duration.ofSeconds(20)).until(() -> log.types().contains(StreamEvent.SYNC));
    // The pool may hand out a connection broken by the restart once; later calls succeed.
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> adapter.set("g", "1", StreamJson.readDocument("t", "{}")) != null);
    log.awaitTypes(StreamEvent.SYNC, "create");
  }
}
