package dev.streams.redis.lettuce;

import com.google.auto.service.AutoService;
import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.StreamAdapterProvider;

/**
 * The {@value #NAME} backend: Redis through Lettuce. Uses every option of {@link StreamConfig}: host,
 * port, username and password (ACL), database, TLS, prefixes, connect and command timeouts, the
 * reconnect strategy (it paces Lettuce's own reconnection of both connections), and the event queue
 * bound. With {@code clusterNodes} set it reaches a Redis Cluster (L3) through those seed nodes, with the
 * same login, TLS, timeouts and reconnect strategy for every node.
 */
@AutoService(StreamAdapterProvider.class)
public final class LettuceStreamsProvider implements StreamAdapterProvider {

  /** The backend name. */
  public static final String NAME = "redis-lettuce";

  /** Called by {@link java.util.ServiceLoader}. */
  public LettuceStreamsProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Connects and checks the connection (login, database; on a cluster the topology) before it
   * returns.
   *
   * @throws dev.streams.StreamConnectionException naming host:port (or the cluster's seeds) if Redis
   *     cannot be reached or refuses the login, or a seed node is no cluster node, within the connect
   *     timeout plus the command timeout
   */
  @Override
  public StreamAdapter open(StreamConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    return LettuceStreamAdapter.open(config);
  }
}
