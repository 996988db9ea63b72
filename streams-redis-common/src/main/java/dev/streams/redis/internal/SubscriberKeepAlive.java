package dev.streams.redis.internal;

import dev.streams.StreamConfig;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keepalive of a subscriber connection, the same on every Redis backend.
 *
 * <p>A pub/sub connection only ever receives, so a path that died without a FIN or RST (a NAT or
 * firewall that dropped it, a server restarted behind a proxy) looks like a quiet channel forever,
 * and events published meanwhile are lost unnoticed. So: when the watched connection has received
 * nothing for {@link StreamConfig#keepAliveInterval()}, the backend sends PING on it; when nothing at
 * all (the pong or any other message) arrives within {@link StreamConfig#commandTimeout()} after that,
 * the connection is declared dead with a WARN naming {@code host:port}, and the backend closes it, so
 * that its reconnect path takes over (reconnect strategy, resubscription, one {@code sync} per handler:
 * E7).
 *
 * <p>One per adapter. A backend {@link #watch watches} each subscriber connection while it is open,
 * reports everything it receives with {@link #heard()} (cheap: called for every message), and
 * {@link #unwatch unwatches} it when it ends. The checks run on one daemon thread, started with the
 * first watched connection and ended by {@link #close()}; it wakes only when a deadline is due.
 */
public final class SubscriberKeepAlive implements AutoCloseable {

  /** What the keepalive does to a watched connection; called on the keepalive's thread, never under its lock. */
  public interface Probe {

    /** Sends PING on the connection; its reply, like any message, must reach {@link SubscriberKeepAlive#heard()}. Must not block long. */
    void sendPing();

    /** Closes the connection, so that the backend reconnects it: nothing arrived in time. */
    void closeSilentConnection();
  }

  private static final Logger LOG = LoggerFactory.getLogger(SubscriberKeepAlive.class);

  private final String endpoint;
  private final long intervalNanos;
  private final long timeoutNanos;
  private final LongSupplier clock;
  private final Duration interval;
  private final Duration timeout;
  /** When anything last arrived (clock nanos). Written by the connection's reader thread. */
  private volatile long lastHeard;
  /** Whether a reply is due: set before a PING (or the first command) goes out, cleared by anything heard. */
  private volatile boolean replyDue;
  /** Guarded by this: the connection watched, or null. */
  private Probe watched;
  /** Guarded by this: when the due reply was asked for (clock nanos). */
  private long replyAskedAt;
  /** Guarded by this: the next check, or null. */
  private ScheduledFuture<?> nextCheck;
  /** Guarded by this: created with the first watched connection. */
  private ScheduledThreadPoolExecutor timer;
  /** Guarded by this. */
  private boolean closed;

  /**
   * @param config the adapter's configuration: interval, timeout and {@code host:port} for the log
   */
  public SubscriberKeepAlive(StreamConfig config) {
    this(config, System::nanoTime);
  }

  /** For tests: {@code clock} gives nanoseconds, like {@link System#nanoTime()}. */
  SubscriberKeepAlive(StreamConfig config, LongSupplier clock) {
    this.endpoint = config.endpoint();
    this.interval = config.keepAliveInterval();
    this.timeout = config.commandTimeout();
    this.intervalNanos = nanos(interval);
    this.timeoutNanos = nanos(timeout);
    this.clock = clock;
  }

  /**
   * Starts watching a connection (and stops watching the previous one, if any).
   *
   * @param connection the connection, as the backend sends PING on it and closes it
   * @param replyPending whether a command that must be answered is already on its way (a SUBSCRIBE):
   *     then its reply, too, must come within the command timeout, and no PING is sent before it
   */
  public void watch(Probe connection, boolean replyPending) {
    synchronized (this) {
      if (closed) {
        return;
      }
      long now = clock.getAsLong();
      watched = connection;
      lastHeard = now;
      replyAskedAt = now;
      replyDue = replyPending;
      schedule(replyPending ? timeoutNanos : intervalNanos);
    }
  }

  /**
   * Stops watching a connection that ended; does nothing if another one is watched by now.
   *
   * @param connection the connection passed to {@link #watch}
   */
  public void unwatch(Probe connection) {
    synchronized (this) {
      if (watched != connection) {
        return;
      }
      watched = null;
      replyDue = false;
      cancelNextCheck();
    }
  }

  /**
   * @return whether a subscriber connection is watched now: open, and not declared dead (for health
   *     checks, through {@link dev.streams.spi.ChannelTransport#isConnected()})
   */
  public synchronized boolean isWatching() {
    return watched != null;
  }

  /** Something arrived on the watched connection: a message, a confirmation, a pong. */
  public void heard() {
    lastHeard = clock.getAsLong();
    replyDue = false;
  }

  /** Stops watching for good and ends the thread. */
  @Override
  public void close() {
    ScheduledThreadPoolExecutor running;
    synchronized (this) {
      closed = true;
      watched = null;
      cancelNextCheck();
      running = timer;
      timer = null;
    }
    if (running != null) {
      running.shutdownNow();
    }
  }

  /** Runs when a deadline is due: sends a PING, declares the connection dead, or waits on. */
  void check() {
    Probe ping = null;
    Probe dead = null;
    long silentNanos = 0;
    synchronized (this) {
      nextCheck = null;
      if (closed || watched == null) {
        return;
      }
      long now = clock.getAsLong();
      if (replyDue) {
        long waited = now - replyAskedAt;
        if (waited < timeoutNanos) {
          schedule(timeoutNanos - waited);
          return;
        }
        dead = watched;
        silentNanos = now - lastHeard;
        watched = null;
        replyDue = false;
      } else {
        long idle = now - lastHeard;
        if (idle < intervalNanos) {
          schedule(intervalNanos - idle);
          return;
        }
        // Due before the PING leaves: a reply may come back before this thread goes on.
        replyDue = true;
        replyAskedAt = now;
        ping = watched;
        schedule(timeoutNanos);
      }
    }
    if (dead != null) {
      LOG.warn("The subscriber connection to {} received nothing for {} ms, no reply within the command"
          + " timeout {}; closing it to reconnect (keepAliveInterval {})", endpoint,
          TimeUnit.NANOSECONDS.toMillis(silentNanos), timeout, interval);
      try {
        dead.closeSilentConnection();
      } catch (RuntimeException e) {
        LOG.warn("Closing the silent subscriber connection to {} failed: {}", endpoint, e.toString());
      }
    } else {
      try {
        ping.sendPing();
      } catch (RuntimeException e) {
        // The check already scheduled declares the connection dead if no reply comes.
        LOG.debug("PING on the subscriber connection to {} failed: {}", endpoint, e.toString());
      }
    }
  }

  /** Under the lock. */
  private void schedule(long delayNanos) {
    cancelNextCheck();
    if (timer == null) {
      timer = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "streams-keepalive-" + endpoint);
        thread.setDaemon(true);
        return thread;
      });
      timer.setRemoveOnCancelPolicy(true);
    }
    nextCheck = timer.schedule(this::check, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  /** Under the lock. */
  private void cancelNextCheck() {
    if (nextCheck != null) {
      nextCheck.cancel(false);
      nextCheck = null;
    }
  }

  private static long nanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE / 4;
    }
  }
}
