package dev.streams.redis.lettuce;

import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.redis.internal.ConnectionFailures;
import dev.streams.redis.internal.ReconnectGiveUp;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.RedisProtocolException;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.channel.ConnectTimeoutException;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.net.ConnectException;
import java.time.Duration;

/**
 * How a {@link StreamConfig} becomes Lettuce settings, and how Lettuce failures are reported. One per
 * adapter, with its {@link ReconnectGiveUp}.
 */
final class LettuceSettings {

  /** Event loop threads: one per connection is all an adapter's two connections can use. */
  private static final int IO_THREADS = 2;
  /** Threads for Lettuce's timers, events and reconnect attempts. */
  private static final int COMPUTATION_THREADS = 2;
  /** Beyond Lettuce's own command timeout, so that its error (which names the cause) comes first. */
  static final Duration WAIT_MARGIN = Duration.ofMillis(500);

  private final StreamConfig config;
  /** Password-free messages. */
  private final ConnectionFailures failures;
  /** Once the strategy gave up, commands and subscriptions fail. */
  private final ReconnectGiveUp giveUp;

  LettuceSettings(StreamConfig config) {
    this.config = config;
    this.failures = new ConnectionFailures(config);
    this.giveUp = new ReconnectGiveUp(config);
  }

  StreamConfig config() {
    return config;
  }

  /** @return {@code host:port}, for messages and thread names */
  String endpoint() {
    return config.endpoint();
  }

  RedisURI redisUri() {
    RedisURI.Builder uri = RedisURI.builder()
        .withHost(config.host())
        .withPort(config.port())
        .withDatabase(config.database())
        // Bounds the connection handshake (AUTH, SELECT): opening a connection is bounded by
        // connectTimeout (C4). Commands have their own timeout (TimeoutOptions below).
        .withTimeout(config.connectTimeout());
    if (config.tls()) {
      // TLS with the JVM's trust store and host name verification.
      uri.withSsl(true).withVerifyPeer(true);
    }
    config.password().ifPresent(password -> {
      if (config.username().isPresent()) {
        uri.withAuthentication(config.username().get(), password.toCharArray());
      } else {
        uri.withPassword(password.toCharArray());
      }
    });
    return uri.build();
  }

  ClientOptions clientOptions() {
    return ClientOptions.builder()
        // RESP2, as the Jedis backend: script replies and pub/sub framing are the same on every
        // server version, and no HELLO is needed.
        .protocolVersion(ProtocolVersion.RESP2)
        .autoReconnect(true)
        // While disconnected, calls fail at once instead of queueing until the command timeout; and
        // commands in flight when the connection drops fail instead of being sent again after the
        // reconnect, so a write is never applied twice (at most once, as with Jedis).
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).keepAlive(true).build())
        // Every command completes within the command timeout, awaited or not.
        .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
        .build();
  }

  /**
   * @return the adapter's own client resources: the reconnect delay is per resources, so sharing
   *     them between adapters would mix their strategies. When the strategy gives up, it tells
   *     {@link #giveUp()}
   */
  ClientResources clientResources() {
    return DefaultClientResources.builder()
        .ioThreadPoolSize(IO_THREADS)
        .computationThreadPoolSize(COMPUTATION_THREADS)
        .reconnectDelay(new ReconnectDelay(config.reconnectStrategy(), giveUp::giveUp))
        // The JVM's resolver, as Jedis uses: Netty's DNS resolver costs seconds on its first use,
        // which an unreachable-server check (C4) would count against the connect timeout.
        .addressResolverGroup(DefaultAddressResolverGroup.INSTANCE)
        .build();
  }

  /** @return how long a caller waits for a command */
  Duration commandWait() {
    return config.commandTimeout().plus(WAIT_MARGIN);
  }

  /** @return how long a caller waits for a connection, including its handshake (C4) */
  Duration connectWait() {
    return config.connectTimeout().plus(WAIT_MARGIN);
  }

  /** @return the password-free failure messages of this adapter */
  ConnectionFailures failures() {
    return failures;
  }

  /** @return whether this adapter's reconnect strategy gave up, shared by commands and subscriber */
  ReconnectGiveUp giveUp() {
    return giveUp;
  }

  /**
   * @param action what was being done, e.g. "connecting"
   * @param failure the Lettuce failure
   * @return the exception to throw; its message names the endpoint and never the password
   */
  StreamConnectionException connectionFailure(String action, Throwable failure) {
    if (isHandshakeError(failure)) {
      return failures.failure(action, ConnectionFailures.HANDSHAKE_REFUSED);
    }
    return failures.failure(action, why(failure), failure);
  }

  /**
   * @return whether a connection failed on an error reply other than a refused login: one to the
   *     handshake, whose text (in the chain) may repeat the password, so the chain is not attached
   */
  private static boolean isHandshakeError(Throwable failure) {
    return ConnectionFailures.hasCause(failure, RedisCommandExecutionException.class)
        && !isLoginRefusal(failure);
  }

  /**
   * For the adapter's first connection to the server: as {@link #connectionFailure(String, Throwable)},
   * with a hint at TLS where the server closed the connection before any reply.
   *
   * @param action what was being done, e.g. "connecting"
   * @param failure the Lettuce failure
   * @return the exception to throw
   */
  StreamConnectionException openingFailure(String action, Throwable failure) {
    if (isHandshakeError(failure)) {
      return failures.failure(action, ConnectionFailures.HANDSHAKE_REFUSED);
    }
    return failures.openingFailure(action, why(failure), failure);
  }

  private String why(Throwable failure) {
    String why;
    if (giveUp.hasGivenUp()) {
      why = "the connection was lost and the reconnect strategy gave up: "
          + giveUp.reason().orElse("");
    } else if (failures.loginProblem(failure).isPresent()) {
      why = failures.loginProblem(failure).get();
    } else if (ConnectionFailures.hasCause(failure, RedisProtocolException.class)) {
      // Lettuce's parser met bytes that are no Redis reply (an HTTP server, say).
      why = ConnectionFailures.NOT_REDIS;
    } else if (ConnectionFailures.hasMessage(failure, "Connection initialization timed out")) {
      why = "no answer to the connection handshake in time (connectTimeout " + config.connectTimeout() + ")";
    } else if (ConnectionFailures.hasCause(failure, RedisCommandTimeoutException.class)) {
      why = "no answer in time (commandTimeout " + config.commandTimeout() + ")";
    } else if (ConnectionFailures.hasCause(failure, ConnectTimeoutException.class)) {
      why = "no connection in time (connectTimeout " + config.connectTimeout() + ")";
    } else if (ConnectionFailures.hasCause(failure, ConnectException.class)) {
      why = "connection refused";
    } else if (ConnectionFailures.hasMessage(failure, "not connected")
        || ConnectionFailures.hasMessage(failure, "disconnected")) {
      why = "not connected; reconnecting";
    } else {
      why = ConnectionFailures.unrecognised(failure);
    }
    return why;
  }

  /**
   * @param action what was being done
   * @param waited how long the caller waited
   * @return the exception for a caller that waited in vain
   */
  StreamConnectionException noAnswer(String action, Duration waited) {
    return failures.failure(action, "no answer within " + waited
        + " (commandTimeout " + config.commandTimeout() + ")");
  }

  /**
   * @param action what was being done, e.g. "connecting"
   * @return the exception for a caller whose connection was not up within {@link #connectWait()}
   */
  StreamConnectionException noConnection(String action) {
    return failures.failure(action, "no answer within connectTimeout " + config.connectTimeout()
        + " (connect and handshake)");
  }

  /** @return whether the failure is the server refusing credentials */
  static boolean isLoginRefusal(Throwable failure) {
    return ConnectionFailures.isLoginRefusal(failure);
  }
}
