package dev.streams.redis.jedis;

import java.util.Collections;
import java.util.Map;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.providers.ConnectionProvider;

/**
 * The command pool, as Jedis's own pooled provider, except that a broken connection is not replaced
 * at once. commons-pool2 2.13 opens a replacement inside {@code invalidateObject}, on the thread of
 * the caller whose command just failed: against a paused or unreachable server that caller waited a
 * second timeout before it saw its failure. The pool fills on demand instead (minIdle is 0).
 */
final class JedisConnections implements ConnectionProvider {

  private final ConnectionPool pool;
  private final OpeningDeadline sockets;

  JedisConnections(JedisSettings settings) {
    this.sockets = new OpeningDeadline(new DefaultJedisSocketFactory(settings.hostAndPort(), settings.clientConfig()));
    this.pool = new ConnectionPool(new ConnectionFactory(sockets, settings.clientConfig()), settings.poolConfig()) {
      @Override
      public void addObject() {
        // Only invalidateObject calls this (nothing pre-fills the pool): see the class comment.
      }
    };
  }

  /** @return the socket factory, which can bound the adapter's opening */
  OpeningDeadline sockets() {
    return sockets;
  }

  @Override
  public Connection getConnection() {
    return pool.getResource();
  }

  @Override
  public Connection getConnection(CommandArguments args) {
    return pool.getResource();
  }

  @Override
  public Map<?, ?> getConnectionMap() {
    return Collections.singletonMap(pool.getFactory(), pool);
  }

  @Override
  public Map<?, ?> getPrimaryNodesConnectionMap() {
    return getConnectionMap();
  }

  @Override
  public void close() {
    pool.close();
  }
}
