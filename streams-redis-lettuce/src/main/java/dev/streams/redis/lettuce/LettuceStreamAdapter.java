package dev.streams.redis.lettuce;

import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.StreamLayout;
import dev.streams.redis.internal.RedisStreamAdapter;
import dev.streams.redis.internal.ConnectionFailures;
import dev.streams.redis.internal.SubscribeBarrier;
import dev.streams.spi.ChannelTransport;
import dev.streams.spi.MessageSink;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis adapter on Lettuce. On a single server: one multiplexed command connection, whose commands
 * go out in batches ({@link CoalescingClient}), and one pub/sub connection. On a Redis Cluster (L3):
 * one cluster connection (a multiplexed connection per node, each command routed by its key) and the
 * subscriber of the layout: classic pub/sub on any one node for the flat layout, sharded pub/sub on
 * each channel's slot owner for the hash layout.
 */
final class LettuceStreamAdapter extends RedisStreamAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(LettuceStreamAdapter.class);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  private final AbstractRedisClient client;
  private final ClientResources resources;
  /** The cluster connection, or null on a single server. */
  private volatile StatefulRedisClusterConnection<String, String> clusterConnection;

  /**
   * The system property that makes the command connection flush every command on its own, as
   * Lettuce does by default: only for the benchmark's before-and-after comparison of the batches.
   */
  static final String FLUSH_EACH_COMMAND = "streams.lettuce.flushEachCommand";

  private LettuceStreamAdapter(LettuceSettings settings, AbstractRedisClient client, ClientResources resources,
      Function<? super MessageSink, ? extends ChannelTransport> transports, LettuceRedisCommands commands) {
    super(settings.config(), LettuceStreamsProvider.NAME + "://" + settings.config().endpoint() + "/"
            + settings.config().database(), transports, commands, commands);
    this.client = client;
    this.resources = resources;
    if (client instanceof CoalescingClient coalescing) {
      coalescing.onBatch(this::commandsWritten);
    }
  }

  static LettuceStreamAdapter open(StreamConfig config) {
    LettuceSettings settings = new LettuceSettings(config);
    ClientResources resources = settings.clientResources();
    if (config.isCluster()) {
      return openCluster(settings, resources);
    }
    // The command connection's client; the subscriber has its own on the same resources.
    RedisClient client = Boolean.getBoolean(FLUSH_EACH_COMMAND)
        ? new HandshakeWatchingClient(resources, settings.redisUri())
        : new CoalescingClient(resources, settings.redisUri());
    client.setOptions(settings.clientOptions());
    StatefulRedisConnection<String, String> commands;
    try {
      commands = connect(client.connectAsync(StringCodec.UTF8, settings.redisUri()).toCompletableFuture(), settings);
    } catch (RuntimeException e) {
      // In the background: a connect still pending would hold the caller past the connect timeout.
      CompletableFuture.runAsync(() -> shutdown(client, resources));
      throw e;
    }
    // Closed once the strategy gives up, so that Lettuce stops reconnecting it (E7); not on the
    // Lettuce thread that asked for the delay, as closing waits for that thread's work.
    settings.giveUp().whenGivenUp(reason -> CompletableFuture.runAsync(commands::closeAsync));
    return new LettuceStreamAdapter(settings, client, resources,
        sink -> LettuceSubscriber.create(settings, resources, sink),
        new LettuceRedisCommands(commands, settings));
  }

  /**
   * Loads the cluster's topology from the seeds and opens the cluster connection (L3). The
   * subscriber of the layout opens its own connections at the first subscription.
   */
  private static LettuceStreamAdapter openCluster(LettuceSettings settings, ClientResources resources) {
    RedisClusterClient client = new WatchedClusterClient(resources, settings.redisUris());
    client.setOptions(settings.clusterClientOptions());
    StatefulRedisClusterConnection<String, String> commands;
    try {
      // Lettuce connects asynchronously only once the topology is loaded.
      commands = connect(client.refreshPartitionsAsync().toCompletableFuture()
          .thenCompose(loaded -> client.connectAsync(StringCodec.UTF8)), settings);
    } catch (RuntimeException e) {
      CompletableFuture.runAsync(() -> shutdown(client, resources));
      throw e;
    }
    settings.giveUp().whenGivenUp(reason -> CompletableFuture.runAsync(commands::closeAsync));
    LettuceRedisCommands clusterCommands = new LettuceRedisCommands(commands, client, settings);
    // Opened now rather than by the first commands, which Lettuce would reject unsent while their
    // node connection opens, and which would each wait for the connections then (see send).
    try {
      clusterCommands.connectPrimaries().get(settings.connectWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("Not every primary of {} was connected at open: {}", settings.endpoint(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CompletableFuture.runAsync(() -> shutdown(client, resources));
      throw new StreamConnectionException("Interrupted while connecting to Redis at " + settings.endpoint(), e);
    }
    // Hash layout events travel by sharded pub/sub on each channel's slot owner, flat ones by classic
    // pub/sub, which the cluster relays to every node: one connection to any node, behind a barrier
    // that keeps out what was published before a subscription (L3, E2).
    StreamConfig config = settings.config();
    Function<MessageSink, ChannelTransport> transports = config.layout() == StreamLayout.HASH
        ? sink -> ShardedSubscriber.create(settings, resources, client, sink)
        : sink -> SubscribeBarrier.of(clusterCommands, config, sink,
            node -> LettuceSubscriber.create(settings, resources, node, client));
    LettuceStreamAdapter adapter = new LettuceStreamAdapter(settings, client, resources, transports, clusterCommands);
    adapter.clusterConnection = commands;
    return adapter;
  }

  /**
   * Waits for a connection: connected, logged in and the database selected (Lettuce's handshake),
   * and on a cluster the topology loaded; bounded by connectTimeout (C4).
   */
  private static <C> C connect(CompletableFuture<C> connecting, LettuceSettings settings) {
    Duration wait = settings.connectWait();
    try {
      return connecting.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (ConnectionFailures.isClusterSupportDisabled(e.getCause())) {
        // Without the chain: its text lists every seed's failure, a handshake's among them.
        throw settings.failures().failure("connecting", ConnectionFailures.NOT_A_CLUSTER);
      }
      throw settings.failures().openingFailure("connecting", e.getCause());
    } catch (TimeoutException e) {
      throw settings.failures().noConnection("connecting");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StreamConnectionException("Interrupted while connecting to Redis at " + settings.endpoint(), e);
    }
  }

  @Override
  protected void closeBackend() {
    // The subscriber, the transport, has shut its client down by now.
    if (clusterConnection != null) {
      // The cluster connection first, which closes its node connections: the client closes what it
      // holds in no order, and a node connection closed after its cluster connection makes Lettuce warn.
      try {
        clusterConnection.close();
      } catch (RuntimeException e) {
        LOG.debug("Closing the Lettuce cluster connection failed: {}", e.toString());
      }
    }
    shutdown(client, resources);
  }

  /** Closes the client's connection and stops the adapter's Lettuce threads, without a quiet period. */
  private static void shutdown(AbstractRedisClient client, ClientResources resources) {
    try {
      // The client closes its connection: closing it first would only make Lettuce warn.
      client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
    } catch (RuntimeException e) {
      LOG.debug("Closing the Lettuce client failed: {}", e.toString());
    } finally {
      resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis() + 500);
    }
  }
}
