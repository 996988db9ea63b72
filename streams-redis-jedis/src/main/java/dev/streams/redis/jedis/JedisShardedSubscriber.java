package dev.streams.redis.jedis;

import dev.streams.ReconnectStrategy;
import dev.streams.StreamConnectionException;
import dev.streams.redis.internal.ReconnectStrategyGuard;
import dev.streams.redis.internal.RedisSlots;
import dev.streams.redis.internal.SubscriberKeepAlive;
import dev.streams.spi.ChannelTransport;
import dev.streams.spi.MessageSink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Sharded pub/sub on a Redis Cluster (L3), for the hash layout, whose events travel by SPUBLISH to
 * the node that owns the channel's slot: one connection (a session) per node that owns a subscribed
 * channel's slot, each read by a thread of its own, and one worker thread that opens sessions and
 * routes channels to them.
 *
 * <p>The sessions are read by a small loop here, not by Jedis's {@code JedisShardedPubSub}, which
 * cannot send PING: so a {@link SubscriberKeepAlive} watches each session as on a single server.
 * Each SSUBSCRIBE names one channel (one SSUBSCRIBE may name channels of one slot only).
 *
 * <p>A channel is displaced when the server ends its subscription (a SUNSUBSCRIBE we did not send:
 * its slot moved to another node, or the node was failed over), when SSUBSCRIBE is answered by a
 * redirection, or when its session's connection is lost. The worker then refreshes the slot map and
 * subscribes it at its slot's owner, paced by the reconnect strategy after a connection loss; once
 * the new owner confirms, the channel's handlers get one sync ({@link MessageSink#resubscribed},
 * E7). Handlers of other channels get nothing.
 *
 * <p>All state is guarded by {@code lock}; commands are written to a session only under it. Threads
 * block on sockets without it, and callers wait for confirmations without it.
 */
final class JedisShardedSubscriber implements ChannelTransport, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JedisShardedSubscriber.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final JedisSettings settings;
  private final JedisClusterCommands cluster;
  private final MessageSink sink;
  private final Object lock = new Object();
  /** The channels wanted: confirmed, being routed, or waiting for a confirmation. */
  private final Set<String> channels = new LinkedHashSet<>();
  /** The subscribe calls waiting for their channel's first confirmation. */
  private final Map<String, CompletableFuture<Void>> confirmations = new HashMap<>();
  /** Channels the worker is to subscribe at their slot's owner: new ones and displaced ones. */
  private final Set<String> toRoute = new LinkedHashSet<>();
  /** Displaced channels not confirmed again yet: their handlers get a sync once they are. */
  private final Set<String> restoring = new HashSet<>();
  /** Channels redirected once since their last confirmation: a second redirection is paced. */
  private final Set<String> redirected = new HashSet<>();
  private final Map<HostAndPort, Session> sessions = new LinkedHashMap<>();
  /** The session each routed channel was subscribed on. */
  private final Map<String, Session> channelSession = new HashMap<>();
  private Thread worker;
  /** Whether the worker refreshes the slot map before its next round. */
  private boolean renew;
  /** Whether the worker's next round waits as the reconnect strategy says. */
  private boolean paced;
  /** Rounds that failed since a channel was last confirmed. */
  private int attempt;
  private boolean closed;

  private JedisShardedSubscriber(JedisSettings settings, JedisClusterCommands cluster, MessageSink sink) {
    this.settings = settings;
    this.cluster = cluster;
    this.sink = sink;
  }

  /**
   * @param settings the adapter's settings, its give-up state included
   * @param cluster the routed commands, whose slot map says where each channel lives
   * @param sink receives every message, and the news of a resubscription or a give-up
   * @return a subscriber without sessions yet; it ends its subscriptions when the strategy gives up
   */
  static JedisShardedSubscriber create(JedisSettings settings, JedisClusterCommands cluster, MessageSink sink) {
    JedisShardedSubscriber subscriber = new JedisShardedSubscriber(settings, cluster, sink);
    settings.giveUp().whenGivenUp(subscriber::gaveUp);
    return subscriber;
  }

  @Override
  public void subscribe(String channel) {
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the subscriber of " + settings.endpoint() + " is closed");
      }
      settings.giveUp().requireNotGivenUp();
      if (!channels.add(channel)) {
        return;
      }
      confirmations.put(channel, confirmed);
      route(channel);
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
      toRoute.remove(channel);
      restoring.remove(channel);
      redirected.remove(channel);
      Session session = channelSession.remove(channel);
      if (session != null) {
        session.assigned.remove(channel);
        // The session ends once the server confirms that it holds no channel any more.
        session.send(Protocol.Command.SUNSUBSCRIBE, channel);
      }
    }
  }

  /** Connected while every session is watched and no channel waits for a route. */
  @Override
  public boolean isConnected() {
    synchronized (lock) {
      if (sessions.isEmpty() || !toRoute.isEmpty()) {
        return false;
      }
      for (Session session : sessions.values()) {
        if (!session.keepAlive.isWatching()) {
          return false;
        }
      }
      return true;
    }
  }

  /** Ends every session and the threads; channels are not restored any more. */
  @Override
  public void close() {
    Thread running;
    List<Session> open;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      channels.clear();
      toRoute.clear();
      failPending(new IllegalStateException("the subscriber of " + settings.endpoint() + " is closed"));
      running = worker;
      open = new ArrayList<>(sessions.values());
      sessions.clear();
      lock.notifyAll();
    }
    open.forEach(Session::end);
    if (running != null && running != Thread.currentThread()) {
      running.interrupt();
      try {
        running.join(CLOSE_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Hands a channel to the worker, starting it if needed. Under the lock. */
  private void route(String channel) {
    toRoute.add(channel);
    if (worker == null) {
      worker = new Thread(this::work, "streams-redis-jedis-sharded-subscriber-" + settings.endpoint());
      worker.setDaemon(true);
      worker.start();
    }
    lock.notifyAll();
  }

  /** The worker thread: routes channels until closed or given up. */
  private void work() {
    try {
      while (true) {
        boolean pace;
        synchronized (lock) {
          if (toRoute.isEmpty()) {
            // Nothing left to route: no outage goes on, and the next one starts afresh (E7).
            paced = false;
            attempt = 0;
          }
          while (!closed && toRoute.isEmpty() && !settings.giveUp().hasGivenUp()) {
            lock.wait();
          }
          if (closed || settings.giveUp().hasGivenUp()) {
            worker = null;
            return;
          }
          pace = paced;
          paced = false;
        }
        if (pace && !pause()) {
          continue;
        }
        routeRound();
      }
    } catch (InterruptedException e) {
      synchronized (lock) {
        worker = null;
      }
    } catch (RuntimeException | Error e) {
      LOG.error("The sharded subscriber thread of {} failed; channels are not restored any more",
          settings.endpoint(), e);
      synchronized (lock) {
        worker = null;
        failPending(new StreamConnectionException(
            "Redis at " + settings.endpoint() + ": the sharded subscriber thread failed", e));
      }
      throw e;
    }
  }

  /**
   * Waits as the reconnect strategy says before the next attempt (E7); gives up if it says so.
   *
   * @return false if the wait was cut short, or the strategy gave up
   */
  private boolean pause() throws InterruptedException {
    int next;
    synchronized (lock) {
      next = ++attempt;
    }
    ReconnectStrategy.Decision decision =
        ReconnectStrategyGuard.decide(settings.config().reconnectStrategy(), next);
    if (decision instanceof ReconnectStrategy.GiveUp giveUp) {
      settings.giveUp().giveUp(giveUp.reason());
      return false;
    }
    Thread.sleep(((ReconnectStrategy.RetryAfter) decision).delay().toMillis());
    return true;
  }

  /** Subscribes each channel waiting for a route at its slot's owner, opening sessions as needed. */
  private void routeRound() {
    List<String> work;
    boolean refresh;
    synchronized (lock) {
      work = new ArrayList<>(toRoute);
      refresh = renew;
      renew = false;
    }
    if (refresh) {
      cluster.renewSlotMap();
    }
    Map<HostAndPort, JedisException> unreachable = new HashMap<>();
    JedisException failure = null;
    for (String channel : work) {
      HostAndPort owner = cluster.ownerOf(RedisSlots.slot(channel));
      if (owner == null) {
        synchronized (lock) {
          renew = true;
          paced = true;
        }
        continue;
      }
      if (unreachable.containsKey(owner)) {
        continue;
      }
      Session session;
      synchronized (lock) {
        session = sessions.get(owner);
      }
      if (session == null) {
        try {
          session = open(owner);
        } catch (JedisException e) {
          unreachable.put(owner, e);
          failure = failure == null ? e : failure;
          continue;
        }
        if (session == null) {
          // Closed meanwhile.
          return;
        }
      }
      synchronized (lock) {
        if (!channels.contains(channel) || !toRoute.remove(channel)) {
          // Unsubscribed meanwhile.
          continue;
        }
        if (session.ended) {
          // Lost meanwhile: the next round routes the channel again.
          toRoute.add(channel);
          continue;
        }
        session.assigned.add(channel);
        channelSession.put(channel, session);
        session.send(Protocol.Command.SSUBSCRIBE, channel);
      }
    }
    if (failure != null) {
      RuntimeException reported = settings.failures().connectionFailure("opening a sharded subscriber connection", failure);
      synchronized (lock) {
        // A subscribe call fails at once, as on a single server; a displaced channel is kept.
        for (String channel : work) {
          HostAndPort owner = cluster.ownerOf(RedisSlots.slot(channel));
          CompletableFuture<Void> waiting = confirmations.get(channel);
          if (waiting != null && toRoute.contains(channel) && unreachable.containsKey(owner)) {
            channels.remove(channel);
            toRoute.remove(channel);
            confirmations.remove(channel);
            waiting.completeExceptionally(reported);
          }
        }
        renew = true;
        paced = true;
      }
      LOG.warn("Subscribing channels at {} failed ({} paced attempt(s) so far): {}", unreachable.keySet(),
          attempt, failure.getMessage());
    }
  }

  /**
   * Opens a session on a node: connected, logged in, answering, reading on its own thread.
   *
   * @return the session (another one if one was opened meanwhile), or null if the subscriber closed
   * @throws JedisException if the node cannot be reached or refuses the login
   */
  private Session open(HostAndPort node) {
    Connection connection;
    try {
      connection = new Connection(node, settings.clientConfig());
    } catch (JedisAccessControlException e) {
      throw e;
    } catch (JedisDataException e) {
      // An error reply to the handshake may repeat the password (see JedisConnections).
      throw new JedisConnections.HandshakeRefused();
    }
    try {
      connection.ping();
      // A subscriber only ever waits: the keepalive, not the socket, bounds the silence.
      connection.setTimeoutInfinite();
    } catch (JedisException e) {
      connection.close();
      throw e;
    }
    Session session = new Session(node, connection);
    synchronized (lock) {
      if (closed) {
        connection.close();
        return null;
      }
      Session existing = sessions.get(node);
      if (existing != null) {
        connection.close();
        return existing;
      }
      sessions.put(node, session);
    }
    session.start();
    return session;
  }

  /**
   * The reconnect strategy gave up, here or on the command path (E7): later calls fail with its
   * reason, the sessions close, and every handler gets a last {@code disconnected} event.
   */
  private void gaveUp(String reason) {
    List<Session> open;
    synchronized (lock) {
      failPending(new StreamConnectionException("Redis at " + settings.endpoint()
          + ": the reconnect strategy gave up: " + reason));
      open = new ArrayList<>(sessions.values());
      sessions.clear();
      toRoute.clear();
      lock.notifyAll();
    }
    open.forEach(Session::end);
    // Outside the lock: the sink unsubscribes every channel through this transport.
    sink.disconnected(reason);
  }

  /** Fails every subscribe still waiting; their channels are not wanted any more. Under the lock. */
  private void failPending(RuntimeException failure) {
    for (Map.Entry<String, CompletableFuture<Void>> entry : confirmations.entrySet()) {
      channels.remove(entry.getKey());
      toRoute.remove(entry.getKey());
      entry.getValue().completeExceptionally(failure);
    }
    confirmations.clear();
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

  /** A channel whose subscription ended without our asking goes back to the worker. Under the lock. */
  private void displace(String channel, boolean pace) {
    channelSession.remove(channel);
    if (closed || !channels.contains(channel)) {
      return;
    }
    if (!confirmations.containsKey(channel)) {
      restoring.add(channel);
    }
    renew = true;
    paced = paced || pace;
    route(channel);
  }

  /** One command sent on a session that its reply answers, in order. */
  private record Sent(Protocol.Command command, String channel) {}

  /** One node's sharded subscriber connection and the thread that reads it. */
  private final class Session implements SubscriberKeepAlive.Probe {
    private final HostAndPort node;
    private final Connection connection;
    private final SubscriberKeepAlive keepAlive;
    /** The channels routed here and still wanted. Guarded by lock. */
    private final Set<String> assigned = new LinkedHashSet<>();
    /** SSUBSCRIBE and SUNSUBSCRIBE sent and not answered yet, oldest first. Guarded by lock. */
    private final ArrayDeque<Sent> sent = new ArrayDeque<>();
    /** Guarded by lock. */
    private boolean ended;

    Session(HostAndPort node, Connection connection) {
      this.node = node;
      this.connection = connection;
      this.keepAlive = new SubscriberKeepAlive(settings.config());
    }

    void start() {
      keepAlive.watch(this, false);
      Thread reader = new Thread(this::read, "streams-redis-jedis-sharded-reader-" + node);
      reader.setDaemon(true);
      reader.start();
    }

    /** Writes a command for a channel. Under the lock; a broken connection is the reader's to notice. */
    void send(Protocol.Command command, String channel) {
      if (ended) {
        return;
      }
      try {
        sent.add(new Sent(command, channel));
        connection.sendCommand(command, channel);
        // Sends what is buffered: getMany flushes first, and reads no reply when asked for none.
        connection.getMany(0);
      } catch (JedisException e) {
        LOG.debug("Could not write to the sharded subscriber connection to {} ({}); the reader will"
            + " notice", node, e.getMessage());
      }
    }

    @Override
    public void sendPing() {
      synchronized (lock) {
        if (ended) {
          return;
        }
        try {
          connection.sendCommand(Protocol.Command.PING);
          connection.getMany(0);
        } catch (JedisException e) {
          LOG.debug("PING on the sharded subscriber connection to {} failed: {}", node, e.getMessage());
        }
      }
    }

    @Override
    public void closeSilentConnection() {
      // Ends the reader's blocking read: its channels are displaced as after any loss.
      connection.disconnect();
    }

    /** Closes the session from outside (close, give-up): its reader ends without displacing anything. */
    void end() {
      synchronized (lock) {
        ended = true;
      }
      keepAlive.close();
      connection.disconnect();
    }

    private void read() {
      try {
        while (true) {
          Object reply;
          try {
            reply = connection.getUnflushedObject();
          } catch (JedisDataException e) {
            keepAlive.heard();
            errorReply(e);
            continue;
          }
          keepAlive.heard();
          if (!(reply instanceof List<?> parts) || parts.size() < 3 || !(parts.get(0) instanceof byte[] kind)) {
            // A pong: ["pong", ""] while subscribed, +PONG once no channel is left.
            continue;
          }
          String type = SafeEncoder.encode(kind);
          String channel = parts.get(1) instanceof byte[] name ? SafeEncoder.encode(name) : null;
          switch (type) {
            case "smessage" -> sink.onMessage(channel, SafeEncoder.encode((byte[]) parts.get(2)));
            case "ssubscribe" -> confirmed(channel);
            case "sunsubscribe" -> {
              if (unsubscribed(channel, (Long) parts.get(2))) {
                return;
              }
            }
            default -> LOG.debug("Ignored a '{}' reply on the sharded subscriber connection to {}", type, node);
          }
        }
      } catch (RuntimeException e) {
        lost(e);
      } finally {
        keepAlive.close();
        connection.close();
      }
    }

    /** The server confirmed a channel's SSUBSCRIBE. */
    private void confirmed(String channel) {
      boolean restored;
      synchronized (lock) {
        removeSent(Protocol.Command.SSUBSCRIBE, channel);
        if (!assigned.contains(channel)) {
          // Unsubscribed meanwhile; its SUNSUBSCRIBE is on its way.
          return;
        }
        attempt = 0;
        redirected.remove(channel);
        CompletableFuture<Void> waiting = confirmations.remove(channel);
        if (waiting != null) {
          waiting.complete(null);
        }
        restored = restoring.remove(channel);
      }
      if (restored) {
        LOG.info("Sharded channel '{}' subscribed again at {}", channel, node);
        sink.resubscribed(Set.of(channel));
      }
    }

    /**
     * A SUNSUBSCRIBE reply: ours, or the server's when the channel's slot left this node.
     *
     * @return whether the session ended: no channel left, none assigned
     */
    private boolean unsubscribed(String channel, long remaining) {
      synchronized (lock) {
        boolean ours = removeSent(Protocol.Command.SUNSUBSCRIBE, channel);
        if (!ours && assigned.remove(channel)) {
          LOG.info("Redis at {} ended the subscription to sharded channel '{}' (its slot moved);"
              + " subscribing it at the slot's owner", node, channel);
          displace(channel, false);
        }
        if (remaining == 0 && assigned.isEmpty() && sent.isEmpty()) {
          ended = true;
          sessions.remove(node, this);
          return true;
        }
        return false;
      }
    }

    /** An error reply answers the oldest command still unanswered. */
    private void errorReply(JedisDataException error) {
      synchronized (lock) {
        Sent answered = sent.poll();
        if (answered == null || answered.command() != Protocol.Command.SSUBSCRIBE
            || !assigned.remove(answered.channel())) {
          return;
        }
        String channel = answered.channel();
        if (error instanceof JedisRedirectionException) {
          // The slot map was stale: the owner now is elsewhere. A second redirection in a row waits.
          displace(channel, !redirected.add(channel));
          return;
        }
        channelSession.remove(channel);
        String code = error.getMessage() == null ? "?" : error.getMessage().split(" ", 2)[0];
        CompletableFuture<Void> waiting = confirmations.remove(channel);
        if (waiting != null) {
          channels.remove(channel);
          waiting.completeExceptionally(settings.failures().failure("subscribing channel '" + channel + "'",
              "the server answered SSUBSCRIBE with an error (" + code + ")"));
        } else {
          LOG.error("Redis at {} refused to subscribe sharded channel '{}' again ({}); trying again",
              node, channel, code);
          displace(channel, true);
        }
      }
    }

    /**
     * Removes the oldest matching command sent. Under the lock.
     *
     * @return whether there was one
     */
    private boolean removeSent(Protocol.Command command, String channel) {
      for (Iterator<Sent> it = sent.iterator(); it.hasNext(); ) {
        Sent next = it.next();
        if (next.command() == command && next.channel().equals(channel)) {
          it.remove();
          return true;
        }
      }
      return false;
    }

    /** The connection failed: its channels go back to the worker, paced by the strategy. */
    private void lost(RuntimeException e) {
      List<String> lostChannels;
      synchronized (lock) {
        boolean outside = ended;
        ended = true;
        sessions.remove(node, this);
        if (outside || closed) {
          return;
        }
        lostChannels = new ArrayList<>(assigned);
        assigned.clear();
        sent.clear();
        for (String channel : lostChannels) {
          displace(channel, true);
        }
      }
      if (!lostChannels.isEmpty()) {
        LOG.warn("Lost the sharded subscriber connection to {} ({}): {}; subscribing its {} channel(s)"
            + " again at their slots' owners", node, settings.endpoint(), e.getMessage(), lostChannels.size());
      }
    }
  }
}
