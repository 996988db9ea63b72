package dev.streams.redis.internal;

import dev.streams.spi.ChannelTransport;
import dev.streams.spi.MessageSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classic pub/sub on one node of a Redis Cluster, the flat layout's events (L3), made to start
 * cleanly: a subscription hears nothing published before {@link #subscribe} was called (E2).
 *
 * <p>The cluster relays each PUBLISH from the node that ran it to the others over its bus, one link
 * per pair of nodes, each in order. So when the node a subscriber listens on confirms a SUBSCRIBE,
 * messages published earlier elsewhere may still be on their way. After the confirmation this
 * transport publishes a token on a channel of its own from every primary; once the listening node
 * has passed on every copy, every message published before on any primary has arrived, and what
 * arrived on the new channel until then is dropped. The order across primaries is the cluster's:
 * a group's items live on every primary, so its events keep their order per item only.
 */
public final class SubscribeBarrier implements ChannelTransport {

  private static final Logger LOG = LoggerFactory.getLogger(SubscribeBarrier.class);

  private final RedisCommands commands;
  private final String barrierChannel;
  private final Duration timeout;
  private final MessageSink sink;
  private final ChannelTransport inner;
  /** Channels whose subscription waits for its barrier; what arrives on them meanwhile is dropped. */
  private final Map<String, Barrier> held = new ConcurrentHashMap<>();
  /** Barriers by token. */
  private final Map<String, Barrier> barriers = new ConcurrentHashMap<>();
  /** Guards {@code channels} and the barrier channel's subscription, which lasts while any channel's does. */
  private final Object barrierSubscription = new Object();
  private final Set<String> channels = new java.util.HashSet<>();

  /**
   * @param commands the cluster's commands: their {@link RedisCommands#primaries()} views publish
   *     on their own node
   * @param barrierChannel a channel of this transport's own, within the event prefix (ACLs), that no
   *     group's channel is
   * @param timeout how long a subscription waits for the barrier's copies before it goes on without
   *     them (logged)
   * @param sink where the messages go
   * @param inner builds the classic subscriber on one node from the sink it should hand messages to
   */
  public SubscribeBarrier(RedisCommands commands, String barrierChannel, Duration timeout,
      MessageSink sink, Function<? super MessageSink, ? extends ChannelTransport> inner) {
    this.commands = commands;
    this.barrierChannel = barrierChannel;
    this.timeout = timeout;
    this.sink = sink;
    this.inner = inner.apply(new Filter());
  }

  /**
   * The flat layout's subscriber on a cluster, as both Redis backends build it: a barrier channel of
   * its own under the event prefix, and the command timeout as the wait for the barrier's copies.
   *
   * @param commands the cluster's commands
   * @param config the adapter's configuration
   * @param sink where the messages go
   * @param inner builds the classic subscriber on one node from the sink it should hand messages to
   * @return the transport
   */
  public static SubscribeBarrier of(RedisCommands commands, dev.streams.StreamConfig config,
      MessageSink sink, Function<? super MessageSink, ? extends ChannelTransport> inner) {
    return new SubscribeBarrier(commands, barrierChannel(config.eventPrefix()), config.commandTimeout(),
        sink, inner);
  }

  /**
   * @param eventPrefix the configuration's event prefix
   * @return a barrier channel for one transport: the prefix, then a random name no group id makes
   */
  static String barrierChannel(String eventPrefix) {
    return eventPrefix + "streams-barrier:" + UUID.randomUUID();
  }

  @Override
  public void subscribe(String channel) {
    synchronized (barrierSubscription) {
      if (channels.isEmpty()) {
        inner.subscribe(barrierChannel);
      }
      channels.add(channel);
    }
    List<? extends RedisCommands> primaries = commands.primaries();
    Barrier barrier = new Barrier(channel, primaries.size());
    held.put(channel, barrier);
    barriers.put(barrier.token, barrier);
    boolean subscribed = false;
    try {
      inner.subscribe(channel);
      try {
        publishFromEvery(primaries, barrier);
      } catch (RuntimeException e) {
        inner.unsubscribe(channel);
        throw e;
      }
      subscribed = true;
      if (!barrier.await(timeout)) {
        LOG.warn("Subscribing {}: {} of {} primaries' barrier copies arrived within {}; events published"
            + " shortly before the subscription may still arrive", channel,
            primaries.size() - barrier.missing(), primaries.size(), timeout);
      }
    } finally {
      held.remove(channel, barrier);
      barriers.remove(barrier.token);
      if (!subscribed) {
        release(channel);
      }
    }
  }

  /**
   * Publishes the token from every primary. A primary that cannot take it (down, or failing over)
   * cannot send a copy: it is not waited for, as nothing more of it is on its way either.
   *
   * @throws RuntimeException the first failure, if no primary took the token
   */
  private void publishFromEvery(List<? extends RedisCommands> primaries, Barrier barrier) {
    RuntimeException firstFailure = null;
    boolean published = false;
    for (RedisCommands primary : primaries) {
      try {
        primary.publish(barrierChannel, barrier.token);
        published = true;
      } catch (RuntimeException e) {
        if (firstFailure == null) {
          firstFailure = e;
        }
        LOG.debug("Barrier token of {} not published on a primary: {}", barrier.channel, e.toString());
        if (barrier.copyArrived()) {
          held.remove(barrier.channel, barrier);
        }
      }
    }
    if (!published && firstFailure != null) {
      throw firstFailure;
    }
  }

  @Override
  public void unsubscribe(String channel) {
    inner.unsubscribe(channel);
    release(channel);
  }

  /** Ends the barrier channel's subscription with the last channel's: it holds the connection open. */
  private void release(String channel) {
    synchronized (barrierSubscription) {
      if (channels.remove(channel) && channels.isEmpty()) {
        inner.unsubscribe(barrierChannel);
      }
    }
  }

  @Override
  public boolean isConnected() {
    return inner.isConnected();
  }

  @Override
  public void close() {
    inner.close();
  }

  /** What the classic subscriber hands on: the barrier's tokens counted, held channels dropped. */
  private final class Filter implements MessageSink {

    @Override
    public void onMessage(String channelName, String message) {
      if (barrierChannel.equals(channelName)) {
        Barrier barrier = barriers.get(message);
        if (barrier != null && barrier.copyArrived()) {
          // The last copy: what comes on the channel from now on was published after the barrier.
          held.remove(barrier.channel, barrier);
        }
        return;
      }
      if (!held.containsKey(channelName)) {
        sink.onMessage(channelName, message);
      }
    }

    @Override
    public void reconnected() {
      sink.reconnected();
    }

    @Override
    public void resubscribed(Set<String> channelNames) {
      Set<String> ours = new java.util.HashSet<>(channelNames);
      ours.remove(barrierChannel);
      if (!ours.isEmpty()) {
        sink.resubscribed(ours);
      }
    }

    @Override
    public void disconnected(String reason) {
      sink.disconnected(reason);
    }
  }

  /** One subscription's wait for a copy of its token from every primary. */
  private static final class Barrier {
    final String channel;
    final String token = UUID.randomUUID().toString();
    final CountDownLatch copies;

    Barrier(String channel, int primaries) {
      this.channel = channel;
      this.copies = new CountDownLatch(primaries);
    }

    /** @return whether this was the last copy */
    boolean copyArrived() {
      if (copies.getCount() == 0) {
        return false;
      }
      copies.countDown();
      return copies.getCount() == 0;
    }

    long missing() {
      return copies.getCount();
    }

    boolean await(Duration timeout) {
      try {
        return copies.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
