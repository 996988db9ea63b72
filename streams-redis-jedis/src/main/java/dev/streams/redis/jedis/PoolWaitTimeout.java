package dev.streams.redis.jedis;

import java.time.Duration;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A caller waited for a free pooled connection and gave up (C4): every connection was busy with other
 * calls. Says nothing about the server, so it must not close the reconnect gate.
 */
final class PoolWaitTimeout extends JedisException {

  private static final long serialVersionUID = 1L;

  /**
   * @param waited how long the caller waited
   * @param poolSize how many connections the pool holds
   */
  PoolWaitTimeout(Duration waited, int poolSize) {
    super("no free connection within " + waited.toMillis() + " ms (all " + poolSize
        + " of this adapter's connections are busy with other calls; the server was not found unreachable)");
  }
}
