package dev.streams.redis.lettuce;

import dev.streams.StreamConfig;
import dev.streams.redis.internal.ReconnectGiveUp;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
  /** How often the cluster client reloads the topology on its own (L3). */
  static final Duration TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(5);
  /** At most one adaptive topology refresh per this period, however many redirections come. */
  private static final Duration ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(1);

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

  /** @return the server's URI; on a cluster, the first seed's */
  RedisURI redisUri() {
    if (config.isCluster()) {
      return redisUris().get(0);
    }
    return nodeUri(config.host(), config.port());
  }

  /** @return one URI per seed node of the cluster (L3), each with the same login, TLS and timeout */
  List<RedisURI> redisUris() {
    List<RedisURI> uris = new ArrayList<>();
    for (InetSocketAddress node : config.clusterNodes()) {
      uris.add(nodeUri(node.getHostString(), node.getPort()));
    }
    return uris;
  }

  /**
   * @param host a server's host
   * @param port its port
   * @return its URI with this configuration's login, database, TLS and connect timeout
   */
  RedisURI nodeUri(String host, int port) {
    RedisURI.Builder uri = RedisURI.builder()
        .withHost(host)
        .withPort(port)
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
    return standaloneOptions(ClientOptions.builder()).build();
  }

  /**
   * The options of the cluster client (L3): those of {@link #clientOptions()} for every node
   * connection, and a topology kept current: refreshed on every MOVED, ASK and reconnect (adaptive,
   * at most once a second), every {@link #TOPOLOGY_REFRESH_PERIOD} as well (a failover or a slot
   * move that no command ran into yet), asking every node it knows, not only the seeds. Nodes the
   * cluster marks failed are left out of the topology, so that the client closes their connections
   * instead of reconnecting to a dead node for good (each attempt counts against the reconnect
   * strategy, which may give up the whole adapter while the cluster itself fails over).
   */
  ClusterClientOptions clusterClientOptions() {
    return standaloneOptions(ClusterClientOptions.builder())
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enableAllAdaptiveRefreshTriggers()
            .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_TIMEOUT)
            .enablePeriodicRefresh(TOPOLOGY_REFRESH_PERIOD)
            .dynamicRefreshSources(true)
            .build())
        .nodeFilter(node -> !node.is(RedisClusterNode.NodeFlag.FAIL) && !node.is(RedisClusterNode.NodeFlag.NOADDR))
        .build();
  }

  private <B extends ClientOptions.Builder> B standaloneOptions(B builder) {
    builder
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
        .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()));
    return builder;
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
