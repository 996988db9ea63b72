package dev.streams.redis.lettuce;

import dev.streams.StreamConfig;
import dev.streams.redis.internal.ReconnectGiveUp;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.time.Duration;

/**
 * How a {@link StreamConfig} becomes Lettuce settings. One per adapter; holds, for the adapter's
 * parts, its {@link LettuceFailures} and its {@link ReconnectGiveUp}.
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
  private final LettuceFailures failures;
  /** Once the strategy gave up, commands and subscriptions fail. */
  private final ReconnectGiveUp giveUp;

  LettuceSettings(StreamConfig config) {
    this.config = config;
    this.giveUp = new ReconnectGiveUp(config);
    this.failures = new LettuceFailures(config, giveUp);
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
  LettuceFailures failures() {
    return failures;
  }

  /** @return whether this adapter's reconnect strategy gave up, shared by commands and subscriber */
  ReconnectGiveUp giveUp() {
    return giveUp;
  }
}
