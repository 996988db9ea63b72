package dev.streams.redis.lettuce;

import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.channel.ConnectTimeoutException;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.net.ConnectException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How a {@link StreamConfig} becomes Lettuce settings, how Lettuce failures are reported, and whether
 * the reconnect strategy has given up. One per adapter.
 */
final class LettuceSettings {

  /** Event loop threads: one per connection is all an adapter's two connections can use. */
  private static final int IO_THREADS = 2;
  /** Threads for Lettuce's timers, events and reconnect attempts. */
  private static final int COMPUTATION_THREADS = 2;
  /** Beyond Lettuce's own command timeout, so that its error (which names the cause) comes first. */
  static final Duration WAIT_MARGIN = Duration.ofMillis(500);

  private final StreamConfig config;
  private volatile String gaveUp;

  LettuceSettings(StreamConfig config) {
    this.config = config;
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
        // Bounds the connection handshake (AUTH, SELECT) as well as commands.
        .withTimeout(config.commandTimeout());
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
   * @param onGiveUp told once per give-up, with the strategy's reason
   * @return the adapter's own client resources: the reconnect delay is per resources, so sharing
   *     them between adapters would mix their strategies
   */
  ClientResources clientResources(Consumer<String> onGiveUp) {
    return DefaultClientResources.builder()
        .ioThreadPoolSize(IO_THREADS)
        .computationThreadPoolSize(COMPUTATION_THREADS)
        .reconnectDelay(new ReconnectDelay(config.reconnectStrategy(), onGiveUp))
        // The JVM's resolver, as Jedis uses: Netty's DNS resolver costs seconds on its first use,
        // which an unreachable-server check (C4) would count against the connect timeout.
        .addressResolverGroup(DefaultAddressResolverGroup.INSTANCE)
        .build();
  }

  /** @return how long a caller waits for a command */
  Duration commandWait() {
    return config.commandTimeout().plus(WAIT_MARGIN);
  }

  /** @return how long a caller waits for a connection, including its handshake */
  Duration connectWait() {
    return config.connectTimeout().plus(config.commandTimeout()).plus(WAIT_MARGIN);
  }

  /**
   * Records that the reconnect strategy gave up.
   *
   * @param reason the strategy's reason
   * @return whether this is the first give-up
   */
  synchronized boolean giveUp(String reason) {
    if (gaveUp != null) {
      return false;
    }
    gaveUp = reason;
    return true;
  }

  /** @throws StreamConnectionException carrying the reason if the reconnect strategy gave up */
  void requireNotGivenUp() {
    String reason = gaveUp;
    if (reason != null) {
      throw new StreamConnectionException("Redis at " + endpoint()
          + ": the connection was lost and the reconnect strategy gave up: " + redact(reason));
    }
  }

  /**
   * @param action what was being done, e.g. "connecting"
   * @param failure the Lettuce failure
   * @return the exception to throw; its message names the endpoint and never the password
   */
  StreamConnectionException connectionFailure(String action, Throwable failure) {
    String why;
    if (gaveUp != null) {
      why = "the connection was lost and the reconnect strategy gave up: " + gaveUp;
    } else if (hasMessage(failure, "NOAUTH") && config.password().isEmpty()) {
      why = "the server requires a login, and no password is configured";
    } else if (isLoginRefusal(failure)) {
      why = "the server refused the login" + config.username().map(u -> " of user '" + u + "'").orElse("")
          + " (wrong username or password?)";
    } else if (hasCause(failure, RedisCommandTimeoutException.class)) {
      why = "no answer in time (commandTimeout " + config.commandTimeout() + ")";
    } else if (hasCause(failure, ConnectTimeoutException.class)) {
      why = "no connection in time (connectTimeout " + config.connectTimeout() + ")";
    } else if (hasCause(failure, ConnectException.class)) {
      why = "connection refused";
    } else if (hasMessage(failure, "not connected") || hasMessage(failure, "disconnected")) {
      why = "not connected; reconnecting (" + failure.getMessage() + ")";
    } else {
      why = failure.getMessage() + " (connectTimeout " + config.connectTimeout()
          + ", commandTimeout " + config.commandTimeout() + ")";
    }
    return new StreamConnectionException(
        "Redis at " + endpoint() + " failed while " + action + ": " + redact(why), redactCauses(failure));
  }

  /**
   * @param action what was being done
   * @param waited how long the caller waited
   * @return the exception for a caller that waited in vain
   */
  StreamConnectionException noAnswer(String action, Duration waited) {
    return new StreamConnectionException("Redis at " + endpoint() + " failed while " + action
        + ": no answer within " + waited + " (commandTimeout " + config.commandTimeout() + ")");
  }

  /** @return whether the failure is the server refusing credentials */
  static boolean isLoginRefusal(Throwable failure) {
    return hasMessage(failure, "WRONGPASS") || hasMessage(failure, "NOAUTH")
        || hasMessage(failure, "invalid password") || hasMessage(failure, "invalid username-password");
  }

  private String redact(String text) {
    if (text == null) {
      return "";
    }
    String password = config.password().orElse(null);
    return password == null ? text : text.replace(password, "****");
  }

  /**
   * Returns the cause to attach: the client's exception itself, unless the password appears anywhere
   * in its chain (no client is known to do that; this guards SPEC.md C3 against one that would).
   */
  private Throwable redactCauses(Throwable failure) {
    String password = config.password().orElse(null);
    if (password == null) {
      return failure;
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (String.valueOf(t.getMessage()).contains(password)) {
        return null;
      }
    }
    return failure;
  }

  private static boolean hasMessage(Throwable failure, String text) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(text)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
