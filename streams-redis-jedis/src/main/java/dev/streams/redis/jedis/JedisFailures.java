package dev.streams.redis.jedis;

import dev.streams.StreamConfig;
import dev.streams.redis.internal.ConnectionFailures;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisProtocolNotSupportedException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/** What Jedis's exceptions mean, in this library's words (C3, C4). One per adapter. */
final class JedisFailures extends ConnectionFailures {

  JedisFailures(StreamConfig config) {
    super(config);
  }

  /**
   * Jedis wraps a refused {@code HELLO} in {@link JedisProtocolNotSupportedException} with the
   * server's reply as its cause; a server that does not know HELLO repeats its arguments, the
   * password among them. Connections Jedis makes itself (a cluster's seeds and node pools, the
   * asynchronous API's and the subscriber's) bring it here unconverted, as a cause or, from a
   * cluster's seeds, a suppressed exception.
   */
  @Override
  protected boolean isHandshakeError(Throwable failure) {
    return hasCause(failure, JedisProtocolNotSupportedException.class);
  }

  @Override
  protected String why(Throwable failure) {
    StreamConfig config = config();
    if (isClusterSupportDisabled(failure)) {
      return NOT_A_CLUSTER;
    }
    if (failure instanceof JedisClusterOperationException cluster) {
      // The cluster client's own verdict ("No more cluster attempts left.", "Could not initialize
      // cluster slots cache."): what happened is what it kept as cause, or the first seed's failure.
      Throwable inner = cluster.getCause() != null ? cluster.getCause()
          : cluster.getSuppressed().length > 0 ? cluster.getSuppressed()[0] : null;
      if (inner instanceof JedisRedirectionException) {
        return "the cluster redirected the command again and again (slots moving; "
            + JedisClusterCommands.MAX_ATTEMPTS + " attempts within commandTimeout " + config.commandTimeout() + ")";
      }
      if (inner != null && inner != cluster) {
        return why(inner);
      }
      return hasMessage(failure, "No reachable node") ? "no node of the cluster answered" : unrecognised(failure);
    }
    if (failure instanceof JedisAccessControlException && loginProblem(failure).isEmpty()) {
      return loginRefused();
    }
    if (loginProblem(failure).isPresent()) {
      return loginProblem(failure).get();
    }
    if (failure instanceof JedisConnections.HandshakeRefused) {
      return HANDSHAKE_REFUSED;
    }
    if (hasMessage(failure, "Unknown reply:") || hasMessage(failure, "Unexpected character!")) {
      // Jedis's parser met a byte no Redis reply starts with (an HTTP server, say).
      return NOT_REDIS;
    }
    if (hasCause(failure, SocketTimeoutException.class)) {
      return "no answer in time (connectTimeout " + config.connectTimeout()
          + ", commandTimeout " + config.commandTimeout() + ")";
    }
    if (hasCause(failure, ConnectException.class)) {
      return "connection refused";
    }
    return unrecognised(failure);
  }
}
