package dev.streams.redis.jedis;

import dev.streams.StreamConfig;
import dev.streams.redis.internal.ConnectionFailures;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import redis.clients.jedis.exceptions.JedisAccessControlException;

/** What Jedis's exceptions mean, in this library's words (C3, C4). One per adapter. */
final class JedisFailures extends ConnectionFailures {

  JedisFailures(StreamConfig config) {
    super(config);
  }

  @Override
  protected String why(Throwable failure) {
    StreamConfig config = config();
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
