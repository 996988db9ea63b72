package dev.streams.redis.jedis;

import com.google.auto.service.AutoService;
import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.StreamAdapterProvider;

/**
 * The {@value #NAME} backend: Redis through Jedis. Uses every option of {@link StreamConfig}: host,
 * port or the seed nodes of a Redis Cluster (clusterNodes), username and password (ACL), database,
 * TLS, prefixes, connect and command timeouts, the reconnect strategy of the subscriber connection,
 * and the event queue bound.
 */
@AutoService(StreamAdapterProvider.class)
public final class JedisStreamsProvider implements StreamAdapterProvider {

  /** The backend name. */
  public static final String NAME = "redis-jedis";

  /** Called by {@link java.util.ServiceLoader}. */
  public JedisStreamsProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Connects and checks the connection (login, database) before it returns: to the single server at
   * host and port, or, with {@link StreamConfig#clusterNodes()} set, to the Redis Cluster of those
   * seeds (L3), whose every primary must answer.
   *
   * @throws dev.streams.StreamConnectionException naming host:port (or the seeds) if Redis cannot be
   *     reached or refuses the login, within the connect timeout on a single server; naming the seeds
   *     if a seed is no cluster node
   */
  @Override
  public StreamAdapter open(StreamConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    return config.isCluster() ? JedisClusterAdapter.open(config) : JedisStreamAdapter.open(config);
  }
}
