package dev.streams.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streams.StreamConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The keepalive's decisions on a clock the test moves by hand, checked by calling {@code check()}
 * directly. The interval and timeout are long, so the real timer never fires during a test.
 */
class SubscriberKeepAliveTest {

  private static final Duration INTERVAL = Duration.ofSeconds(60);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SubscriberKeepAlive keepAlive = new SubscriberKeepAlive(
      StreamConfig.builder().keepAliveInterval(INTERVAL).commandTimeout(TIMEOUT).build(), now::get);
  private final CountingProbe connection = new CountingProbe();

  @AfterEach
  void close() {
    keepAlive.close();
  }

  private void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }

  private void advanceAndCheck(Duration duration) {
    advance(duration);
    keepAlive.check();
  }

  @Test
  @DisplayName("an idle connection gets one PING once the interval has passed, not before")
  void idleConnectionIsPingedAfterTheInterval() {
    keepAlive.watch(connection, false);
    advanceAndCheck(INTERVAL.minusMillis(1));
    assertThat(connection.pings).hasValue(0);
    advanceAndCheck(Duration.ofMillis(1));
    assertThat(connection.pings).hasValue(1);
    advanceAndCheck(TIMEOUT.minusMillis(1));
    assertThat(connection.pings).hasValue(1);
    assertThat(connection.closes).hasValue(0);
  }

  @Test
  @DisplayName("a reply (or any message) within the command timeout keeps the connection; the next idle interval pings again")
  void replyKeepsTheConnection() {
    keepAlive.watch(connection, false);
    advanceAndCheck(INTERVAL);
    advance(TIMEOUT.minusSeconds(1));
    keepAlive.heard();
    advanceAndCheck(Duration.ofSeconds(2));
    assertThat(connection.closes).hasValue(0);
    assertThat(connection.pings).hasValue(1);
    advanceAndCheck(INTERVAL.minusSeconds(2));
    assertThat(connection.pings).hasValue(2);
  }

  @Test
  @DisplayName("no reply within the command timeout after a PING closes the connection once, and it is not probed again")
  void silenceClosesTheConnectionOnce() {
    keepAlive.watch(connection, false);
    advanceAndCheck(INTERVAL);
    advanceAndCheck(TIMEOUT);
    assertThat(connection.closes).hasValue(1);
    advanceAndCheck(INTERVAL.multipliedBy(3));
    assertThat(connection.closes).hasValue(1);
    assertThat(connection.pings).hasValue(1);
  }

  @Test
  @DisplayName("a connection that keeps receiving is never pinged")
  void busyConnectionIsNotPinged() {
    keepAlive.watch(connection, false);
    for (int i = 0; i < 10; i++) {
      advance(INTERVAL.minusSeconds(1));
      keepAlive.heard();
      keepAlive.check();
    }
    assertThat(connection.pings).hasValue(0);
    assertThat(connection.closes).hasValue(0);
  }

  @Test
  @DisplayName("a pending first reply gets no PING: it must come within the command timeout, and then the idle interval counts from it")
  void pendingFirstReply() {
    keepAlive.watch(connection, true);
    advanceAndCheck(TIMEOUT.minusMillis(1));
    assertThat(connection.pings).hasValue(0);
    keepAlive.heard();
    advanceAndCheck(INTERVAL.minusMillis(1));
    assertThat(connection.pings).hasValue(0);
    advanceAndCheck(Duration.ofMillis(1));
    assertThat(connection.pings).hasValue(1);

    CountingProbe unanswered = new CountingProbe();
    keepAlive.watch(unanswered, true);
    advanceAndCheck(TIMEOUT);
    assertThat(unanswered.closes).hasValue(1);
    assertThat(unanswered.pings).hasValue(0);
  }

  @Test
  @DisplayName("unwatching a connection that ended leaves its successor watched")
  void unwatchOnlyTheEndedConnection() {
    CountingProbe successor = new CountingProbe();
    keepAlive.watch(connection, false);
    keepAlive.watch(successor, false);
    keepAlive.unwatch(connection);
    advanceAndCheck(INTERVAL);
    assertThat(successor.pings).hasValue(1);
    assertThat(connection.pings).hasValue(0);
    keepAlive.unwatch(successor);
    advanceAndCheck(INTERVAL.plus(TIMEOUT));
    assertThat(successor.closes).hasValue(0);
  }

  @Test
  @DisplayName("after close nothing is probed, and watching does nothing")
  void closedProbesNothing() {
    keepAlive.watch(connection, false);
    keepAlive.close();
    advanceAndCheck(INTERVAL.plus(TIMEOUT));
    keepAlive.watch(connection, false);
    advanceAndCheck(INTERVAL.plus(TIMEOUT));
    assertThat(connection.pings).hasValue(0);
    assertThat(connection.closes).hasValue(0);
  }

  @Test
  @DisplayName("on the real clock, its own thread pings an idle connection and closes it when no reply comes")
  void realTimer() {
    try (SubscriberKeepAlive real = new SubscriberKeepAlive(StreamConfig.builder()
        .keepAliveInterval(Duration.ofMillis(50)).commandTimeout(Duration.ofMillis(100)).build())) {
      CountingProbe silent = new CountingProbe();
      real.watch(silent, false);
      await().atMost(Duration.ofSeconds(20)).until(() -> silent.closes.get() == 1);
      assertThat(silent.pings).hasValue(1);
    }
  }

  private static final class CountingProbe implements SubscriberKeepAlive.Probe {
    final AtomicInteger pings = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public void sendPing() {
      pings.incrementAndGet();
    }

    @Override
    public void closeSilentConnection() {
      closes.incrementAndGet();
    }
  }
}
