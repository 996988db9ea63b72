package dev.streams.redis.jedis;

import dev.streams.ReconnectStrategy;
import dev.streams.StreamConnectionException;
import dev.streams.redis.internal.Reconnects;
import dev.streams.redis.internal.SubscriberKeepAlive;
import dev.streams.spi.ChannelTransport;
import dev.streams.spi.EventDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The adapter's one pub/sub connection and the thread that reads it.
 *
 * <p>The connection opens at the first subscription and closes when the last channel is gone. Callers
 * change its channel set while it runs, and {@link #subscribe} returns once the server confirmed the
 * channel. When the connection is lost, the thread reconnects as the {@link ReconnectStrategy} says,
 * subscribes every channel again, and then tells the dispatcher, which sends each handler a
 * {@code sync} event (SPEC.md E7). A {@link SubscriberKeepAlive} watches each connection: Jedis waits
 * on it without a timeout, so a path that died silently is noticed only by a PING left unanswered,
 * and then closed from the keepalive's thread, which ends the blocking read like any loss.
 *
 * <p>All state is guarded by {@code lock}; commands are written to the connection only under it. The
 * thread blocks on the socket without the lock, and callers wait for confirmations without it.
 */
final class JedisSubscriber implements ChannelTransport, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JedisSubscriber.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final JedisSettings settings;
  private final SubscriberKeepAlive keepAlive;
  private final Object lock = new Object();
  /** The channels wanted: confirmed, or waiting for a confirmation. */
  private final Set<String> channels = new LinkedHashSet<>();
  private final Map<String, CompletableFuture<Void>> confirmations = new HashMap<>();
  private volatile EventDispatcher dispatcher;
  private Thread thread;
  /** The session whose connection is open, or null. */
  private Session current;
  /** The session that takes SUBSCRIBE and UNSUBSCRIBE now, or null while one (re)connects or ends. */
  private Session active;
  private boolean closed;

  JedisSubscriber(JedisSettings settings) {
    this.settings = settings;
    this.keepAlive = new SubscriberKeepAlive(settings.config());
  }

  /** @param dispatcher receives every message and the news of a reconnection */
  void deliverTo(EventDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public void subscribe(String channel) {
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the subscriber of " + settings.endpoint() + " is closed");
      }
      settings.failures().requireNotGivenUp();
      if (!channels.add(channel)) {
        return;
      }
      confirmations.put(channel, confirmed);
      if (thread == null) {
        thread = new Thread(this::run, "streams-redis-jedis-subscriber-" + settings.endpoint());
        thread.setDaemon(true);
        thread.start();
      } else if (active != null) {
        send(active, () -> active.subscribe(channel));
      }
    }
    Duration timeout = settings.config().connectTimeout().plus(settings.config().commandTimeout());
    try {
      confirmed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      abandon(channel, confirmed);
      throw new StreamConnectionException("Redis at " + settings.endpoint()
          + " did not confirm the subscription to channel '" + channel + "' within " + timeout);
    } catch (ExecutionException e) {
      abandon(channel, confirmed);
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new StreamConnectionException("Redis at " + settings.endpoint()
          + " failed to subscribe channel '" + channel + "'", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon(channel, confirmed);
      throw new StreamConnectionException("interrupted while subscribing channel '" + channel + "'", e);
    }
  }

  @Override
  public void unsubscribe(String channel) {
    synchronized (lock) {
      if (!channels.remove(channel)) {
        return;
      }
      confirmations.remove(channel);
      Session session = active;
      if (session != null) {
        if (channels.isEmpty()) {
          // The session ends when the server confirms; a later subscribe opens a new one.
          active = null;
          send(session, session::unsubscribe);
        } else {
          send(session, () -> session.unsubscribe(channel));
        }
      }
    }
  }

  /** Connected while the keepalive watches a connection: from its opening to its loss. */
  @Override
  public boolean isConnected() {
    return keepAlive.isWatching();
  }

  /** Ends the connection and the thread; channels are not restored any more. */
  @Override
  public void close() {
    Thread running;
    Session session;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      channels.clear();
      failPending(new IllegalStateException("the subscriber of " + settings.endpoint() + " is closed"));
      running = thread;
      session = current;
    }
    keepAlive.close();
    if (session != null) {
      // Closing the socket ends the thread's blocking read at once.
      session.jedis.disconnect();
    }
    if (running != null && running != Thread.currentThread()) {
      running.interrupt();
      try {
        running.join(CLOSE_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try {
      loop();
    } catch (RuntimeException | Error e) {
      LOG.error("The subscriber thread of {} failed; subscriptions receive no more events",
          settings.endpoint(), e);
      synchronized (lock) {
        thread = null;
        failPending(new StreamConnectionException(
            "Redis at " + settings.endpoint() + ": the subscriber thread failed", e));
      }
      throw e;
    }
  }

  private void loop() {
    int attempt = 0;
    boolean lost = false;
    boolean retry = false;
    while (true) {
      Set<String> initial;
      synchronized (lock) {
        if (closed || channels.isEmpty() || settings.failures().hasGivenUp()) {
          thread = null;
          return;
        }
        initial = new LinkedHashSet<>(channels);
      }
      if (retry) {
        attempt++;
        ReconnectStrategy.Decision decision =
            Reconnects.decide(settings.config().reconnectStrategy(), attempt);
        if (decision instanceof ReconnectStrategy.GiveUp giveUp) {
          gaveUp(giveUp.reason());
          synchronized (lock) {
            thread = null;
          }
          return;
        }
        if (!pause(((ReconnectStrategy.RetryAfter) decision).delay())) {
          continue;
        }
      }
      Jedis jedis = null;
      try {
        // Connects, logs in and selects the database, within the connect and command timeouts.
        jedis = new Jedis(settings.hostAndPort(), settings.clientConfig());
        jedis.ping();
      } catch (JedisException e) {
        if (jedis != null) {
          jedis.close();
        }
        failPending(settings.connectionFailure("opening the subscriber connection", e));
        if (lost) {
          LOG.warn("Reconnecting the subscriber to {} failed (attempt {}): {}", settings.endpoint(),
              attempt, e.getMessage());
        }
        retry = true;
        continue;
      }
      Session session = new Session(jedis, initial, lost);
      synchronized (lock) {
        if (closed) {
          jedis.close();
          thread = null;
          return;
        }
        current = session;
      }
      // The SUBSCRIBE that jedis.subscribe sends is the first command to be answered in time.
      keepAlive.watch(session, true);
      try {
        // Blocks until every channel is unsubscribed or the connection fails.
        jedis.subscribe(session, initial.toArray(String[]::new));
        retry = false;
      } catch (JedisException e) {
        if (isClosed()) {
          continue;
        }
        failPending(settings.connectionFailure("subscribing", e));
        if (session.activated) {
          LOG.warn("Lost the subscriber connection to {}: {}; reconnecting", settings.endpoint(),
              e.getMessage());
        }
        retry = true;
      } finally {
        keepAlive.unwatch(session);
        synchronized (lock) {
          if (current == session) {
            current = null;
          }
          if (active == session) {
            active = null;
          }
        }
        jedis.close();
      }
      if (session.restoredAll) {
        lost = false;
      }
      if (session.activated) {
        attempt = 0;
        lost = lost || retry;
      }
    }
  }

  /** Called under the lock when a session's first confirmation arrives: it takes over. */
  private void activate(Session session) {
    if (closed || current != session) {
      return;
    }
    if (channels.isEmpty()) {
      send(session, session::unsubscribe);
      return;
    }
    active = session;
    List<String> missing = new ArrayList<>();
    for (String channel : channels) {
      if (!session.initial.contains(channel)) {
        missing.add(channel);
      }
    }
    List<String> extra = new ArrayList<>();
    for (String channel : session.initial) {
      if (!channels.contains(channel)) {
        extra.add(channel);
      }
    }
    if (!missing.isEmpty()) {
      send(session, () -> session.subscribe(missing.toArray(String[]::new)));
    }
    if (!extra.isEmpty()) {
      send(session, () -> session.unsubscribe(extra.toArray(String[]::new)));
    }
  }

  /**
   * The reconnect strategy gave up, here or on the command path: later calls fail with its reason
   * (see {@link JedisSettings#requireNotGivenUp}), the connection closes, and every handler gets a
   * last {@code disconnected} event. Only the first give-up of the adapter acts.
   *
   * @param reason the strategy's reason
   */
  void gaveUp(String reason) {
    if (!settings.failures().giveUp(reason)) {
      return;
    }
    LOG.error("Gave up reconnecting to {}: {}; calls fail from now on and subscriptions end",
        settings.endpoint(), reason);
    Session session;
    synchronized (lock) {
      session = current;
      failPending(new StreamConnectionException("Redis at " + settings.endpoint()
          + ": the reconnect strategy gave up: " + reason));
    }
    if (session != null) {
      // Ends the thread's blocking read; the loop then sees the give-up and stops.
      session.jedis.disconnect();
    }
    EventDispatcher target = dispatcher;
    if (target != null) {
      // Outside the lock: the dispatcher unsubscribes every channel through this transport.
      target.disconnected(reason);
    }
  }

  /** Fails every subscribe still waiting; their channels are not wanted any more. Under the lock. */
  private void failPending(RuntimeException failure) {
    synchronized (lock) {
      for (Map.Entry<String, CompletableFuture<Void>> entry : confirmations.entrySet()) {
        channels.remove(entry.getKey());
        entry.getValue().completeExceptionally(failure);
      }
      confirmations.clear();
    }
  }

  /** The caller of subscribe gave up on a channel: it must not stay subscribed. */
  private void abandon(String channel, CompletableFuture<Void> confirmed) {
    synchronized (lock) {
      confirmations.remove(channel, confirmed);
      if (channels.contains(channel)) {
        unsubscribe(channel);
      }
    }
  }

  /** @return false if the wait was cut short by close */
  private boolean pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  /** Writes to the subscriber connection; a broken one is noticed and handled by the thread. */
  private void send(Session session, Runnable command) {
    try {
      command.run();
    } catch (JedisException e) {
      LOG.debug("Could not write to the subscriber connection to {} ({}); the reader will reconnect",
          settings.endpoint(), e.getMessage());
    }
  }

  /** One subscriber connection, from connect to loss or end. */
  private final class Session extends JedisPubSub implements SubscriberKeepAlive.Probe {
    private final Jedis jedis;
    private final Set<String> initial;
    private final boolean reconnection;
    private final Set<String> unconfirmed;
    private boolean activated;
    private volatile boolean restoredAll;

    Session(Jedis jedis, Set<String> initial, boolean reconnection) {
      this.jedis = jedis;
      this.initial = initial;
      this.reconnection = reconnection;
      this.unconfirmed = new LinkedHashSet<>(initial);
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      keepAlive.heard();
      boolean restored = false;
      synchronized (lock) {
        if (!activated) {
          activated = true;
          activate(this);
        }
        if (channels.contains(channel)) {
          CompletableFuture<Void> confirmed = confirmations.remove(channel);
          if (confirmed != null) {
            confirmed.complete(null);
          }
        }
        if (unconfirmed.remove(channel) && unconfirmed.isEmpty()) {
          restoredAll = true;
          restored = reconnection;
        }
      }
      if (restored) {
        LOG.info("Subscriber reconnected to {}; {} channel(s) restored", settings.endpoint(), initial.size());
        dispatcher.reconnected();
      }
    }

    @Override
    public void onUnsubscribe(String channel, int subscribedChannels) {
      keepAlive.heard();
    }

    @Override
    public void onMessage(String channel, String message) {
      keepAlive.heard();
      dispatcher.onMessage(channel, message);
    }

    /** The reply to the keepalive's PING: proof of life, nothing for the handlers. */
    @Override
    public void onPong(String pattern) {
      keepAlive.heard();
    }

    @Override
    public void sendPing() {
      // Jedis 8 on RESP2 keeps one reply-queue entry (some 24 bytes) per PING until the connection
      // ends: about 140 KB a day on a connection silent for good at the default interval.
      synchronized (lock) {
        if (current == this) {
          send(this, this::ping);
        }
      }
    }

    @Override
    public void closeSilentConnection() {
      // Ends the subscriber thread's blocking read: the loop reconnects as after any loss.
      jedis.disconnect();
    }
  }
}
