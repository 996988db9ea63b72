package dev.streams.redis.lettuce;

import dev.streams.StreamConnectionException;
import dev.streams.redis.internal.RedisSlots;
import dev.streams.redis.internal.SubscriberKeepAlive;
import dev.streams.redis.lettuce.LettuceClient.ObservedPubSubConnection;
import dev.streams.spi.ChannelTransport;
import dev.streams.spi.MessageSink;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hash layout's subscriber on a Redis Cluster (L3): sharded pub/sub. Each channel is subscribed
 * ({@code SSUBSCRIBE}) on the primary that owns its slot, over one pub/sub connection per node, and
 * a message counts only if it came from the node its channel is assigned to now (a node that comes
 * back as a replica may repeat what its successor sends).
 *
 * <p>Lettuce reconnects a lost node connection and subscribes its shard channels again, but never
 * those the server ended: a node that loses a slot (migration, failover) ends the subscriptions of
 * the slot's channels ({@code sunsubscribe}), and Lettuce forgets them. So this class repairs, on its
 * own thread: a channel the server ended, a channel whose node connection was lost, and, by a
 * periodic check, a channel whose node the topology no longer names as the slot's owner; each is
 * subscribed again on the owner (following {@code MOVED} where the topology is behind) and dropped
 * from its former node. Once a repair subscribed channels again, or a lost connection's channels are
 * confirmed again, their handlers get one {@code sync} each ({@link MessageSink#resubscribed}, E7).
 *
 * <p>Each node connection has its own {@link SubscriberKeepAlive}, as the single server's subscriber.
 */
final class ShardedSubscriber implements ChannelTransport {

  private static final Logger LOG = LoggerFactory.getLogger(ShardedSubscriber.class);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);
  /** How often every channel's subscription is checked against the cluster's topology. */
  static final Duration CHECK_PERIOD = Duration.ofSeconds(1);
  /**
   * A subscription the server still confirms is moved only after this many checks in a row found
   * another owner in the topology: right after a move the client's topology may be behind the
   * servers, which a {@code MOVED} already corrected.
   */
  private static final int DISAGREEMENTS_BEFORE_MOVE = 3;
  /** A repair waits this long for more triggers, so that one slot move repairs its channels at once. */
  private static final long REPAIR_DELAY_MILLIS = 20;
  /** Redirections followed for one subscription, as Lettuce's own default for commands. */
  private static final int MAX_REDIRECTS = 5;

  private final LettuceSettings settings;
  private final ClientResources resources;
  private final RedisClusterClient cluster;
  private final MessageSink sink;
  /** Guards the maps' consistency with {@code closed}; never held while waiting for a server. */
  private final Object lock = new Object();
  /** Held while a node connection opens, so that each node gets one. */
  private final Object openLock = new Object();
  /** The node connections by {@code host:port}; guarded by {@code lock}. */
  private final Map<String, Node> nodes = new HashMap<>();
  /** The node each wanted channel is subscribed (or being subscribed) on. */
  private final Map<String, Node> assigned = new ConcurrentHashMap<>();
  /** The channels the dispatcher wants now. */
  private final Set<String> wanted = ConcurrentHashMap.newKeySet();
  /**
   * Channels whose first subscription is under way on the caller's thread: a repair leaves them
   * alone, or it would subscribe them too and announce a resubscription that never was.
   */
  private final Set<String> subscribing = ConcurrentHashMap.newKeySet();
  /** Channels that may have missed messages: their handlers get a sync once they are confirmed again. */
  private final Set<String> needsSync = ConcurrentHashMap.newKeySet();
  /** Checks in a row that found another owner, per channel; the repair thread's alone. */
  private final Map<String, Integer> disagreements = new HashMap<>();
  private final ScheduledThreadPoolExecutor repairs;
  private final AtomicBoolean repairScheduled = new AtomicBoolean();
  private final AtomicBoolean checking = new AtomicBoolean();
  private volatile boolean closed;

  private ShardedSubscriber(LettuceSettings settings, ClientResources resources, RedisClusterClient cluster,
      MessageSink sink) {
    this.settings = settings;
    this.resources = resources;
    this.cluster = cluster;
    this.sink = sink;
    this.repairs = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "streams-sharded-subscriber-" + settings.endpoint());
      thread.setDaemon(true);
      return thread;
    });
    repairs.setRemoveOnCancelPolicy(true);
  }

  /**
   * @param settings the adapter's settings, its give-up state included
   * @param resources the adapter's client resources
   * @param cluster the adapter's cluster client, whose topology names each slot's owner
   * @param sink receives every message, and the news of a repair or a give-up
   * @return a subscriber with no connection yet; it ends its subscriptions when the strategy gives up
   */
  static ShardedSubscriber create(LettuceSettings settings, ClientResources resources, RedisClusterClient cluster,
      MessageSink sink) {
    ShardedSubscriber subscriber = new ShardedSubscriber(settings, resources, cluster, sink);
    settings.giveUp().whenGivenUp(reason -> CompletableFuture.runAsync(() -> subscriber.gaveUp(reason)));
    return subscriber;
  }

  @Override
  public void subscribe(String channel) {
    settings.giveUp().requireNotGivenUp();
    if (closed) {
      throw new IllegalStateException("the subscriber of " + settings.endpoint() + " is closed");
    }
    startChecks();
    subscribing.add(channel);
    wanted.add(channel);
    try {
      RedisURI owner = ownerOf(channel);
      if (owner == null) {
        throw settings.failures().failure(action(channel), "no primary owns the channel's slot "
            + RedisSlots.slot(channel) + " in the cluster's topology");
      }
      subscribeOn(channel, owner);
    } catch (RuntimeException e) {
      abandon(channel);
      throw e;
    } finally {
      subscribing.remove(channel);
    }
  }

  @Override
  public void unsubscribe(String channel) {
    abandon(channel);
  }

  /** Connected while every node connection that has channels is up. */
  @Override
  public boolean isConnected() {
    if (closed) {
      return false;
    }
    boolean any = false;
    for (Node node : assigned.values()) {
      if (!node.up) {
        return false;
      }
      any = true;
    }
    return any;
  }

  /** Takes no more subscriptions and closes every node connection. */
  @Override
  public void close() {
    stop();
    List<Node> open;
    synchronized (lock) {
      open = new ArrayList<>(nodes.values());
      nodes.clear();
    }
    open.forEach(Node::close);
  }

  private void stop() {
    synchronized (lock) {
      closed = true;
      wanted.clear();
      assigned.clear();
      needsSync.clear();
    }
    repairs.shutdownNow();
  }

  /** The reconnect strategy gave up (E7): every handler gets its last event, then the connections close. */
  private void gaveUp(String reason) {
    sink.disconnected(reason);
    close();
  }

  private void startChecks() {
    if (checking.compareAndSet(false, true)) {
      repairs.scheduleWithFixedDelay(this::repair, CHECK_PERIOD.toMillis(), CHECK_PERIOD.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** The channel is no longer wanted: it must not stay subscribed. */
  private void abandon(String channel) {
    Node node;
    synchronized (lock) {
      wanted.remove(channel);
      needsSync.remove(channel);
      node = assigned.remove(channel);
    }
    if (node != null && !closed) {
      node.sunsubscribeQuietly(channel);
    }
  }

  /**
   * Subscribes a channel on a node, following {@code MOVED} to the node that owns its slot now.
   *
   * @return the node the channel is subscribed on
   * @throws StreamConnectionException if no node confirmed it
   */
  private Node subscribeOn(String channel, RedisURI owner) {
    RedisURI target = owner;
    for (int redirects = 0; ; redirects++) {
      Node node = node(target);
      synchronized (lock) {
        if (!wanted.contains(channel)) {
          return node;
        }
        // Before the SSUBSCRIBE: its first messages may come before its confirmation is read.
        assigned.put(channel, node);
      }
      RedisURI moved = node.ssubscribe(channel);
      if (moved == null) {
        return node;
      }
      if (redirects >= MAX_REDIRECTS) {
        throw settings.failures().failure(action(channel), "redirected more than " + MAX_REDIRECTS + " times");
      }
      // The client's topology is behind the servers': the reply named the owner.
      cluster.refreshPartitionsAsync();
      target = moved;
    }
  }

  /** @return the connection to a node, opened now if there is none */
  private Node node(RedisURI address) {
    String key = key(address.getHost(), address.getPort());
    synchronized (openLock) {
      Node existing;
      synchronized (lock) {
        if (closed) {
          throw new IllegalStateException("the subscriber of " + settings.endpoint() + " is closed");
        }
        existing = nodes.get(key);
      }
      if (existing != null && existing.isOpen()) {
        return existing;
      }
      Node opened = new Node(address.getHost(), address.getPort());
      opened.open();
      boolean keep;
      synchronized (lock) {
        keep = !closed;
        if (keep) {
          nodes.put(key, opened);
        }
      }
      if (!keep) {
        opened.close();
        throw new IllegalStateException("the subscriber of " + settings.endpoint() + " is closed");
      }
      if (existing != null) {
        // Its connection was down and Lettuce would reconnect it forever; its channels are repaired
        // onto the new one, as their node is no longer up.
        existing.close();
      }
      return opened;
    }
  }

  /** @return the primary that owns the channel's slot in the client's topology, or null */
  private RedisURI ownerOf(String channel) {
    RedisClusterNode owner = cluster.getPartitions().getMasterBySlot(RedisSlots.slot(channel));
    return owner == null ? null : owner.getUri();
  }

  /** Runs a repair soon on the repair thread, once for all the triggers until then. */
  private void requestRepair() {
    if (closed || !repairScheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      repairs.schedule(this::repair, REPAIR_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException shutDown) {
      repairScheduled.set(false);
    }
  }

  /**
   * On the repair thread, periodically and when triggered: every wanted channel that is not confirmed
   * on its slot's owner is subscribed there, and the channels subscribed again or confirmed again
   * after a loss get their sync, in one {@link MessageSink#resubscribed} call.
   */
  private void repair() {
    repairScheduled.set(false);
    try {
      Set<String> announce = new LinkedHashSet<>();
      boolean refresh = false;
      for (String channel : List.copyOf(wanted)) {
        if (closed) {
          return;
        }
        if (subscribing.contains(channel)) {
          continue;
        }
        Node current = assigned.get(channel);
        RedisURI owner = ownerOf(channel);
        boolean confirmed = current != null && current.up && current.confirmed.contains(channel);
        if (confirmed && owner != null && !current.is(owner)) {
          refresh = true;
          if (disagreements.merge(channel, 1, Integer::sum) < DISAGREEMENTS_BEFORE_MOVE) {
            continue;
          }
          confirmed = false;
        } else {
          disagreements.remove(channel);
        }
        if (confirmed) {
          if (needsSync.remove(channel)) {
            announce.add(channel);
          }
          continue;
        }
        if (owner == null) {
          refresh = true;
          continue;
        }
        try {
          Node now = subscribeOn(channel, owner);
          disagreements.remove(channel);
          if (current != null && current != now) {
            current.sunsubscribeQuietly(channel);
          }
          if ((needsSync.remove(channel) || current != now) && wanted.contains(channel)) {
            announce.add(channel);
          }
        } catch (RuntimeException e) {
          // Tried again at the next check, by then on a topology refreshed meanwhile.
          refresh = true;
          LOG.debug("Subscribing channel '{}' again on {} failed: {}", channel, settings.endpoint(), e.toString());
        }
      }
      if (refresh) {
        cluster.refreshPartitionsAsync();
      }
      closeUnused();
      if (!announce.isEmpty() && !closed) {
        LOG.info("Sharded subscriber on {}: {} channel(s) subscribed again", settings.endpoint(), announce.size());
        sink.resubscribed(announce);
      }
    } catch (RuntimeException e) {
      // The periodic check must go on whatever one run met.
      LOG.warn("Checking the sharded subscriptions on {} failed: {}", settings.endpoint(), e.toString());
    }
  }

  /** Closes the connections of nodes that are down and have no channel: Lettuce would reconnect them forever. */
  private void closeUnused() {
    Set<Node> used = Set.copyOf(assigned.values());
    List<Node> unused = new ArrayList<>();
    synchronized (lock) {
      nodes.values().removeIf(node -> {
        boolean drop = !node.up && !used.contains(node);
        if (drop) {
          unused.add(node);
        }
        return drop;
      });
    }
    unused.forEach(Node::close);
  }

  private static String action(String channel) {
    return "subscribing channel '" + channel + "'";
  }

  private static String key(String host, int port) {
    return host + ":" + port;
  }

  /**
   * @return the node a {@code MOVED} error reply names, or null if the failure is none
   */
  private static RedisURI movedTarget(Throwable failure) {
    if (!(failure instanceof RedisCommandExecutionException) || failure.getMessage() == null
        || !failure.getMessage().startsWith("MOVED ")) {
      return null;
    }
    String[] parts = failure.getMessage().split(" ");
    if (parts.length < 3) {
      return null;
    }
    int colon = parts[2].lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    try {
      return RedisURI.create(parts[2].substring(0, colon), Integer.parseInt(parts[2].substring(colon + 1)));
    } catch (IllegalArgumentException notAnAddress) {
      return null;
    }
  }

  /** One node's pub/sub connection and what it confirmed. */
  private final class Node extends RedisPubSubAdapter<String, String> implements LettuceClient.PubSubObserver {

    private final String host;
    private final int port;
    private final String name;
    private final LettuceClient client;
    private final SubscriberKeepAlive keepAlive;
    /** The channels the server confirmed on the current activation of the connection. */
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    /**
     * Per channel, this subscriber's own SUNSUBSCRIBEs whose reply has not come: a reply that comes
     * after the channel was subscribed again must not be taken for the server ending it.
     */
    private final Map<String, Integer> ownUnsubscribes = new ConcurrentHashMap<>();
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    /** Whether the connection is up now. */
    private volatile boolean up;
    private volatile ActiveChannel watched;

    Node(String host, int port) {
      this.host = host;
      this.port = port;
      this.name = key(host, port) + " of " + settings.endpoint();
      this.keepAlive = new SubscriberKeepAlive(settings.config());
      this.client = new LettuceClient(resources, settings.nodeUri(host, port), this);
      client.setOptions(settings.clientOptions());
    }

    boolean is(RedisURI address) {
      return port == address.getPort() && host.equals(address.getHost());
    }

    boolean isOpen() {
      StatefulRedisPubSubConnection<String, String> open = connection;
      return open != null && open.isOpen();
    }

    void open() {
      Duration wait = settings.connectWait();
      String action = "opening the subscriber connection to " + key(host, port);
      CompletableFuture<StatefulRedisPubSubConnection<String, String>> opening =
          client.connectPubSubAsync(StringCodec.UTF8, settings.nodeUri(host, port)).toCompletableFuture();
      try {
        connection = opening.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        close();
        throw settings.failures().connectionFailure(action, e.getCause());
      } catch (TimeoutException e) {
        opening.thenAccept(StatefulRedisPubSubConnection::closeAsync);
        close();
        throw settings.failures().noConnection(action);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        opening.thenAccept(StatefulRedisPubSubConnection::closeAsync);
        close();
        throw new StreamConnectionException("Interrupted while " + action + " of Redis at " + settings.endpoint(), e);
      }
      // No channel is subscribed yet, so no message can have been missed before the listener.
      connection.addListener(this);
    }

    /**
     * @return null once the server confirmed the channel; the node a {@code MOVED} reply named instead
     * @throws StreamConnectionException if the connection failed or nothing came in time
     */
    RedisURI ssubscribe(String channel) {
      Duration wait = settings.commandWait();
      CompletableFuture<Void> confirmation;
      try {
        confirmation = connection.async().ssubscribe(channel).toCompletableFuture();
      } catch (RuntimeException e) {
        throw settings.failures().connectionFailure(action(channel), e);
      }
      try {
        confirmation.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        return null;
      } catch (ExecutionException e) {
        RedisURI moved = movedTarget(e.getCause());
        if (moved != null) {
          return moved;
        }
        throw settings.failures().connectionFailure(action(channel), e.getCause());
      } catch (TimeoutException e) {
        throw settings.failures().noAnswer(action(channel), wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StreamConnectionException("Interrupted while " + action(channel) + " on Redis at "
            + settings.endpoint(), e);
      }
    }

    /** Ends a channel's subscription here without waiting; a failure only matters for the log. */
    void sunsubscribeQuietly(String channel) {
      StatefulRedisPubSubConnection<String, String> open = connection;
      if (open == null || !open.isOpen()) {
        return;
      }
      ownUnsubscribes.merge(channel, 1, Integer::sum);
      try {
        open.async().sunsubscribe(channel).whenComplete((done, failure) -> {
          if (failure != null) {
            // Not sent, or the connection dropped first: no reply will come.
            replyCame(channel);
            LOG.debug("SUNSUBSCRIBE on {} failed: {}", name, failure.toString());
          }
        });
      } catch (RuntimeException e) {
        replyCame(channel);
        LOG.debug("SUNSUBSCRIBE on {} failed: {}", name, e.toString());
      }
    }

    /** @return whether one of this subscriber's own SUNSUBSCRIBEs of the channel was still unanswered */
    private boolean replyCame(String channel) {
      boolean[] own = new boolean[1];
      ownUnsubscribes.computeIfPresent(channel, (c, pending) -> {
        own[0] = true;
        return pending > 1 ? pending - 1 : null;
      });
      return own[0];
    }

    void close() {
      up = false;
      keepAlive.close();
      try {
        client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
      } catch (RuntimeException e) {
        LOG.debug("Closing the Lettuce pub/sub client of {} failed: {}", name, e.toString());
      }
    }

    // --- Lettuce callbacks, on the connection's event loop thread: none of them may block.

    @Override
    public void smessage(String channel, String message) {
      keepAlive.heard();
      // Only from the channel's node: a former owner back as a replica may repeat its messages.
      if (assigned.get(channel) == this) {
        sink.onMessage(channel, message);
      }
    }

    @Override
    public void ssubscribed(String channel, long count) {
      keepAlive.heard();
      confirmed.add(channel);
      if (assigned.get(channel) != this) {
        // Lettuce subscribed again, on reconnecting, a channel that lives elsewhere by now.
        sunsubscribeQuietly(channel);
      } else if (needsSync.contains(channel)) {
        requestRepair();
      }
    }

    @Override
    public void sunsubscribed(String channel, long count) {
      keepAlive.heard();
      confirmed.remove(channel);
      if (replyCame(channel)) {
        return;
      }
      if (!closed && wanted.contains(channel) && assigned.get(channel) == this) {
        // The server ended it (its slot left this node); Lettuce will not subscribe it again.
        LOG.info("The server {} ended the subscription of channel '{}'; subscribing it on the slot's owner", name,
            channel);
        needsSync.add(channel);
        cluster.refreshPartitionsAsync();
        requestRepair();
      }
    }

    @Override
    public void beforeResubscribe(ObservedPubSubConnection connection, Set<String> resubscribing,
        boolean reconnection) {
      confirmed.clear();
      up = true;
      Channel channel = connection.activeChannel();
      if (channel != null && !closed) {
        ActiveChannel activation = new ActiveChannel(connection, channel);
        watched = activation;
        keepAlive.watch(activation, false);
      }
    }

    @Override
    public void afterResubscribe(ObservedPubSubConnection connection) {
      // The channels Lettuce subscribes again are confirmed one by one (ssubscribed).
    }

    @Override
    public void deactivated() {
      up = false;
      confirmed.clear();
      ActiveChannel activation = watched;
      watched = null;
      if (activation != null) {
        keepAlive.unwatch(activation);
      }
      if (closed) {
        return;
      }
      int lost = 0;
      for (Map.Entry<String, Node> entry : assigned.entrySet()) {
        if (entry.getValue() == this) {
          needsSync.add(entry.getKey());
          lost++;
        }
      }
      if (lost > 0) {
        LOG.warn("Lost the sharded subscriber connection to {} ({} channel(s)); Lettuce reconnects, and the"
            + " channels move if another node owns them by then", name, lost);
      }
    }

    /** One activation of the connection, as the keepalive probes it. */
    private final class ActiveChannel implements SubscriberKeepAlive.Probe {
      private final ObservedPubSubConnection connection;
      private final Channel channel;

      ActiveChannel(ObservedPubSubConnection connection, Channel channel) {
        this.connection = connection;
        this.channel = channel;
      }

      @Override
      public void sendPing() {
        connection.async().ping().whenComplete((pong, failure) -> {
          if (failure == null) {
            keepAlive.heard();
          }
        });
      }

      @Override
      public void closeSilentConnection() {
        // This activation's channel only: Lettuce's watchdog reconnects, and a newer channel is untouched.
        channel.close();
      }
    }
  }
}
