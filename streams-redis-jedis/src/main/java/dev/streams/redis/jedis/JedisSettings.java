package dev.streams.redis.jedis;

import dev.streams.StreamConfig;
import dev.streams.redis.internal.ReconnectGiveUp;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.SslOptions;

/**
 * How a {@link StreamConfig} becomes Jedis settings. Holds, for the adapter's parts, its
 * {@link JedisFailures} and its {@link ReconnectGiveUp}.
 */
final class JedisSettings {

  /**
   * Connections in the command pool, opened on demand; more concurrent callers wait for one. Each
   * Jedis call holds a connection for its round trip, and a caller parked in the pool costs two more
   * thread wake-ups: at 64 callers a pool of 32 reached 0.51–0.64 of redis-benchmark's GET, a pool
   * of 64 0.92–0.93 (streams-bench, same machine, alternating runs).
   */
  static final int POOL_SIZE = 64;

  private final StreamConfig config;
  private final int poolSize;
  private final Duration poolWait;
  /** Password-free messages. */
  private final JedisFailures failures;
  /** Once the strategy gave up, commands and subscriptions fail. */
  private final ReconnectGiveUp giveUp;

  JedisSettings(StreamConfig config) {
    // A caller waits for a free connection at most as long as for a command.
    this(config, POOL_SIZE, config.commandTimeout().plus(config.connectTimeout()));
  }

  /**
   * @param poolSize the most command connections (tests make it small to have callers wait)
   * @param poolWait how long a caller waits for a free one
   */
  JedisSettings(StreamConfig config, int poolSize, Duration poolWait) {
    this.config = config;
    this.poolSize = poolSize;
    this.poolWait = poolWait;
    this.failures = new JedisFailures(config);
    this.giveUp = new ReconnectGiveUp(config);
  }

  StreamConfig config() {
    return config;
  }

  HostAndPort hostAndPort() {
    return new HostAndPort(config.host(), config.port());
  }

  /** @return the seed nodes of the cluster ({@link StreamConfig#clusterNodes()}), in the order given */
  Set<HostAndPort> seeds() {
    Set<HostAndPort> seeds = new LinkedHashSet<>();
    for (InetSocketAddress node : config.clusterNodes()) {
      seeds.add(new HostAndPort(node.getHostString(), node.getPort()));
    }
    return seeds;
  }

  /** @return the client settings of every connection, commands and subscriber alike */
  JedisClientConfig clientConfig() {
    DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
        // RESP2 keeps script replies and pub/sub framing the same on every server version, and
        // saves the HELLO round trip on connect; nothing here needs RESP3.
        .resp2()
        .connectionTimeoutMillis(millis(config.connectTimeout()))
        .socketTimeoutMillis(millis(config.commandTimeout()))
        .database(config.database());
    if (config.tls()) {
      // TLS with the JVM's trust store and host name verification.
      builder.sslOptions(SslOptions.defaults());
    }
    config.username().ifPresent(builder::user);
    config.password().ifPresent(builder::password);
    return builder.build();
  }

  ConnectionPoolConfig poolConfig() {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(poolSize);
    pool.setMaxIdle(poolSize);
    pool.setMinIdle(0);
    pool.setBlockWhenExhausted(true);
    pool.setMaxWait(poolWait);
    return pool;
  }

  /** @return the password-free failure messages of this adapter */
  JedisFailures failures() {
    return failures;
  }

  /** @return whether this adapter's reconnect strategy gave up, shared by commands and subscriber */
  ReconnectGiveUp giveUp() {
    return giveUp;
  }

  /** @return {@code host:port}, or {@code cluster host:port,...} of the seeds, for messages */
  String endpoint() {
    return config.endpoint();
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
  }
}
