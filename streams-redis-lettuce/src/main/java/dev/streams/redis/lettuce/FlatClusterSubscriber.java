package dev.streams.redis.lettuce;

import dev.streams.redis.internal.BroadcastCopies;
import dev.streams.spi.ChannelTransport;
import dev.streams.spi.MessageSink;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flat layout's subscriber on a Redis Cluster (L3): classic pub/sub, which the cluster relays to
 * every node. The flat layout's items of one group live on every primary, so their events are
 * published on every primary, and one node hears those of the others a bus hop late, out of order
 * (E3). So this subscriber listens on every primary, one {@link LettuceSubscriber} each (with its
 * reconnection, restore and keepalive, E7), and delivers each publication's first copy only
 * ({@link BroadcastCopies}), which is the copy of the node that ran it.
 *
 * <p>A periodic check follows the topology: a primary that appears (a promoted replica) is
 * subscribed to every channel, one that no longer serves slots is dropped; when a dropped one had
 * lost its connection, every handler gets one {@code sync} (reconnected) once its successor is
 * subscribed, as events it ran may have been missed.
 */
final class FlatClusterSubscriber implements ChannelTransport {

  private static final Logger LOG = LoggerFactory.getLogger(FlatClusterSubscriber.class);

  private final LettuceSettings settings;
  private final ClientResources resources;
  private final RedisClusterClient cluster;
  private final MessageSink sink;
  private final BroadcastCopies copies = new BroadcastCopies();
  /** Guards {@code nodes} and subscribing; held while a server confirms, never taken on Lettuce threads. */
  private final Object lock = new Object();
  /** A subscriber per primary, by {@code host:port}; guarded by {@code lock}. */
  private final Map<String, NodeSubscriber> nodes = new LinkedHashMap<>();
  private final Set<String> wanted = ConcurrentHashMap.newKeySet();
  private final ScheduledThreadPoolExecutor checks;
  private final AtomicBoolean checking = new AtomicBoolean();
  private final AtomicBoolean disconnected = new AtomicBoolean();
  private volatile boolean closed;

  FlatClusterSubscriber(LettuceSettings settings, ClientResources resources, RedisClusterClient cluster,
      MessageSink sink) {
    this.settings = settings;
    this.resources = resources;
    this.cluster = cluster;
    this.sink = sink;
    this.checks = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "streams-cluster-subscriber-" + settings.endpoint());
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
        for (Map.Entry<String, RedisURI> primary : primaries().entrySet()) {
          nodes.put(primary.getKey(), new NodeSubscriber(primary.getValue()));
        }
      }
      wanted.add(channel);
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
      checks.scheduleWithFixedDelay(this::check, ShardedSubscriber.CHECK_PERIOD.toMillis(),
          ShardedSubscriber.CHECK_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void unsubscribe(String channel) {
    wanted.remove(channel);
    synchronized (lock) {
      nodes.values().forEach(node -> node.transport.unsubscribe(channel));
    }
  }

  /** Connected while every primary's subscriber is. */
  @Override
  public boolean isConnected() {
    synchronized (lock) {
      return !closed && !nodes.isEmpty() && nodes.values().stream().allMatch(node -> node.transport.isConnected());
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

  /** @return the primaries that serve slots in the cluster client's topology, by {@code host:port} */
  private Map<String, RedisURI> primaries() {
    Map<String, RedisURI> primaries = new LinkedHashMap<>();
    for (RedisClusterNode node : cluster.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty() && node.getUri() != null) {
        RedisURI uri = settings.nodeUri(node.getUri().getHost(), node.getUri().getPort());
        primaries.put(uri.getHost() + ":" + uri.getPort(), uri);
      }
    }
    return primaries;
  }

  /** On the check thread: follows the topology's primaries, and counts only connected ones' copies. */
  private void check() {
    try {
      copies.expire();
      synchronized (lock) {
        if (closed || nodes.isEmpty()) {
          return;
        }
        Map<String, RedisURI> primaries = primaries();
        if (primaries.isEmpty()) {
          return;
        }
        for (Map.Entry<String, RedisURI> primary : primaries.entrySet()) {
          if (!nodes.containsKey(primary.getKey())) {
            NodeSubscriber added = new NodeSubscriber(primary.getValue());
            try {
              for (String channel : wanted) {
                added.transport.subscribe(channel);
              }
              nodes.put(primary.getKey(), added);
              LOG.info("Subscriber on {}: listening on the new primary {} too", settings.endpoint(), primary.getKey());
            } catch (RuntimeException e) {
              added.close();
              LOG.debug("Subscribing on the new primary {} failed: {}", primary.getKey(), e.toString());
            }
          }
        }
        boolean lost = false;
        for (String key : List.copyOf(nodes.keySet())) {
          if (!primaries.containsKey(key)) {
            NodeSubscriber gone = nodes.remove(key);
            lost |= !gone.transport.isConnected();
            gone.close();
            LOG.info("Subscriber on {}: {} serves no slots any more; not listening there", settings.endpoint(), key);
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
        if (lost && !closed && !wanted.isEmpty()) {
          sink.reconnected();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Checking the subscriber's primaries on {} failed: {}", settings.endpoint(), e.toString());
    }
  }

  /** One primary's classic subscriber, whose sink keeps first copies only. */
  private final class NodeSubscriber implements MessageSink {

    private final LettuceSubscriber transport;

    NodeSubscriber(RedisURI node) {
      copies.addSource(this);
      this.transport = LettuceSubscriber.forNode(settings, resources, this, node);
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
