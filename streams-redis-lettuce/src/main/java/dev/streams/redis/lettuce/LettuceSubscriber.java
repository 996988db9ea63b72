package dev.streams.redis.lettuce;

import dev.streams.StreamConnectionException;
import dev.streams.StreamException;
import dev.streams.redis.internal.SubscribeCommands;
import dev.streams.redis.internal.SubscriberKeepAlive;
import dev.streams.redis.lettuce.LettuceClient.ObservedPubSubConnection;
import dev.streams.spi.ChannelTransport;
import dev.streams.spi.MessageSink;
import io.lettuce.core.RedisFuture;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter's one pub/sub connection, opened at the first subscription and kept until the adapter
 * closes. {@link #subscribe} returns once the server confirmed the channel.
 *
 * <p>Lettuce reconnects a lost connection and subscribes its channels again by itself. This class
 * watches that re-subscription ({@link LettuceClient.PubSubObserver}): once the server confirmed
 * every channel Lettuce re-sent, it reconciles with the channels wanted now (subscribing those whose
 * subscription was lost in flight, dropping those unsubscribed while disconnected), and only then
 * tells its {@link MessageSink}, which sends each handler one {@code sync} event (E7). Exactly once
 * per reconnection: a connection lost again before that starts over with the next reconnection.
 *
 * <p>Lettuce notices a connection that is closed or reset, but not one whose path died silently. A
 * {@link SubscriberKeepAlive} watches each activation: PING when idle, and the network channel closed
 * when nothing answers, after which Lettuce reconnects and the above applies.
 */
final class LettuceSubscriber extends RedisPubSubAdapter<String, String>
    implements ChannelTransport, LettuceClient.PubSubObserver {

  private static final Logger LOG = LoggerFactory.getLogger(LettuceSubscriber.class);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  private final LettuceSettings settings;
  private final SubscriberKeepAlive keepAlive;
  /** Guards opening and closing; held while the connection opens, so never taken on Lettuce threads. */
  private final Object lock = new Object();
  /** Guards {@code restoring}; taken on Lettuce's event loop, so never held while waiting. */
  private final Object restoreLock = new Object();
  /** The channels the dispatcher wants now. */
  private final Set<String> wanted = ConcurrentHashMap.newKeySet();
  /**
   * Channels whose SUBSCRIBE is sent or about to be, each with its confirmation: completed by the
   * {@link #subscribed} callback, as a SUBSCRIBE of several channels is confirmed channel by channel
   * (Lettuce's command future completes at the first confirmation of whichever command is oldest).
   */
  private final Map<String, CompletableFuture<Void>> awaiting = new ConcurrentHashMap<>();
  /**
   * Guards {@code batch}; the pub/sub commands for its channels are written under it, so a channel
   * abandoned is unsubscribed after its SUBSCRIBE, never before. Never held while waiting.
   */
  private final Object batchLock = new Object();
  /** Channels gathered for the next SUBSCRIBE, sent by one task of {@code sender}; each once. */
  private Set<String> batch = new LinkedHashSet<>();
  private boolean batchScheduled;
  /** Runs the task that sends a batch: Lettuce's own computation threads. */
  private final Executor sender;
  private final MessageSink sink;
  /** The server; on a cluster, the login and TLS only (the client picks the node). */
  private final RedisURI uri;
  /** Opens the pub/sub connection; this subscriber's alone, on the adapter's resources. */
  private final LettuceClient client;
  /** Guarded by {@code lock} for opening; volatile for the readers that only use it. */
  private volatile StatefulRedisPubSubConnection<String, String> connection;
  private volatile boolean closed;
  /** Channels of the re-subscription still unconfirmed, or null when none is under way. */
  private Set<String> restoring;
  /** The activation the keepalive watches, or null while disconnected. */
  private volatile ActiveChannel watched;

  private LettuceSubscriber(LettuceSettings settings, ClientResources resources, MessageSink sink, RedisURI uri,
      Supplier<List<RedisURI>> nodes) {
    this.settings = settings;
    this.sink = sink;
    this.uri = uri;
    this.keepAlive = new SubscriberKeepAlive(settings.config());
    this.sender = resources.eventExecutorGroup();
    // Last, once the state its callbacks use exists: the client reports its pub/sub connections to
    // this subscriber, and opens none before the first subscribe.
    this.client = new LettuceClient(resources, uri, this, nodes);
    client.setOptions(settings.clientOptions());
  }

  /**
   * @param settings the adapter's settings, its give-up state included
   * @param resources the adapter's client resources
   * @param sink receives every message, and the news of a reconnection or a give-up
   * @return a subscriber with no connection yet; it ends its subscriptions when the strategy gives up
   */
  static LettuceSubscriber create(LettuceSettings settings, ClientResources resources, MessageSink sink) {
    return create(settings, resources, sink, settings.redisUri(), null);
  }

  /**
   * The classic subscriber on a Redis Cluster (L3, flat layout): PUBLISH reaches every node, so its
   * one connection goes to any node that runs, and after a loss reconnects to the next node of the
   * cluster client's topology not marked failed; E7 (one {@code sync} per handler once every channel
   * is subscribed again) and the keepalive as on a single server. Wrapped in a
   * {@link dev.streams.redis.internal.SubscribeBarrier} by the adapter, for E2.
   *
   * @param settings the adapter's settings
   * @param resources the adapter's client resources
   * @param sink receives every message the node sends
   * @param cluster the adapter's cluster client, whose topology names the nodes
   * @return a subscriber with no connection yet
   */
  static LettuceSubscriber create(LettuceSettings settings, ClientResources resources, MessageSink sink,
      RedisClusterClient cluster) {
    return create(settings, resources, sink, settings.redisUri(), () -> liveNodes(settings, cluster));
  }

  /**
   * @return the nodes of the cluster client's current topology that are not marked failed, each
   *     with the configured login and TLS; the seeds if there are none
   */
  private static List<RedisURI> liveNodes(LettuceSettings settings, RedisClusterClient cluster) {
    List<RedisURI> live = new ArrayList<>();
    for (RedisClusterNode node : cluster.getPartitions()) {
      if (!node.is(RedisClusterNode.NodeFlag.FAIL) && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)
          && !node.is(RedisClusterNode.NodeFlag.NOADDR) && node.getUri() != null) {
        live.add(settings.nodeUri(node.getUri().getHost(), node.getUri().getPort()));
      }
    }
    return live.isEmpty() ? settings.redisUris() : live;
  }

  private static LettuceSubscriber create(LettuceSettings settings, ClientResources resources, MessageSink sink,
      RedisURI uri, Supplier<List<RedisURI>> nodes) {
    LettuceSubscriber subscriber = new LettuceSubscriber(settings, resources, sink, uri, nodes);
    // Not on the Lettuce thread that asked for the delay: closing waits for that thread's work.
    settings.giveUp().whenGivenUp(reason -> CompletableFuture.runAsync(() -> subscriber.gaveUp(reason)));
    return subscriber;
  }

  /** Waits on the caller's thread, interruptibly, within the command timeout of the stage. */
  @Override
  public void subscribe(String channel) {
    CompletableFuture<Void> confirmed = subscribeOn(channel);
    try {
      confirmed.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon(channel, awaiting.get(channel));
      throw new StreamConnectionException("Interrupted while subscribing channel '" + channel
          + "' on Redis at " + settings.endpoint(), e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new CompletionException(e.getCause());
    }
  }

  /**
   * Gathers the SUBSCRIBE and returns; the stage completes on Lettuce's event loop at the server's
   * confirmation. The first subscription opens the connection, which waits: that one runs on
   * {@code blocking}.
   */
  @Override
  public CompletableFuture<Void> subscribeAsync(String channel, Executor blocking) {
    if (connection == null) {
      return ChannelTransport.super.subscribeAsync(channel, blocking);
    }
    try {
      return subscribeOn(channel);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Gathers the channel into the next SUBSCRIBE: the channels that many callers subscribe at once
   * go to the server in a few commands and one write each, not a write per channel.
   *
   * @return the server's confirmation of the channel, within the command timeout
   */
  private CompletableFuture<Void> subscribeOn(String channel) {
    // Opens the connection at the first subscription; fails once closed or given up.
    connection();
    wanted.add(channel);
    CompletableFuture<Void> confirmed = awaitConfirmation(channel);
    Duration wait = settings.commandWait();
    CompletableFuture<Void> outcome = new CompletableFuture<>();
    // On a copy: the timeout is this caller's, and must not complete the confirmation itself.
    confirmed.thenApply(done -> done).orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((done, failure) -> {
          if (failure == null) {
            outcome.complete(null);
            return;
          }
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          abandon(channel, confirmed);
          outcome.completeExceptionally(cause instanceof TimeoutException
              ? settings.failures().noAnswer("subscribing channel '" + channel + "'", wait)
              : cause instanceof StreamException || cause instanceof IllegalStateException
                  ? (RuntimeException) cause // closed, or given up (see stop): said already
                  : settings.failures().connectionFailure("subscribing channel '" + channel + "'", cause));
        });
    return outcome;
  }

  /** @return the channel's confirmation, its SUBSCRIBE gathered into the next batch */
  private CompletableFuture<Void> awaitConfirmation(String channel) {
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    CompletableFuture<Void> earlier = awaiting.putIfAbsent(channel, confirmed);
    boolean schedule;
    synchronized (batchLock) {
      batch.add(channel);
      schedule = !batchScheduled;
      batchScheduled = true;
    }
    if (schedule) {
      try {
        sender.execute(this::sendBatch);
      } catch (RejectedExecutionException shuttingDown) {
        sendBatch();
      }
    }
    return earlier != null ? earlier : confirmed;
  }

  /** Sends the channels gathered so far (see {@link SubscribeCommands}). */
  private void sendBatch() {
    synchronized (batchLock) {
      List<String> sending = List.copyOf(batch);
      batch = new LinkedHashSet<>();
      batchScheduled = false;
      StatefulRedisPubSubConnection<String, String> open = connection;
      for (List<String> channels : SubscribeCommands.commands(sending)) {
        List<CompletableFuture<Void>> confirmations = new ArrayList<>(channels.size());
        channels.forEach(channel -> confirmations.add(awaiting.get(channel)));
        try {
          if (open == null || closed) {
            throw closedFailure();
          }
          open.async().subscribe(channels.toArray(String[]::new)).whenComplete((reply, failure) -> {
            if (failure != null) {
              failAll(channels, confirmations, failure);
            }
          });
        } catch (RuntimeException e) {
          failAll(channels, confirmations, e);
        }
      }
    }
  }

  /** The SUBSCRIBE of these channels failed: those not confirmed meanwhile fail with it. */
  private void failAll(List<String> channels, List<CompletableFuture<Void>> confirmations, Throwable failure) {
    for (int i = 0; i < channels.size(); i++) {
      CompletableFuture<Void> confirmed = confirmations.get(i);
      if (confirmed != null && awaiting.remove(channels.get(i), confirmed)) {
        confirmed.completeExceptionally(failure);
      }
    }
  }

  /**
   * @return why nothing more can be subscribed: the reconnect strategy's give-up first (a give-up
   *     closes the subscriber too, and its reason is what the caller needs), or the close
   */
  private RuntimeException closedFailure() {
    try {
      settings.giveUp().requireNotGivenUp();
    } catch (RuntimeException gaveUp) {
      return gaveUp;
    }
    return new IllegalStateException("the subscriber of " + settings.endpoint() + " is closed");
  }

  @Override
  public void unsubscribe(String channel) {
    wanted.remove(channel);
    StatefulRedisPubSubConnection<String, String> open = connection;
    if (open != null && !closed) {
      // Not awaited: a channel left subscribed meanwhile only delivers messages nobody wants, and a
      // reconnection drops it (see finishRestore).
      send(() -> open.async().unsubscribe(channel));
    }
  }

  /** Connected while the keepalive watches a connection: from its opening to its loss. */
  @Override
  public boolean isConnected() {
    return keepAlive.isWatching();
  }

  /** Takes no more subscriptions and shuts the client down, which closes the connection. */
  @Override
  public void close() {
    stop();
    try {
      client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
    } catch (RuntimeException e) {
      LOG.debug("Closing the Lettuce pub/sub client failed: {}", e.toString());
    }
  }

  /** Takes no more subscriptions; those on their way fail. */
  private void stop() {
    synchronized (lock) {
      closed = true;
      wanted.clear();
    }
    RuntimeException failure = closedFailure();
    for (String channel : List.copyOf(awaiting.keySet())) {
      CompletableFuture<Void> confirmed = awaiting.remove(channel);
      if (confirmed != null) {
        confirmed.completeExceptionally(failure);
      }
    }
    keepAlive.close();
  }

  /**
   * The reconnect strategy gave up (E7): every handler gets its last event, then the connection
   * closes, so that Lettuce stops reconnecting it.
   *
   * @param reason the strategy's reason
   */
  private void gaveUp(String reason) {
    sink.disconnected(reason);
    stop();
    StatefulRedisPubSubConnection<String, String> open = connection;
    if (open != null) {
      open.closeAsync();
    }
  }

  /** @return the connection, opened now if this is the first subscription */
  private StatefulRedisPubSubConnection<String, String> connection() {
    synchronized (lock) {
      if (closed || settings.giveUp().hasGivenUp()) {
        throw closedFailure();
      }
      if (connection == null) {
        connection = open();
      }
      return connection;
    }
  }

  private StatefulRedisPubSubConnection<String, String> open() {
    Duration wait = settings.connectWait();
    CompletableFuture<StatefulRedisPubSubConnection<String, String>> opening =
        client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture();
    StatefulRedisPubSubConnection<String, String> opened;
    try {
      opened = opening.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw settings.failures().connectionFailure("opening the subscriber connection", e.getCause());
    } catch (TimeoutException e) {
      // A connection that completes after all must not linger.
      opening.thenAccept(StatefulRedisPubSubConnection::closeAsync);
      throw settings.failures().noConnection("opening the subscriber connection");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      opening.thenAccept(StatefulRedisPubSubConnection::closeAsync);
      throw new StreamConnectionException("Interrupted while connecting to Redis at " + settings.endpoint(), e);
    }
    // No channel is subscribed yet, so no message can have been missed before the listener.
    opened.addListener(this);
    return opened;
  }

  /**
   * The caller of subscribe gave up on a channel: it must not stay subscribed, even if confirmed just
   * after the caller's timeout. By name: the dispatcher subscribes a channel again only after this
   * (see {@link ChannelTransport}).
   */
  private void abandon(String channel, CompletableFuture<Void> confirmed) {
    if (confirmed != null) {
      awaiting.remove(channel, confirmed);
    }
    wanted.remove(channel);
    synchronized (batchLock) {
      if (batch.remove(channel)) {
        return;
      }
      StatefulRedisPubSubConnection<String, String> open = connection;
      if (open != null && !closed) {
        send(() -> open.async().unsubscribe(channel));
      }
    }
  }

  /** Sends a command whose reply nobody waits for; a failure only matters for the log. */
  private void send(java.util.function.Supplier<RedisFuture<?>> command) {
    try {
      command.get().whenComplete((reply, failure) -> {
        if (failure != null) {
          LOG.debug("A pub/sub command to {} failed: {}", settings.endpoint(), failure.toString());
        }
      });
    } catch (RuntimeException e) {
      LOG.debug("A pub/sub command to {} failed: {}", settings.endpoint(), e.toString());
    }
  }

  // --- Lettuce callbacks, on the connection's event loop thread: none of them may block.

  @Override
  public void message(String channel, String message) {
    keepAlive.heard();
    sink.onMessage(channel, message);
  }

  @Override
  public void beforeResubscribe(ObservedPubSubConnection connection, Set<String> resubscribing,
      boolean reconnection) {
    synchronized (restoreLock) {
      restoring = reconnection && !closed ? new HashSet<>(resubscribing) : null;
    }
    Channel channel = connection.activeChannel();
    if (channel != null && !closed) {
      ActiveChannel activation = new ActiveChannel(connection, channel);
      watched = activation;
      keepAlive.watch(activation, false);
    }
  }

  @Override
  public void afterResubscribe(ObservedPubSubConnection connection) {
    boolean nothingToConfirm;
    synchronized (restoreLock) {
      nothingToConfirm = restoring != null && restoring.isEmpty();
      if (nothingToConfirm) {
        restoring = null;
      }
    }
    if (nothingToConfirm) {
      finishRestore(connection);
    }
  }

  @Override
  public void deactivated() {
    ActiveChannel activation = watched;
    watched = null;
    if (activation != null) {
      keepAlive.unwatch(activation);
    }
    synchronized (restoreLock) {
      restoring = null;
    }
    if (!closed) {
      LOG.warn("Lost the subscriber connection to {}; Lettuce reconnects", settings.endpoint());
    }
  }

  @Override
  public void unsubscribed(String channel, long count) {
    keepAlive.heard();
  }

  @Override
  public void subscribed(String channel, long count) {
    keepAlive.heard();
    CompletableFuture<Void> confirmed = awaiting.remove(channel);
    if (confirmed != null) {
      confirmed.complete(null);
    }
    boolean restored;
    synchronized (restoreLock) {
      restored = restoring != null && restoring.remove(channel) && restoring.isEmpty();
      if (restored) {
        restoring = null;
      }
    }
    if (restored) {
      StatefulRedisPubSubConnection<String, String> open = connection;
      if (open instanceof ObservedPubSubConnection observed) {
        finishRestore(observed);
      }
    }
  }

  /**
   * Every channel Lettuce re-sent is confirmed. Brings the server in line with the channels wanted
   * now, then announces the reconnection.
   */
  private void finishRestore(ObservedPubSubConnection restored) {
    if (closed) {
      return;
    }
    Set<String> confirmed = restored.confirmedChannels();
    List<String> extra = new ArrayList<>();
    for (String channel : confirmed) {
      if (!wanted.contains(channel)) {
        extra.add(channel);
      }
    }
    if (!extra.isEmpty()) {
      send(() -> restored.async().unsubscribe(extra.toArray(String[]::new)));
    }
    Set<String> missing = new LinkedHashSet<>(wanted);
    missing.removeAll(confirmed);
    if (missing.isEmpty()) {
      announce(confirmed.size());
      return;
    }
    // Each channel's own confirmation: a SUBSCRIBE's future completes at the first of any.
    List<CompletableFuture<Void>> confirmations = new ArrayList<>();
    for (String channel : missing) {
      confirmations.add(awaitConfirmation(channel));
    }
    CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new))
        .orTimeout(settings.commandWait().toMillis(), TimeUnit.MILLISECONDS).whenComplete((done, failure) -> {
      if (failure == null) {
        announce(confirmed.size() + missing.size());
      } else {
        // The connection failed again: the next reconnection announces itself.
        LOG.debug("Restoring channels on {} failed: {}", settings.endpoint(), failure.toString());
      }
    });
  }

  private void announce(int channels) {
    if (closed) {
      return;
    }
    // On a cluster the node may be another than before: named, as the endpoint lists only the seeds.
    ActiveChannel active = watched;
    LOG.info("Subscriber reconnected to {}{}; {} channel(s) restored", settings.endpoint(),
        active == null ? "" : " at " + active.channel.remoteAddress(), channels);
    sink.reconnected();
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
      // Lettuce's command timeout ends the PING if no pong comes; the keepalive decides what that means.
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
