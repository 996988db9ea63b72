package dev.streams.redis.jedis;

import dev.streams.redis.internal.BroadcastCopies;
import dev.streams.spi.ChannelTransport;
import dev.streams.spi.MessageSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;

/**
 * The flat layout's subscriber on a Redis Cluster (L3): classic pub/sub, which the cluster relays to
 * every node. The flat layout's items of one group live on every primary, so their events are
 * published on every primary, and one node hears those of the others a bus hop late and out of
 * order (E3). So this subscriber listens on every primary, one {@link JedisSubscriber} each (with its
 * reconnection, restore and keepalive, E7), and delivers each publication's first copy only
 * ({@link BroadcastCopies}): the copy of the node that ran it, which it delivers before the writer's
 * reply.
 *
 * <p>A periodic check follows the topology: a primary that appears (a promoted replica) is
 * subscribed to every channel, one that no longer owns slots is dropped; when a dropped one had lost
 * its connection, every handler gets one {@code sync} (reconnected) once its successor is
 * subscribed, as events it ran may have been missed.
 */
final class JedisFlatClusterSubscriber implements ChannelTransport {

  private static final Logger LOG = LoggerFactory.getLogger(JedisFlatClusterSubscriber.class);
  /** How often the primaries are compared with the slot map. */
  static final Duration CHECK_PERIOD = Duration.ofSeconds(1);

  private final JedisSettings settings;
  private final JedisClusterCommands cluster;
  private final MessageSink sink;
  private final BroadcastCopies copies = new BroadcastCopies();
  /** Guards {@code nodes}, {@code wanted} and subscribing; held while servers confirm. */
  private final Object lock = new Object();
  /** A subscriber per primary. Guarded by lock. */
  private final Map<HostAndPort, NodeSubscriber> nodes = new LinkedHashMap<>();
  /** Guarded by lock. */
  private final Set<String> wanted = new LinkedHashSet<>();
  private final ScheduledThreadPoolExecutor checks;
  private final AtomicBoolean checking = new AtomicBoolean();
  private final AtomicBoolean disconnected = new AtomicBoolean();
  private volatile boolean closed;

  JedisFlatClusterSubscriber(JedisSettings settings, JedisClusterCommands cluster, MessageSink sink) {
    this.settings = settings;
    this.cluster = cluster;
    this.sink = sink;
    this.checks = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "streams-redis-jedis-cluster-subscriber-" + settings.endpoint());
      thread.setDaemon(true);
      return thread;
    });
    checks.setRemoveOnCancelPolicy(true);
  }

  /** Returns once every primary confirmed the channel; if one fails, none keeps it. */
  @Override
  public void subscribe(String channel) {
    settings.giveUp().requireNotGivenUp();
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the subscriber of " + settings.endpoint() + " is closed");
      }
      if (nodes.isEmpty()) {
        for (HostAndPort primary : cluster.primaryNodes()) {
          nodes.put(primary, new NodeSubscriber(primary));
        }
      }
      if (!wanted.add(channel)) {
        return;
      }
      try {
        for (NodeSubscriber node : nodes.values()) {
          node.transport.subscribe(channel);
        }
      } catch (RuntimeException e) {
        wanted.remove(channel);
        nodes.values().forEach(node -> node.transport.unsubscribe(channel));
        throw e;
      }
    }
    if (checking.compareAndSet(false, true)) {
      checks.scheduleWithFixedDelay(this::check, CHECK_PERIOD.toMillis(), CHECK_PERIOD.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void unsubscribe(String channel) {
    synchronized (lock) {
      if (wanted.remove(channel)) {
        nodes.values().forEach(node -> node.transport.unsubscribe(channel));
      }
    }
  }

  /** Connected while every primary's subscriber is. */
  @Override
  public boolean isConnected() {
    synchronized (lock) {
      return !closed && !nodes.isEmpty()
          && nodes.values().stream().allMatch(node -> node.transport.isConnected());
    }
  }

  @Override
  public void close() {
    List<NodeSubscriber> open;
    synchronized (lock) {
      closed = true;
      wanted.clear();
      open = new ArrayList<>(nodes.values());
      nodes.clear();
    }
    checks.shutdownNow();
    open.forEach(NodeSubscriber::close);
  }

  /** On the check thread: follows the slot map's primaries, and counts only connected ones' copies. */
  private void check() {
    try {
      copies.expire();
      synchronized (lock) {
        if (closed || nodes.isEmpty() || wanted.isEmpty()) {
          return;
        }
        if (nodes.values().stream().anyMatch(node -> !node.transport.isConnected())) {
          // A primary lost: a replica may have taken its slots; the slot map says once refreshed.
          cluster.renewSlotMap();
        }
        Set<HostAndPort> primaries = cluster.primaryNodes();
        if (primaries.isEmpty()) {
          return;
        }
        boolean added = false;
        for (HostAndPort primary : primaries) {
          if (!nodes.containsKey(primary)) {
            NodeSubscriber subscriber = new NodeSubscriber(primary);
            try {
              for (String channel : wanted) {
                subscriber.transport.subscribe(channel);
              }
              nodes.put(primary, subscriber);
              added = true;
              LOG.info("Subscriber on {}: listening on the new primary {} too", settings.endpoint(), primary);
            } catch (RuntimeException e) {
              subscriber.close();
              LOG.debug("Subscribing on the new primary {} failed: {}", primary, e.toString());
            }
          }
        }
        boolean lost = false;
        for (HostAndPort node : List.copyOf(nodes.keySet())) {
          if (!primaries.contains(node)) {
            NodeSubscriber gone = nodes.remove(node);
            lost |= !gone.transport.isConnected();
            gone.close();
            LOG.info("Subscriber on {}: {} owns no slots any more; not listening there", settings.endpoint(), node);
          }
        }
        for (NodeSubscriber node : nodes.values()) {
          // A node that is down gives no copies: publications must not wait for its copies.
          if (node.transport.isConnected()) {
            copies.addSource(node);
          } else {
            copies.removeSource(node);
          }
        }
        if (lost && added && !closed) {
          sink.reconnected();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Checking the subscriber's primaries on {} failed: {}", settings.endpoint(), e.toString());
    }
  }

  /** One primary's classic subscriber, whose sink keeps first copies only. */
  private final class NodeSubscriber implements MessageSink {

    private final JedisSubscriber transport;

    NodeSubscriber(HostAndPort node) {
      copies.addSource(this);
      this.transport = JedisSubscriber.create(settings, node, this);
    }

    void close() {
      copies.removeSource(this);
      transport.close();
    }

    @Override
    public void onMessage(String channelName, String message) {
      // Under the lock, so that the first copies reach the sink in the order they were told apart.
      synchronized (copies) {
        if (copies.firstCopy(this, channelName, message)) {
          sink.onMessage(channelName, message);
        }
      }
    }

    @Override
    public void reconnected() {
      copies.addSource(this);
      if (!closed) {
        sink.reconnected();
      }
    }

    @Override
    public void resubscribed(Set<String> channelNames) {
      sink.resubscribed(channelNames);
    }

    @Override
    public void disconnected(String reason) {
      // Every primary's subscriber hears the one give-up: the handlers get one last event.
      if (disconnected.compareAndSet(false, true)) {
        sink.disconnected(reason);
      }
    }
  }
}
