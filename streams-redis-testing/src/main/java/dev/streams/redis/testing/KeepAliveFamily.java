package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streams.ReconnectStrategy;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamEvent;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.server.TcpProxy;
import dev.streams.tck.EventRecorder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriber keepalive of a Redis backend: a subscriber connection whose path dies silently (no
 * FIN, no RST: a {@link TcpProxy} blackholes it) is noticed by an unanswered PING, closed and
 * reconnected, with one {@code sync} per handler (E7); a healthy idle one is left alone and
 * its pongs never reach a handler. Each test runs on a server of its own.
 *
 */
abstract class KeepAliveFamily extends KitFamily {

  private static final Logger LOG = LoggerFactory.getLogger(KeepAliveFamily.class);
  /** Short, so that a dead path is noticed within about two seconds. */
  private static final Duration KEEP_ALIVE_INTERVAL = Duration.ofMillis(300);
  /**
   * How long a PING may go unanswered. Once the path is back the test demands exactly one sync, so
   * this must outlast any stall of a loaded machine: a late pong would be a second, false reconnect.
   */
  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(1500);
  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
  /**
   * For the healthy connection: every pong must beat it, so it is generous enough that a loaded
   * machine never makes a live connection look dead; the interval stays short.
   */
  private static final Duration HEALTHY_COMMAND_TIMEOUT = Duration.ofSeconds(2);
  private static final List<StreamChannel> CHANNELS = List.of(StreamChannel.group("a"), StreamChannel.group("b"));

  private TcpProxy proxy;

  KeepAliveFamily(RedisBackendKit kit) {
    super(kit);
  }

  /** An adapter with the short keepalive, on the given endpoint. */
  private StreamAdapter openWithKeepAlive(RedisEndpoint endpoint, Duration commandTimeout) {
    return open(endpoint.applyTo(StreamConfig.builder())
        .keepAliveInterval(KEEP_ALIVE_INTERVAL).commandTimeout(commandTimeout).connectTimeout(CONNECT_TIMEOUT)
        .reconnectStrategy(attempt -> ReconnectStrategy.retryAfter(Duration.ofMillis(100))));
  }

  private Map<StreamChannel, EventRecorder> subscribeAll(StreamAdapter adapter) {
    Map<StreamChannel, EventRecorder> logs = new LinkedHashMap<>();
    for (StreamChannel channel : CHANNELS) {
      EventRecorder log = new EventRecorder("handler of " + channel);
      adapter.subscribe(channel, log);
      logs.put(channel, log);
    }
    return logs;
  }

  /** One write per group, so every handler gets one event. */
  private static void writeEachGroup(StreamAdapter writer, int value) {
    writer.set("a", "x", json("{\"v\":" + value + "}"));
    writer.set("b", "y", json("{\"v\":" + value + "}"));
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Test
  @DisplayName("E7 — a subscriber connection whose path dies silently is noticed by an unanswered PING and reconnected: one sync per handler, then new events")
  void silentlyDeadPathIsReconnected() {
    proxy = closedAfterTest(TcpProxy.start(server().endpoint()));
    StreamAdapter subscriber = openWithKeepAlive(proxy.endpoint(), COMMAND_TIMEOUT);
    StreamAdapter writer = open(server().endpoint().applyTo(StreamConfig.builder()));
    Map<StreamChannel, EventRecorder> logs = subscribeAll(subscriber);
    writeEachGroup(writer, 1);
    logs.values().forEach(log -> log.awaitTypes("create"));

    long blackholed = System.nanoTime();
    proxy.blackhole();
    // Written straight to the server while the subscriber's path is dead: lost to it, as pub/sub is.
    writeEachGroup(writer, 2);

    // The adapter closes the dead connection (after its WARN), then reconnects into the blackhole.
    await().atMost(WAIT).until(() -> proxy.severedConnectionsClosedByClient() >= 1);
    long noticedMillis = millisSince(blackholed);
    await().atMost(WAIT).until(() -> proxy.acceptedWhileBlackholed() >= 1);
    assertThat(logs.values()).allSatisfy(log -> assertThat(log.types()).containsExactly("create"));

    proxy.forward();
    long restored = System.nanoTime();
    for (EventRecorder log : logs.values()) {
      await().atMost(WAIT).until(() -> log.types().contains(StreamEvent.SYNC));
    }
    long syncMillis = millisSince(blackholed);
    long syncAfterRestoreMillis = millisSince(restored);
    for (EventRecorder log : logs.values()) {
      assertThat(log.types()).containsExactly("create", StreamEvent.SYNC);
      assertThat(log.events().get(1).data().get("reason").asText()).isEqualTo("reconnected");
    }

    writeEachGroup(writer, 3);
    // Exactly one sync per handler, also a moment later, and the new event after it (an update of
    // the items the first write created).
    for (EventRecorder log : logs.values()) {
      await().atMost(WAIT).during(Duration.ofMillis(300)).untilAsserted(() ->
          assertThat(log.types()).containsExactly("create", StreamEvent.SYNC, "update"));
      assertThat(log.events().get(2).data().get("v").asInt()).isEqualTo(3);
    }
    LOG.info("keepalive (interval {} ms, command timeout {} ms): dead path noticed and closed {} ms after the"
        + " blackhole; sync at every handler {} ms after the blackhole, {} ms after the path came back"
        + " ({} connection(s) tried into the blackhole meanwhile)", KEEP_ALIVE_INTERVAL.toMillis(),
        COMMAND_TIMEOUT.toMillis(), noticedMillis, syncMillis, syncAfterRestoreMillis,
        proxy.acceptedWhileBlackholed());
  }

  @Test
  @DisplayName("E7 — a healthy idle subscriber answers its keepalive PINGs: no sync, no reconnection, no pong reaches a handler")
  void healthyIdleSubscriberIsLeftAlone() {
    StreamAdapter adapter = openWithKeepAlive(server().endpoint(), HEALTHY_COMMAND_TIMEOUT);
    Map<StreamChannel, EventRecorder> logs = subscribeAll(adapter);
    String subscriberId = subscriberClientId();

    int intervals = 7;
    Duration idle = KEEP_ALIVE_INTERVAL.multipliedBy(intervals);
    // After 7 keepalive intervals of silence, the event lists are still empty ...
    await().atMost(idle.plus(WAIT)).during(idle).until(() ->
        logs.values().stream().allMatch(log -> log.events().isEmpty()));
    // ... the same connection is still subscribed, and PING is what it ran last.
    String subscriber = subscriberClient();
    assertThat(subscriber).contains("id=" + subscriberId + " ").contains(" cmd=ping ");

    // ... and a later write arrives, alone.
    adapter.set("a", "x", json("{\"v\":1}"));
    adapter.set("b", "y", json("{\"v\":1}"));
    for (EventRecorder log : logs.values()) {
      await().atMost(WAIT).during(Duration.ofMillis(300)).untilAsserted(() ->
          assertThat(log.types()).containsExactly("create"));
    }
    LOG.info("keepalive (interval {} ms): idle subscriber after {} intervals: {}", KEEP_ALIVE_INTERVAL.toMillis(),
        intervals, subscriber);
  }

  /** @return the CLIENT LIST line of the one subscribed connection */
  private String subscriberClient() {
    List<String> subscribers = subscribedClients(server().endpoint());
    assertThat(subscribers).as("subscribed connections").hasSize(1);
    return subscribers.get(0);
  }

  private String subscriberClientId() {
    String line = subscriberClient();
    int start = line.indexOf("id=") + 3;
    return line.substring(start, line.indexOf(' ', start));
  }
}
