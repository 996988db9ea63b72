package dev.streams.redis.jedis;

import dev.streams.StreamConfig;
import dev.streams.StreamLayout;
import dev.streams.redis.internal.RedisStreamAdapter;
import dev.streams.redis.internal.SubscribeBarrier;
import dev.streams.spi.ChannelTransport;
import dev.streams.spi.MessageSink;
import java.util.function.Function;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/**
 * A Redis adapter on a Redis Cluster (L3) through Jedis: routed commands on a pool per node, and a
 * subscriber: classic pub/sub on one node for the flat layout, behind a {@link SubscribeBarrier},
 * sharded pub/sub on the nodes owning the channels' slots for the hash layout. The asynchronous API
 * runs the blocking calls on the adapter's threads (A1).
 */
final class JedisClusterAdapter extends RedisStreamAdapter {

  private final RedisClusterClient client;
  private final JedisClusterCommands commands;

  private JedisClusterAdapter(JedisSettings settings, RedisClusterClient client, JedisClusterCommands commands) {
    super(settings.config(), JedisStreamsProvider.NAME + "://" + settings.config().endpoint() + "/"
        + settings.config().database(), transports(settings, commands), commands);
    this.client = client;
    this.commands = commands;
  }

  /** @return the routed commands (tests look at their node views) */
  JedisClusterCommands commands() {
    return commands;
  }

  private static Function<MessageSink, ChannelTransport> transports(JedisSettings settings,
      JedisClusterCommands commands) {
    // The hash layout's events travel by SPUBLISH on a cluster (L3, see RedisStreamAdapter), the
    // flat layout's by PUBLISH, which every node delivers, in order for the node's own publications.
    if (settings.config().layout() == StreamLayout.HASH) {
      return sink -> JedisShardedSubscriber.create(settings, commands, sink);
    }
    // One classic subscriber on one node, moving to another that answers when it is lost (E7); the
    // barrier keeps out what was published before a subscription but relayed after it (E2).
    return sink -> SubscribeBarrier.of(commands, settings.config(), sink,
        filterSink -> JedisSubscriber.create(settings, commands::subscriberNodes, filterSink));
  }

  /**
   * Connects to the seeds, learns the slot map from the first that answers, and checks that every
   * primary answers with these credentials.
   *
   * @throws dev.streams.StreamConnectionException naming the seeds ({@link StreamConfig#endpoint()})
   */
  static JedisClusterAdapter open(StreamConfig config) {
    JedisSettings settings = new JedisSettings(config);
    ClusterConnectionProvider provider;
    try {
      // We keep the provider: its slot map tells the primaries and the owners of channels' slots.
      provider = new ClusterConnectionProvider(settings.seeds(), settings.clientConfig(),
          settings.poolConfig(), null);
    } catch (JedisException e) {
      throw settings.failures().openingFailure("connecting", e);
    }
    RedisClusterClient client;
    try {
      client = RedisClusterClient.builder()
          .nodes(settings.seeds())
          .clientConfig(settings.clientConfig())
          .connectionProvider(provider)
          .maxAttempts(JedisClusterCommands.MAX_ATTEMPTS)
          // A command retried during a failover fails within about commandTimeout (C4).
          .maxTotalRetriesDuration(config.commandTimeout())
          .build();
    } catch (RuntimeException e) {
      provider.close();
      throw e;
    }
    JedisClusterCommands commands = new JedisClusterCommands(client, provider, settings);
    try {
      commands.ping();
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return new JedisClusterAdapter(settings, client, commands);
  }

  @Override
  protected void closeBackend() {
    // The subscriber, the transport, is closed by now; this closes the provider and its pools.
    client.close();
  }
}
