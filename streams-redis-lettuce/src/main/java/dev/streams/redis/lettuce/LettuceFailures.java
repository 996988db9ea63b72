package dev.streams.redis.lettuce;

import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.redis.internal.ConnectionFailures;
import dev.streams.redis.internal.ReconnectGiveUp;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.cluster.PartitionSelectorException;
import io.lettuce.core.protocol.RedisProtocolException;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.time.Duration;

/** What Lettuce's exceptions mean, in this library's words (C3, C4). One per adapter. */
final class LettuceFailures extends ConnectionFailures {

  private final ReconnectGiveUp giveUp;

  /**
   * @param config the configuration the messages concern
   * @param giveUp the adapter's give-up state: once given up, a failure says so
   */
  LettuceFailures(StreamConfig config, ReconnectGiveUp giveUp) {
    super(config);
    this.giveUp = giveUp;
  }

  /**
   * @return whether a connection failed on an error reply other than a refused login: one to the
   *     handshake, whose text (in the chain) may repeat the password, so the chain is not attached
   */
  @Override
  protected boolean isHandshakeError(Throwable failure) {
    return hasCause(failure, RedisCommandExecutionException.class) && !isLoginRefusal(failure)
        && !isClusterSupportDisabled(failure);
  }

  @Override
  protected String why(Throwable failure) {
    StreamConfig config = config();
    if (giveUp.hasGivenUp()) {
      return "the connection was lost and the reconnect strategy gave up: " + giveUp.reason().orElse("");
    }
    if (loginProblem(failure).isPresent()) {
      return loginProblem(failure).get();
    }
    if (isClusterSupportDisabled(failure)) {
      return NOT_A_CLUSTER;
    }
    if (hasCause(failure, PartitionSelectorException.class)) {
      return "no primary serves the key's slot in the cluster's topology (a failover under way?)";
    }
    if (hasCause(failure, RedisProtocolException.class)) {
      // Lettuce's parser met bytes that are no Redis reply (an HTTP server, say).
      return NOT_REDIS;
    }
    if (hasMessage(failure, "Connection initialization timed out")) {
      return "no answer to the connection handshake in time (connectTimeout " + config.connectTimeout() + ")";
    }
    if (hasCause(failure, RedisCommandTimeoutException.class)) {
      return "no answer in time (commandTimeout " + config.commandTimeout() + ")";
    }
    if (hasCause(failure, ConnectTimeoutException.class)) {
      return "no connection in time (connectTimeout " + config.connectTimeout() + ")";
    }
    if (hasCause(failure, ConnectException.class)) {
      return "connection refused";
    }
    if (hasMessage(failure, "not connected") || hasMessage(failure, "disconnected")) {
      return "not connected; reconnecting";
    }
    return unrecognised(failure);
  }

  /**
   * @param action what was being done
   * @param waited how long the caller waited
   * @return the exception for a caller that waited in vain
   */
  StreamConnectionException noAnswer(String action, Duration waited) {
    return failure(action, "no answer within " + waited
        + " (commandTimeout " + config().commandTimeout() + ")");
  }

  /**
   * @param action what was being done, e.g. "connecting"
   * @return the exception for a caller whose connection was not up within
   *     {@link LettuceSettings#connectWait()}
   */
  StreamConnectionException noConnection(String action) {
    return failure(action, "no answer within connectTimeout " + config().connectTimeout()
        + " (connect and handshake)");
  }
}
