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
import dev.streams.tck.EventRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The subscriber connection of a Redis backend: present only while channels are subscribed (O9),
 * restored after a loss with one {@code sync} event per handler (E7), and large enough for the
 * largest document (D6); many channels subscribed at once share SUBSCRIBE commands (A1). Each test runs on a server of its own: it kills the server's subscribers or
 * the server itself.
 */
abstract class SubscriberFamily extends KitFamily {


  SubscriberFamily(RedisBackendKit kit) {
    super(kit);
  }

  private StreamAdapter open() {
    return open(server().endpoint().applyTo(StreamConfig.builder()));
  }

  /** @return how many connections of this test's server are subscribed to a channel */
  private long pubSubClients() {
    return subscribedClients(server().endpoint()).size();
  }

  @Test
  @DisplayName("O9 — the server sees a subscriber connection only while the adapter has subscriptions")
  void subscriberFollowsTheChannelSet() {
    StreamAdapter adapter = open();
    assertThat(pubSubClients()).isZero();
    var first = adapter.subscribe(StreamChannel.group("a"), event -> {});
    var second = adapter.subscribe(StreamChannel.item("a", "1"), event -> {});
    assertThat(pubSubClients()).isEqualTo(1);
    first.close();
    second.close();
    await().atMost(WAIT).until(() -> pubSubClients() == 0);

    EventRecorder events = new EventRecorder("group handler");
    adapter.subscribe(StreamChannel.group("a"), events);
    adapter.set("a", "1", json("{}"));
    events.awaitTypes("create");
  }

  @Test
  @DisplayName("A1 — 1,200 item channels subscribed at once: every stage completes once its channel is subscribed (its event arrives), in fewer SUBSCRIBE commands than channels and never more")
  void channelsSubscribedAtOnceShareCommands() {
    int channels = 1_200; // more than one command's worth (SubscribeCommands), so a batch is split
    StreamAdapter adapter = open();
    // The first subscription opens the subscriber connection; the rest go to it as they come.
    adapter.subscribe(StreamChannel.group("opening"), event -> {});
    long before = subscribeCommands();
    List<EventRecorder> recorders = new ArrayList<>();
    List<CompletableFuture<?>> written = new ArrayList<>();
    for (int i = 0; i < channels; i++) {
      String id = "m" + i;
      EventRecorder recorder = new EventRecorder("item channel " + id);
      recorders.add(recorder);
      // Written the moment its own stage completes: the event arrives only if the server had run
      // that channel's SUBSCRIBE by then, whichever command carried it.
      written.add(adapter.async().subscribe(StreamChannel.item("many", id), recorder)
          .thenCompose(subscription -> adapter.async().set("many", id, json("{}")))
          .toCompletableFuture());
    }
    CompletableFuture.allOf(written.toArray(CompletableFuture[]::new))
        .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    for (EventRecorder recorder : recorders) {
      recorder.awaitTypes("create");
    }
    long commands = subscribeCommands() - before;
    LoggerFactory.getLogger(SubscriberFamily.class)
        .info("{} channels subscribed at once in {} SUBSCRIBE commands", channels, commands);
    assertThat(commands).as("SUBSCRIBE commands for %d channels", channels).isPositive().isLessThan(channels);
  }

  /** @return how many SUBSCRIBE commands this test's server ran (INFO commandstats) */
  private long subscribeCommands() {
    String prefix = "cmdstat_subscribe:calls=";
    return ((String) call(server().endpoint(), "INFO", "commandstats")).lines()
        .filter(line -> line.startsWith(prefix))
        .mapToLong(line -> Long.parseLong(line.substring(prefix.length(), line.indexOf(','))))
        .sum();
  }

  @Test
  @DisplayName("E7 — after CLIENT KILL TYPE pubsub every handler gets one sync event, then later events")
  void killedSubscriberReconnects() {
    StreamAdapter adapter = open();
    StreamAdapter writer = open();
    List<EventRecorder> logs = new ArrayList<>();
    for (StreamChannel channel : List.of(StreamChannel.group("g"), StreamChannel.group("h"),
        StreamChannel.item("g", "x"))) {
      EventRecorder log = new EventRecorder("handler of " + channel);
      adapter.subscribe(channel, log);
      logs.add(log);
    }
    call(server().endpoint(), "CLIENT", "KILL", "TYPE", "pubsub");
    for (EventRecorder log : logs) {
      await().atMost(WAIT).until(() -> log.types().contains(StreamEvent.SYNC));
    }
    writer.set("g", "x", json("{}"));
    writer.set("h", "y", json("{}"));
    for (EventRecorder log : logs) {
      log.awaitTypes(StreamEvent.SYNC, "create");
    }
  }

  @Test
  @DisplayName("E7 — after the server is killed and restarted on its port, subscriptions come back with a sync event")
  void serverRestart() {
    StreamConfig.Builder options = server().endpoint().applyTo(StreamConfig.builder())
        .connectTimeout(Duration.ofSeconds(1)).commandTimeout(Duration.ofSeconds(1))
        .reconnectStrategy(attempt -> ReconnectStrategy.retryAfter(Duration.ofMillis(50)));
    StreamAdapter adapter = open(options);
    EventRecorder log = new EventRecorder("group handler");
    adapter.subscribe(StreamChannel.group("g"), log);

    server().kill();
    assertThatThrownBy(() -> adapter.subscribe(StreamChannel.group("other"), event -> {}))
        .isInstanceOf(StreamConnectionException.class)
        .hasMessageContaining(server().endpoint().address());
    assertThatThrownBy(() -> adapter.get("g", "1"))
        .isInstanceOf(StreamConnectionException.class)
        .hasMessageContaining(server().endpoint().address());
    server().restart();

    await().atMost(WAIT).until(() -> log.types().contains(StreamEvent.SYNC));
    // A connection broken by the restart may fail a call once; later calls succeed.
    await().atMost(WAIT).ignoreExceptions()
        .until(() -> adapter.set("g", "1", json("{}")) != null);
    log.awaitTypes(StreamEvent.SYNC, "create");
  }

  @Test
  @DisplayName("D6 — a document of the default maxDocumentBytes reaches a subscriber of both its channels, without a sync: well inside Redis's default pub/sub output buffer limit")
  void documentAtTheDefaultLimitReachesBothChannels() {
    // The figure the default was chosen from (StreamConfig.DEFAULT_MAX_DOCUMENT_BYTES).
    assertThat(call(server().endpoint(), "CONFIG", "GET", "client-output-buffer-limit").toString())
        .contains("pubsub 33554432 8388608 60");
    StreamAdapter subscriber = open();
    StreamAdapter writer = open();
    EventRecorder group = new EventRecorder("group handler");
    EventRecorder item = new EventRecorder("item handler");
    subscriber.subscribe(StreamChannel.group("big"), group);
    subscriber.subscribe(StreamChannel.item("big", "1"), item);

    int padding = StreamConfig.DEFAULT_MAX_DOCUMENT_BYTES - "{\"s\":\"\",\"id\":\"1\"}".length();
    String document = writer.set("big", "1", java.util.Map.of("s", "x".repeat(padding))).toString();
    assertThat(document).hasSize(StreamConfig.DEFAULT_MAX_DOCUMENT_BYTES);
    writer.set("big", "1", java.util.Map.of("s", "y".repeat(padding)));

    for (EventRecorder log : List.of(group, item)) {
      log.awaitTypes("create", "update");
      assertThat(log.events().get(0).data().toString()).isEqualTo(document);
    }
  }
}
