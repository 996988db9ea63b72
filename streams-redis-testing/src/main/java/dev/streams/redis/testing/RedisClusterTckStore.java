package dev.streams.redis.testing;

import dev.streams.StreamAdapterProvider;
import dev.streams.StreamConfig;
import dev.streams.StreamLayout;
import dev.streams.redis.server.RedisClusterProcess;
import dev.streams.redis.server.RedisClusterProcess.Node;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.server.RespConnection;
import dev.streams.redis.server.RespConnection.RedisReplyError;
import dev.streams.tck.RawView;
import dev.streams.tck.TckStore;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The TCK's store on a test Redis Cluster for any Redis backend: adapters opened by the backend's
 * name with the cluster's seed nodes as {@code clusterNodes} (database 0, the only one a cluster
 * has), and a raw view through plain {@link RespConnection}s, one per node, each command sent to the
 * primary that owns its key's slot. Every primary is flushed before and after each test.
 *
 * <p>The layout decides how raw events travel (L3): under {@code flat} on classic pub/sub, which
 * reaches the whole cluster, so any node publishes and subscribes; under {@code hash} on sharded
 * pub/sub, {@code SPUBLISH} and {@code SSUBSCRIBE} on the node that owns the channel's slot.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisClusterExtension cluster = RedisClusterExtension.primariesOnly();
 *
 * protected TckStore newStore() {
 *   return new RedisClusterTckStore(cluster, provider, layout());
 * }
 * }</pre>
 */
public final class RedisClusterTckStore implements TckStore {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String MOVED = "MOVED ";

  private final RedisClusterExtension cluster;
  private final StreamAdapterProvider provider;
  /** One connection per node, opened when first needed; each used by one caller at a time. */
  private final Map<Node, RespConnection> connections = new HashMap<>();
  private final RespRawView view;
  /** The adapters' login instead of the cluster's, or null. */
  private final String username;
  private final String password;

  /**
   * @param cluster the test cluster, started
   * @param provider the backend under test
   * @param layout the layout of the TCK run ({@code StreamsTck.layout()}): how raw events travel
   */
  public RedisClusterTckStore(RedisClusterExtension cluster, StreamAdapterProvider provider,
      StreamLayout layout) {
    this(cluster, provider, layout, null, null);
  }

  /**
   * The same, with the adapters logging in as another user than the cluster's own (the raw view
   * keeps the cluster's login).
   *
   * @param cluster the test cluster, started
   * @param provider the backend under test
   * @param layout the layout of the TCK run
   * @param username the adapters' user
   * @param password its password
   * @return the store
   */
  public static RedisClusterTckStore asUser(RedisClusterExtension cluster, StreamAdapterProvider provider,
      StreamLayout layout, String username, String password) {
    return new RedisClusterTckStore(cluster, provider, layout, Objects.requireNonNull(username, "username"),
        Objects.requireNonNull(password, "password"));
  }

  private RedisClusterTckStore(RedisClusterExtension cluster, StreamAdapterProvider provider,
      StreamLayout layout, String username, String password) {
    this.username = username;
    this.password = password;
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.view = new ClusterView(Objects.requireNonNull(layout, "layout"));
    cluster.cluster().flushAll();
  }

  @Override
  public String backendName() {
    return provider.name();
  }

  /**
   * The settings with the cluster's running nodes as {@code clusterNodes}, their login, and
   * database 0.
   *
   * @throws IllegalArgumentException if the TCK asks for another database than 0: a cluster has
   *     only database 0 ({@link #offersSecondDatabase()} says so)
   */
  @Override
  public StreamConfig configure(StreamConfig settings) {
    if (settings.database() != 0) {
      throw new IllegalArgumentException("a Redis Cluster has only database 0, but the TCK asked for"
          + " database " + settings.database());
    }
    // Host and port stay unused beside clusterNodes.
    StreamConfig.Builder builder = cluster.cluster().applyTo(settings.toBuilder());
    if (username != null) {
      builder.username(username).password(password);
    }
    return builder.build();
  }

  /**
   * @return under {@code hash} true: a group is one slot, its events one node's; under {@code flat}
   *     false: a group's items live on every primary, each publishing its own events (L3)
   */
  @Override
  public boolean ordersGroupEvents(StreamLayout layout) {
    return layout == StreamLayout.HASH;
  }

  /** @return false: a Redis Cluster has only database 0 */
  @Override
  public boolean offersSecondDatabase() {
    return false;
  }

  /**
   * Pauses the writes of every primary ({@code CLIENT PAUSE ... WRITE}: scripts and PUBLISH wait,
   * reads and this store's own {@code CLIENT UNPAUSE} go on) until the hold is closed.
   */
  @Override
  public Optional<AutoCloseable> holdWrites() {
    return Optional.of(view.holdWrites());
  }

  @Override
  public Optional<RawView> rawView() {
    return Optional.of(view);
  }

  @Override
  public void close() {
    try {
      cluster.cluster().flushAll();
    } finally {
      synchronized (connections) {
        connections.values().forEach(RespConnection::close);
        connections.clear();
      }
    }
  }

  /** The raw view on the cluster: each command on its key's slot owner. */
  private final class ClusterView extends RespRawView {

    ClusterView(StreamLayout runLayout) {
      super(runLayout);
    }

    @Override
    boolean shardedEvents(StreamLayout layout) {
      return layout == StreamLayout.HASH;
    }

    /**
     * On the primary that owns the key's slot (any node for no key); a {@code MOVED} answer, the
     * slot having moved since, is followed once.
     */
    @Override
    Object call(String key, String... args) {
      RedisClusterProcess nodes = cluster.cluster();
      Node node = key == null ? anyNode(nodes) : nodes.ownerOf(key);
      try {
        return callOn(node, args);
      } catch (RedisReplyError e) {
        String message = String.valueOf(e.getMessage());
        if (!message.startsWith(MOVED)) {
          throw e;
        }
        // MOVED <slot> <host>:<port>
        String address = message.substring(message.lastIndexOf(' ') + 1);
        Node target = nodes.nodes().stream().filter(n -> n.endpoint().address().equals(address))
            .findFirst().orElseThrow(() -> new IllegalStateException(
                node + " answered " + args[0] + " with '" + message + "', a node not of this cluster", e));
        return callOn(target, args);
      }
    }

    @Override
    List<Commands> keyHolders() {
      List<Commands> primaries = new ArrayList<>();
      for (Node primary : cluster.cluster().primaries()) {
        primaries.add(args -> callOn(primary, args));
      }
      return primaries;
    }

    @Override
    RedisEndpoint subscriberEndpoint(String channel) {
      RedisClusterProcess nodes = cluster.cluster();
      return (channel == null ? anyNode(nodes) : nodes.ownerOf(channel)).endpoint();
    }
  }

  private static Node anyNode(RedisClusterProcess nodes) {
    return nodes.nodes().stream().filter(Node::isAlive).findFirst()
        .orElseThrow(() -> new IllegalStateException("no node of the test cluster runs"));
  }

  private Object callOn(Node node, String... args) {
    RespConnection connection = connection(node);
    synchronized (connection) {
      try {
        return connection.call(args);
      } catch (UncheckedIOException e) {
        // A broken connection would fail every later command too: the next one opens another.
        forget(node, connection);
        throw e;
      }
    }
  }

  private RespConnection connection(Node node) {
    synchronized (connections) {
      return connections.computeIfAbsent(node, n -> RespConnection.open(n.endpoint(), TIMEOUT));
    }
  }

  private void forget(Node node, RespConnection connection) {
    synchronized (connections) {
      connections.remove(node, connection);
    }
    connection.close();
  }
}
