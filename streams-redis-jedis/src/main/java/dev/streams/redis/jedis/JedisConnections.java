package dev.streams.redis.jedis;

import dev.streams.redis.internal.ConnectionFailures;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.NoSuchElementException;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ConnectionProvider;

/**
 * The command pool, as Jedis's own pooled provider, except that a broken connection is not replaced
 * at once. commons-pool2 2.13 opens a replacement inside {@code invalidateObject}, on the thread of
 * the caller whose command just failed: against a paused or unreachable server that caller waited a
 * second timeout before it saw its failure. The pool fills on demand instead (minIdle is 0).
 *
 * <p>A caller that finds every connection busy waits; if it gives up, it gets a {@link PoolWaitTimeout},
 * not a connection failure (C4).
 */
final class JedisConnections implements ConnectionProvider {

  private final ConnectionPool pool;
  private final OpeningDeadline sockets;
  private final int poolSize;
  private final Duration poolWait;

  JedisConnections(JedisSettings settings) {
    this.sockets = new OpeningDeadline(new DefaultJedisSocketFactory(settings.hostAndPort(), settings.clientConfig()));
    this.poolSize = settings.poolConfig().getMaxTotal();
    this.poolWait = settings.poolConfig().getMaxWaitDuration();
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
    try {
      return pool.getResource();
    } catch (JedisException e) {
      // commons-pool's "Timeout waiting for idle object" has no cause; a failed create or activation
      // is the factory's exception, or a NoSuchElementException with that as its cause.
      if (e.getCause() instanceof NoSuchElementException waiting && waiting.getCause() == null) {
        throw new PoolWaitTimeout(poolWait, poolSize);
      }
      // An error reply while the connection is made is the handshake's: its text may repeat the
      // password, so neither it nor the exception holding it goes further. A refused login's reply
      // (WRONGPASS, NOAUTH) is a fixed text and stays recognisable.
      if (e instanceof JedisDataException && !(e instanceof JedisAccessControlException)) {
        throw new HandshakeRefused();
      }
      throw e;
    }
  }

  @Override
  public Connection getConnection(CommandArguments args) {
    return getConnection();
  }

  /** The server answered the handshake with an error (see {@link ConnectionFailures#HANDSHAKE_REFUSED}). */
  static final class HandshakeRefused extends JedisConnectionException {
    private static final long serialVersionUID = 1L;

    HandshakeRefused() {
      super(ConnectionFailures.HANDSHAKE_REFUSED);
    }
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
