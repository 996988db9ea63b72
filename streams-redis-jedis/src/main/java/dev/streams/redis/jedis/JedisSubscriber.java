package dev.streams.redis.jedis;

import dev.streams.ReconnectStrategy;
import dev.streams.StreamConnectionException;
import dev.streams.redis.internal.ReconnectStrategyGuard;
import dev.streams.redis.internal.SubscribeCommands;
import dev.streams.redis.internal.SubscriberKeepAlive;
import dev.streams.spi.ChannelTransport;
import dev.streams.spi.MessageSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The adapter's one pub/sub connection and the thread that reads it.
 *
 * <p>The connection opens at the first subscription and closes when the last channel is gone. Callers
 * change its channel set while it runs, and {@link #subscribe} returns once the server confirmed the
 * channel. When the connection is lost, the thread reconnects as the {@link ReconnectStrategy} says,
 * subscribes every channel again, and then tells its {@link MessageSink}, which sends each handler a
 * {@code sync} event (E7). A {@link SubscriberKeepAlive} watches each connection: Jedis waits
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
  /** The nodes to connect to, in the order to try them. */
  private final Nodes nodes;
  private final SubscriberKeepAlive keepAlive;
  private final Object lock = new Object();
  /** The channels wanted: confirmed, or waiting for a confirmation. */
  private final Set<String> channels = new LinkedHashSet<>();
  private final Map<String, CompletableFuture<Void>> confirmations = new HashMap<>();
  /**
   * Channels of {@code channels} subscribed through the asynchronous API whose SUBSCRIBE is not
   * written yet: one task of the caller's executor writes all those gathered meanwhile in a few
   * commands (see {@link SubscribeCommands}).
   */
  private final Set<String> unsent = new LinkedHashSet<>();
  private boolean unsentScheduled;
  private final MessageSink sink;
  private Thread thread;
  /** The session whose connection is open, or null. */
  private Session current;
  /** The session that takes SUBSCRIBE and UNSUBSCRIBE now, or null while one (re)connects or ends. */
  private Session active;
  private boolean closed;

  /** Where the subscriber connects. */
  @FunctionalInterface
  interface Nodes {
    /**
     * @param reconnecting whether a connection was lost or an attempt failed: a cluster's view of
     *     its nodes is refreshed first
     * @return the nodes to try, in order, at least one; any of them takes classic SUBSCRIBE
     */
    List<HostAndPort> candidates(boolean reconnecting);
  }

  private JedisSubscriber(JedisSettings settings, Nodes nodes, MessageSink sink) {
    this.settings = settings;
    this.nodes = nodes;
    this.sink = sink;
    this.keepAlive = new SubscriberKeepAlive(settings.config());
  }

  /**
   * @param settings the adapter's settings, its give-up state included
   * @param sink receives every message, and the news of a reconnection or a give-up
   * @return a subscriber with no connection yet; it ends its subscriptions when the strategy gives up,
   *     here or on the command path
   */
  static JedisSubscriber create(JedisSettings settings, MessageSink sink) {
    return create(settings, reconnecting -> List.of(settings.hostAndPort()), sink);
  }

  /**
   * @param settings the adapter's settings, its give-up state included
   * @param nodes where to connect: on a cluster (L3) any node, as PUBLISH reaches every node
   * @param sink receives every message, and the news of a reconnection or a give-up
   * @return a subscriber with no connection yet, as {@link #create(JedisSettings, MessageSink)}
   */
  static JedisSubscriber create(JedisSettings settings, Nodes nodes, MessageSink sink) {
    JedisSubscriber subscriber = new JedisSubscriber(settings, nodes, sink);
    settings.giveUp().whenGivenUp(subscriber::gaveUp);
    return subscriber;
  }

  /** Waits on the caller's thread, interruptibly; a channel not confirmed in time is abandoned. */
  @Override
  public void subscribe(String channel) {
    CompletableFuture<Void> confirmed = register(channel, null);
    Duration timeout = confirmationTimeout();
    try {
      confirmed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      abandon(channel, confirmed);
      throw notConfirmed(channel, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon(channel, confirmed);
      throw new StreamConnectionException("Interrupted while subscribing channel '" + channel
          + "' on Redis at " + settings.endpoint(), e);
    } catch (ExecutionException e) {
      abandon(channel, confirmed);
      throw failureOf(channel, e.getCause());
    }
  }

  /**
   * Sends the SUBSCRIBE and returns: the reader thread completes the stage at the server's
   * confirmation, so any number of channels are on the wire at once. A channel not confirmed in
   * time is abandoned on {@code blocking}: that writes to the connection, and the JDK's timer thread,
   * which every timeout of the JVM shares, must not wait for that.
   */
  @Override
  public CompletableFuture<Void> subscribeAsync(String channel, Executor blocking) {
    CompletableFuture<Void> confirmed = register(channel, blocking);
    Duration timeout = confirmationTimeout();
    CompletableFuture<Void> outcome = new CompletableFuture<>();
    // On a copy: the timeout is this caller's, and must not complete a confirmation others share.
    confirmed.thenApply(done -> done).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((done, failure) -> {
          if (failure == null) {
            outcome.complete(null);
            return;
          }
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          if (!(cause instanceof TimeoutException)) {
            abandon(channel, confirmed);
            outcome.completeExceptionally(failureOf(channel, cause));
            return;
          }
          Runnable giveUp = () -> {
            abandon(channel, confirmed);
            outcome.completeExceptionally(notConfirmed(channel, timeout));
          };
          try {
            blocking.execute(giveUp);
          } catch (RejectedExecutionException closing) {
            giveUp.run();
          }
        });
    return outcome;
  }

  /**
   * Wants the channel, sending its SUBSCRIBE if the connection is up (else the reader subscribes it
   * when it connects).
   *
   * @param sender null to write the SUBSCRIBE now; else the executor of a task that writes it with
   *     the others subscribed until that task runs
   * @return the server's confirmation, shared by every caller waiting for the same channel; failed at
   *     once if the subscriber is closed or the reconnect strategy gave up
   */
  private CompletableFuture<Void> register(String channel, Executor sender) {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("the subscriber of " + settings.endpoint() + " is closed"));
      }
      try {
        settings.giveUp().requireNotGivenUp();
      } catch (RuntimeException gaveUp) {
        return CompletableFuture.failedFuture(gaveUp);
      }
      if (!channels.add(channel)) {
        CompletableFuture<Void> waiting = confirmations.get(channel);
        return waiting == null ? CompletableFuture.completedFuture(null) : waiting;
      }
      CompletableFuture<Void> confirmed = new CompletableFuture<>();
      confirmations.put(channel, confirmed);
      if (thread == null) {
        thread = new Thread(this::run, "streams-redis-jedis-subscriber-" + settings.endpoint());
        thread.setDaemon(true);
        thread.start();
      } else if (active != null) {
        unsent.add(channel);
        if (sender == null) {
          sendUnsent();
        } else if (!unsentScheduled) {
          unsentScheduled = true;
          try {
            sender.execute(() -> {
              synchronized (lock) {
                sendUnsent();
              }
            });
          } catch (RejectedExecutionException closing) {
            sendUnsent();
          }
        }
      }
      return confirmed;
    }
  }

  /** Writes the SUBSCRIBE of the channels gathered so far; under {@code lock}, as every write. */
  private void sendUnsent() {
    unsentScheduled = false;
    Session session = active;
    if (session != null) {
      for (List<String> command : SubscribeCommands.commands(List.copyOf(unsent))) {
        send(session, () -> session.subscribe(command.toArray(String[]::new)));
      }
    }
    // Without an active session, the next one subscribes every wanted channel (activate).
    unsent.clear();
  }

  /** How long a subscribe waits for its confirmation: a connection may have to be opened first. */
  private Duration confirmationTimeout() {
    return settings.config().connectTimeout().plus(settings.config().commandTimeout());
  }

  private StreamConnectionException notConfirmed(String channel, Duration timeout) {
    return new StreamConnectionException("Redis at " + settings.endpoint()
        + " did not confirm the subscription to channel '" + channel + "' within " + timeout);
  }

  private RuntimeException failureOf(String channel, Throwable failure) {
    return failure instanceof RuntimeException cause ? cause : new StreamConnectionException(
        "Redis at " + settings.endpoint() + " failed to subscribe channel '" + channel + "'", failure);
  }

  @Override
  public void unsubscribe(String channel) {
    synchronized (lock) {
      if (!channels.remove(channel)) {
        return;
      }
      // Not written yet: never will be, and needs no UNSUBSCRIBE.
      boolean written = !unsent.remove(channel);
      CompletableFuture<Void> waiting = confirmations.remove(channel);
      if (waiting != null) {
        // Ended before the server confirmed it: what waited for it goes on, to a subscription ended.
        waiting.complete(null);
      }
      Session session = active;
      if (session != null) {
        if (channels.isEmpty()) {
          // The session ends when the server confirms; a later subscribe opens a new one.
          active = null;
          send(session, session::unsubscribe);
        } else if (written) {
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
      unsent.clear();
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

  /** Connects, reads until the connection ends, and reconnects as the strategy says, until told to end. */
  private void loop() {
    Outage outage = new Outage();
    while (true) {
      Set<String> initial = channelsToOpen();
      if (initial == null) {
        return;
      }
      if (outage.retry) {
        Duration delay = nextDelay(outage);
        if (delay == null) {
          return;
        }
        if (!pause(delay)) {
          continue;
        }
      }
      Jedis jedis = connect(outage);
      if (jedis == null) {
        outage.retry = true;
        continue;
      }
      Session session = begin(jedis, initial, outage.lost);
      if (session == null) {
        return;
      }
      outage.retry = !read(session);
      outage.ended(session);
    }
  }

  /**
   * @return the channels a new connection subscribes, or null when the thread is to end (closed,
   *     nothing wanted, or the strategy gave up); it has ended then
   */
  private Set<String> channelsToOpen() {
    synchronized (lock) {
      if (closed || channels.isEmpty() || settings.giveUp().hasGivenUp()) {
        thread = null;
        return null;
      }
      return new LinkedHashSet<>(channels);
    }
  }

  /**
   * Asks the strategy about the next attempt (E7).
   *
   * @return how long to wait first, or null if it gave up: the adapter is down, and the thread ended
   */
  private Duration nextDelay(Outage outage) {
    outage.attempt++;
    ReconnectStrategy.Decision decision =
        ReconnectStrategyGuard.decide(settings.config().reconnectStrategy(), outage.attempt);
    if (decision instanceof ReconnectStrategy.GiveUp giveUp) {
      settings.giveUp().giveUp(giveUp.reason());
      synchronized (lock) {
        thread = null;
      }
      return null;
    }
    return ((ReconnectStrategy.RetryAfter) decision).delay();
  }

  /**
   * @return a connection, to the first candidate node that answers, logged in and on its database;
   *     null if none did (pending subscribes fail)
   */
  private Jedis connect(Outage outage) {
    JedisException failure = null;
    for (HostAndPort node : nodes.candidates(outage.retry)) {
      Jedis jedis = null;
      try {
        // Connects, logs in and selects the database, within the connect and command timeouts.
        jedis = new Jedis(node, settings.clientConfig());
        jedis.ping();
        return jedis;
      } catch (JedisException e) {
        if (jedis != null) {
          jedis.close();
        }
        // The first failure is the one reported: on a single server the only one.
        failure = failure == null ? e : failure;
      }
    }
    StreamConnectionException reported =
        settings.failures().connectionFailure("opening the subscriber connection", failure);
    failPending(reported);
    if (outage.lost) {
      // Our words, not the client's: a server's error text may repeat the handshake's password (C3).
      LOG.warn("Reconnecting the subscriber failed (attempt {}): {}", outage.attempt, reported.getMessage());
    }
    return null;
  }

  /** @return the session on the connection, now current; null if the subscriber closed meanwhile */
  private Session begin(Jedis jedis, Set<String> initial, boolean reconnection) {
    Session session = new Session(jedis, initial, reconnection);
    synchronized (lock) {
      if (closed) {
        jedis.close();
        thread = null;
        return null;
      }
      current = session;
    }
    return session;
  }

  /**
   * Subscribes the session's channels and reads its connection until it ends, then closes it.
   *
   * @return true if every channel was unsubscribed, false if the connection failed
   */
  private boolean read(Session session) {
    // The SUBSCRIBE that jedis.subscribe sends is the first command to be answered in time.
    keepAlive.watch(session, true);
    try {
      // Blocks until every channel is unsubscribed or the connection fails.
      session.jedis.subscribe(session, session.initial.toArray(String[]::new));
      return true;
    } catch (JedisException e) {
      if (!isClosed()) {
        failPending(settings.failures().connectionFailure("subscribing", e));
        if (session.activated) {
          LOG.warn("Lost the subscriber connection to {}: {}; reconnecting", settings.endpoint(),
              e.getMessage());
        }
      }
      return false;
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
      session.jedis.close();
    }
  }

  /** The subscriber thread's view of an outage. Used by that thread only. */
  private static final class Outage {
    /** Attempts since a session was last confirmed by the server. */
    int attempt;
    /** Whether channels were lost and not yet all restored: the next session is a reconnection. */
    boolean lost;
    /** Whether the next connection is a reconnection attempt, which the strategy paces. */
    boolean retry;

    /** A session ended; {@code retry} says whether it failed. */
    void ended(Session session) {
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
    // Every wanted channel is subscribed below or was in the session's first command.
    unsent.clear();
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
   * The reconnect strategy gave up, here or on the command path (E7): later calls fail with its
   * reason (see {@link dev.streams.redis.internal.ReconnectGiveUp#requireNotGivenUp}), the connection
   * closes, and every handler gets a last {@code disconnected} event.
   *
   * @param reason the strategy's reason
   */
  private void gaveUp(String reason) {
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
    // Outside the lock: the sink unsubscribes every channel through this transport.
    sink.disconnected(reason);
  }

  /** Fails every subscribe still waiting; their channels are not wanted any more. Under the lock. */
  private void failPending(RuntimeException failure) {
    List<CompletableFuture<Void>> waiting;
    synchronized (lock) {
      channels.removeAll(confirmations.keySet());
      // Each of them waits for a confirmation.
      unsent.clear();
      waiting = List.copyOf(confirmations.values());
      confirmations.clear();
    }
    // After the map is emptied: a failed stage's own handling (abandon) runs on this thread.
    waiting.forEach(confirmed -> confirmed.completeExceptionally(failure));
  }

  /**
   * The caller of subscribe gave up on a channel: it must not stay subscribed, even if its
   * confirmation came just after the caller's timeout. By name: the dispatcher subscribes a channel
   * again only after this (see {@link ChannelTransport}).
   */
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
        sink.reconnected();
      }
    }

    @Override
    public void onUnsubscribe(String channel, int subscribedChannels) {
      keepAlive.heard();
    }

    @Override
    public void onMessage(String channel, String message) {
      keepAlive.heard();
      sink.onMessage(channel, message);
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
