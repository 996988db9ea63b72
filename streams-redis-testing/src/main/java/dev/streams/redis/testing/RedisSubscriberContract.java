package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.streams.ReconnectStrategy;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.StreamEvent;
import dev.streams.StreamAdapterProvider;
import dev.streams.json.StreamJson;
import dev.streams.redis.server.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The subscriber connection of a Redis backend: present only while channels are subscribed, and
 * restored after a loss with one {@code sync} event per handler (E7). The same scenarios for
 * every Redis backend; a backend's test extends it and names its provider.
 */
public abstract class RedisSubscriberContract {

  /** The shared test server. */
  @RegisterExtension
  protected static final RedisServerExtension redis = new RedisServerExtension();

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<StreamAdapter> adapters = new ArrayList<>();

  /** For subclasses. */
  protected RedisSubscriberContract() {}

  /** @return the provider of the backend under test */
  protected abstract StreamAdapterProvider provider();

  @AfterEach
  final void closeAdapters() {
    adapters.forEach(StreamAdapter::close);
    adapters.clear();
    redis.flushAll();
  }

  private StreamAdapter open(StreamConfig.Builder options) {
    StreamAdapter adapter = provider().open(options.backend(provider().name()).build());
    adapters.add(adapter);
    return adapter;
  }

  /** @return how many connections of the shared server are subscribed to a channel */
  private static long pubSubClients() {
    return ((String) redis.command("CLIENT", "LIST")).lines().filter(line -> line.contains(" flags=P ")).count();
  }

  @Test
  @DisplayName("the server sees a subscriber only while the adapter has subscriptions")
  void subscriberFollowsTheChannelSet() {
    StreamAdapter adapter = open(redis.endpoint().applyTo(StreamConfig.builder()));
    assertThat(pubSubClients()).isZero();
    var first = adapter.subscribe(StreamChannel.group("a"), event -> {});
    var second = adapter.subscribe(StreamChannel.item("a", "1"), event -> {});
    assertThat(pubSubClients()).isEqualTo(1);
    first.close();
    second.close();
    await().atMost(WAIT).until(() -> pubSubClients() == 0);

    EventLog events = new EventLog();
    adapter.subscribe(StreamChannel.group("a"), events::add);
    adapter.set("a", "1", StreamJson.readObject("{}"));
    events.awaitTypes("create");
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
      await().atMost(WAIT).until(() -> log.types().contains(StreamEvent.SYNC));
    }
    writer.set("g", "x", StreamJson.readObject("{}"));
    writer.set("h", "y", StreamJson.readObject("{}"));
    for (EventLog log : logs) {
      log.awaitTypes(StreamEvent.SYNC, "create");
    }
  }

  @Test
  @DisplayName("E7 — after the server is killed and restarted on its port, subscriptions come back with a sync event")
  void serverRestart() {
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

    await().atMost(WAIT).until(() -> log.types().contains(StreamEvent.SYNC));
    // A connection broken by the restart may fail a call once; later calls succeed.
    await().atMost(WAIT).ignoreExceptions()
        .until(() -> adapter.set("g", "1", StreamJson.readObject("{}")) != null);
    log.awaitTypes(StreamEvent.SYNC, "create");
  }

  @Test
  @DisplayName("D6 — a document of the default maxDocumentBytes reaches a subscriber of both its channels, without a sync: well inside Redis's default pub/sub output buffer limit")
  void documentAtTheDefaultLimitReachesBothChannels() {
    // The figure the default was chosen from (StreamConfig.DEFAULT_MAX_DOCUMENT_BYTES).
    assertThat(redis.command("CONFIG", "GET", "client-output-buffer-limit").toString())
        .contains("pubsub 33554432 8388608 60");
    StreamAdapter subscriber = open(redis.endpoint().applyTo(StreamConfig.builder()));
    StreamAdapter writer = open(redis.endpoint().applyTo(StreamConfig.builder()));
    EventLog group = new EventLog();
    EventLog item = new EventLog();
    subscriber.subscribe(StreamChannel.group("big"), group::add);
    subscriber.subscribe(StreamChannel.item("big", "1"), item::add);

    int padding = StreamConfig.DEFAULT_MAX_DOCUMENT_BYTES - "{\"s\":\"\",\"id\":\"1\"}".length();
    String document = writer.set("big", "1", java.util.Map.of("s", "x".repeat(padding))).toString();
    assertThat(document).hasSize(StreamConfig.DEFAULT_MAX_DOCUMENT_BYTES);
    writer.set("big", "1", java.util.Map.of("s", "y".repeat(padding)));

    for (EventLog log : List.of(group, item)) {
      log.awaitTypes("create", "update");
      assertThat(log.events().get(0).data().toString()).isEqualTo(document);
    }
  }
}
