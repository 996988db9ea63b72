package dev.streams.redis.jedis;

import com.google.auto.service.AutoService;
import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.StreamAdapterProvider;
import dev.streams.redis.internal.Topology;

/**
 * The {@value #NAME} backend: Redis through Jedis. Uses every option of {@link StreamConfig}: host,
 * port, username and password (ACL), database, TLS, prefixes, connect and command timeouts, the
 * reconnect strategy of the subscriber connection, and the event queue bound.
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
   * Connects and checks the connection (login, database) before it returns.
   *
   * @throws IllegalArgumentException naming {@code clusterNodes} if it is set: this backend reaches a
   *     single server only so far
   * @throws dev.streams.StreamConnectionException naming host:port if Redis cannot be reached or
   *     refuses the login, within the connect timeout
   */
  @Override
  public StreamAdapter open(StreamConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    Topology.requireSingleServer(config, NAME);
    return JedisStreamAdapter.open(config);
  }
}
