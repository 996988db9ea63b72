package dev.streams;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to open an adapter: which backend, where the store is, and the key layout (C1–C3).
 *
 * <p>Immutable. Build one with {@link #builder()}, or read it from the environment with
 * {@link #fromEnvironment()}. Every option is validated when it is set; an invalid value fails with
 * {@link IllegalArgumentException} naming the option and the value. The password never appears in
 * {@link #toString()} or in any message.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>Option</th><th>Default</th><th>Environment variable</th></tr>
 *   <tr><td>backend</td><td>the one on the classpath</td><td>{@code STREAMS_BACKEND}</td></tr>
 *   <tr><td>host</td><td>{@value #DEFAULT_HOST}</td><td>{@code REDIS_HOST}</td></tr>
 *   <tr><td>port</td><td>{@value #DEFAULT_PORT}</td><td>{@code REDIS_PORT}</td></tr>
 *   <tr><td>username</td><td>none</td><td>{@code REDIS_USERNAME}</td></tr>
 *   <tr><td>password</td><td>none</td><td>{@code REDIS_PASSWORD}</td></tr>
 *   <tr><td>clusterNodes</td><td>none: a single server</td><td>{@code REDIS_CLUSTER_NODES}</td></tr>
 *   <tr><td>database</td><td>0</td><td>{@code REDIS_DATABASE}</td></tr>
 *   <tr><td>tls</td><td>false</td><td>{@code rediss://} in {@code REDIS_URL}</td></tr>
 *   <tr><td>keyPrefix</td><td>{@value #DEFAULT_KEY_PREFIX}</td><td>{@code STREAM_KEY_PREFIX}</td></tr>
 *   <tr><td>eventPrefix</td><td>{@value #DEFAULT_EVENT_PREFIX}</td><td>{@code STREAM_EVENT_PREFIX}</td></tr>
 *   <tr><td>connectTimeout</td><td>10 s</td><td></td></tr>
 *   <tr><td>commandTimeout</td><td>5 s</td><td></td></tr>
 *   <tr><td>keepAliveInterval</td><td>15 s</td><td></td></tr>
 *   <tr><td>reconnectStrategy</td><td>{@link ReconnectStrategy#defaultStrategy()}</td><td></td></tr>
 *   <tr><td>eventQueueCapacity</td><td>{@value #DEFAULT_EVENT_QUEUE_CAPACITY}</td><td></td></tr>
 *   <tr><td>maxDocumentBytes</td><td>{@value #DEFAULT_MAX_DOCUMENT_BYTES} (1 MiB)</td>
 *       <td>{@code STREAMS_MAX_DOCUMENT_BYTES}</td></tr>
 *   <tr><td>layout</td><td>{@link StreamLayout#FLAT flat}</td><td>{@code STREAMS_LAYOUT}</td></tr>
 *   <tr><td>maxCallsInFlight</td><td>{@value #DEFAULT_MAX_CALLS_IN_FLIGHT}</td>
 *       <td>{@code STREAMS_MAX_CALLS_IN_FLIGHT}</td></tr>
 * </table>
 *
 * <p>{@code REDIS_URL} ({@code redis://user:password@host:port/database}, {@code rediss://} for TLS),
 * where given, overrides the host, port, username, password and database variables; with several
 * comma-separated hosts ({@code redis://h1:7000,h2:7001}) it gives the cluster nodes instead.
 *
 * <p>With {@link #clusterNodes()} set the Redis backends connect to a Redis Cluster through those seed
 * nodes (L3): host and port are not used, and username, password, TLS, timeouts and the reconnect
 * strategy apply to every node. A cluster has only database 0.
 */
public final class StreamConfig {

  /** Default {@code keyPrefix} (K1): the Node adapter's, so both read the same data. */
  public static final String DEFAULT_KEY_PREFIX = "motia:stream:";
  /** Default {@code eventPrefix} (K3). */
  public static final String DEFAULT_EVENT_PREFIX = "motia:stream:events:";

  /** Default host. */
  public static final String DEFAULT_HOST = "localhost";
  /** Default port. */
  public static final int DEFAULT_PORT = 6379;
  /** Default connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Default command timeout. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
  /** Default idle time after which a subscriber connection is checked with PING. */
  public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(15);
  /** Default bound of each subscription's queue of undelivered events. */
  public static final int DEFAULT_EVENT_QUEUE_CAPACITY = 10_000;
  /**
   * Default bound of a stored document, in UTF-8 bytes: 1 MiB (D6). Chosen from Redis's default
   * {@code client-output-buffer-limit pubsub 32mb 8mb 60}: a subscriber of both the group and the
   * item channel receives each event twice, so one event of a document at the limit puts about
   * 2 MiB in its output buffer, a quarter of the 8 MiB soft limit (and a sixteenth of the 32 MiB hard
   * limit at which Redis disconnects the subscriber at once). That leaves room for a few such events
   * in flight before Redis starts the 60 s clock of the soft limit.
   */
  public static final int DEFAULT_MAX_DOCUMENT_BYTES = 1 << 20;
  /**
   * Default bound of the asynchronous calls one adapter has outstanding (A2): 10,000. A call holds
   * its arguments, its stage and, once answered, its result until it completes; at the usual few
   * KiB per call that is some tens of MiB at the bound, while 10,000 calls already keep far more in
   * flight than one connection needs to fill its batches (64 reach the server's peak on loopback).
   * A caller that outruns the store meets the bound within a fraction of a second instead of
   * filling the heap.
   */
  public static final int DEFAULT_MAX_CALLS_IN_FLIGHT = 10_000;

  private static final String MASK = "****";

  private final String backend;
  private final String host;
  private final int port;
  private final List<InetSocketAddress> clusterNodes;
  private final String username;
  private final String password;
  private final int database;
  private final boolean tls;
  private final String keyPrefix;
  private final String eventPrefix;
  private final Duration connectTimeout;
  private final Duration commandTimeout;
  private final Duration keepAliveInterval;
  private final ReconnectStrategy reconnectStrategy;
  private final int eventQueueCapacity;
  private final int maxDocumentBytes;
  private final StreamLayout layout;
  private final int maxCallsInFlight;

  private StreamConfig(Builder b) {
    this.backend = b.backend;
    this.host = b.host;
    this.port = b.port;
    this.clusterNodes = b.clusterNodes;
    this.username = b.username;
    this.password = b.password;
    this.database = b.database;
    this.tls = b.tls;
    this.keyPrefix = b.keyPrefix;
    this.eventPrefix = b.eventPrefix;
    this.connectTimeout = b.connectTimeout;
    this.commandTimeout = b.commandTimeout;
    this.keepAliveInterval = b.keepAliveInterval;
    this.reconnectStrategy = b.reconnectStrategy;
    this.eventQueueCapacity = b.eventQueueCapacity;
    this.maxDocumentBytes = b.maxDocumentBytes;
    this.layout = b.layout;
    this.maxCallsInFlight = b.maxCallsInFlight;
  }

  /** @return a builder with every option at its default */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the defaults: the one backend on the classpath, {@code localhost:6379}, database 0 */
  public static StreamConfig defaults() {
    return builder().build();
  }

  /**
   * Reads the configuration from the process environment (C2); see the class comment for
   * the variables. Unset and empty variables leave the default.
   *
   * @return the configuration
   * @throws IllegalArgumentException naming the variable and its value if one is invalid (the value
   *     of {@code REDIS_PASSWORD} and the password part of {@code REDIS_URL} are never shown)
   */
  public static StreamConfig fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * @param environment variables, as {@link System#getenv()} gives them
   * @return the configuration they describe
   * @see #fromEnvironment()
   */
  public static StreamConfig fromEnvironment(Map<String, String> environment) {
    return EnvironmentConfig.read(environment, builder()).build();
  }

  /** @return a builder holding this configuration's options */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** @return the backend name, or empty to use the one on the classpath */
  public Optional<String> backend() {
    return Optional.ofNullable(backend);
  }

  /** @return the server host */
  public String host() {
    return host;
  }

  /** @return the server port */
  public int port() {
    return port;
  }

  /** @return the ACL user name, if any */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** @return the password, if any; never log it */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** @return the database number */
  public int database() {
    return database;
  }

  /** @return whether to connect with TLS */
  public boolean tls() {
    return tls;
  }

  /** @return the prefix of every data key */
  public String keyPrefix() {
    return keyPrefix;
  }

  /** @return the prefix of every event channel */
  public String eventPrefix() {
    return eventPrefix;
  }

  /** @return how long connecting may take before it fails */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** @return how long one command may take before it fails */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /**
   * @return how long a subscriber connection may stay silent before it is checked with PING; without
   *     a reply within {@link #commandTimeout()} it counts as lost and is reconnected
   */
  public Duration keepAliveInterval() {
    return keepAliveInterval;
  }

  /** @return what to do when a connection is lost */
  public ReconnectStrategy reconnectStrategy() {
    return reconnectStrategy;
  }

  /** @return how many undelivered events a subscription holds before it drops them for a sync */
  public int eventQueueCapacity() {
    return eventQueueCapacity;
  }

  /**
   * @return the largest stored document {@code set} accepts, in UTF-8 bytes of its JSON text; also
   *     the largest data, as JSON text, that {@code send} accepts (D6)
   */
  public int maxDocumentBytes() {
    return maxDocumentBytes;
  }

  /** @return how items are kept in the store (L1); {@link StreamLayout#FLAT} by default */
  public StreamLayout layout() {
    return layout;
  }

  /**
   * @return how many calls of {@link StreamAdapter#async()} one adapter may have outstanding; a call
   *     beyond it fails at once (A2)
   */
  public int maxCallsInFlight() {
    return maxCallsInFlight;
  }

  /**
   * @return the seed nodes of a Redis Cluster, unresolved, in the order given; empty for a single
   *     server at {@link #host()}:{@link #port()}
   */
  public List<InetSocketAddress> clusterNodes() {
    return clusterNodes;
  }

  /** @return whether {@link #clusterNodes()} is set: the store is a Redis Cluster */
  public boolean isCluster() {
    return !clusterNodes.isEmpty();
  }

  /**
   * @return {@code host:port} of a single server, or {@code cluster host:port,host:port} of a
   *     cluster's seed nodes, for messages
   */
  public String endpoint() {
    if (isCluster()) {
      return "cluster " + String.join(",", clusterNodes.stream().map(StreamConfig::nodeText).toList());
    }
    return nodeText(InetSocketAddress.createUnresolved(host, port));
  }

  /** {@code host:port}, an IPv6 address in brackets. */
  static String nodeText(InetSocketAddress node) {
    String host = node.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + node.getPort();
  }

  @Override
  public String toString() {
    return "StreamConfig{backend=" + (backend == null ? "<classpath>" : backend)
        + ", endpoint=" + endpoint()
        + ", tls=" + tls
        + ", database=" + database
        + ", username=" + (username == null ? "<none>" : username)
        + ", password=" + (password == null ? "<none>" : MASK)
        + ", keyPrefix=" + keyPrefix
        + ", eventPrefix=" + eventPrefix
        + ", connectTimeout=" + connectTimeout
        + ", commandTimeout=" + commandTimeout
        + ", keepAliveInterval=" + keepAliveInterval
        + ", eventQueueCapacity=" + eventQueueCapacity
        + ", maxDocumentBytes=" + maxDocumentBytes
        + ", maxCallsInFlight=" + maxCallsInFlight
        + ", layout=" + layout
        + "}";
  }

  /** Builds a {@link StreamConfig}; each setter validates its value at once. */
  public static final class Builder {

    private String backend;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private List<InetSocketAddress> clusterNodes = List.of();
    private String username;
    private String password;
    private int database;
    private boolean tls;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private String eventPrefix = DEFAULT_EVENT_PREFIX;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Duration keepAliveInterval = DEFAULT_KEEP_ALIVE_INTERVAL;
    private ReconnectStrategy reconnectStrategy = ReconnectStrategy.defaultStrategy();
    private int eventQueueCapacity = DEFAULT_EVENT_QUEUE_CAPACITY;
    private int maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES;
    private StreamLayout layout = StreamLayout.FLAT;
    private int maxCallsInFlight = DEFAULT_MAX_CALLS_IN_FLIGHT;

    private Builder() {}

    private Builder(StreamConfig c) {
      backend = c.backend;
      host = c.host;
      port = c.port;
      clusterNodes = c.clusterNodes;
      username = c.username;
      password = c.password;
      database = c.database;
      tls = c.tls;
      keyPrefix = c.keyPrefix;
      eventPrefix = c.eventPrefix;
      connectTimeout = c.connectTimeout;
      commandTimeout = c.commandTimeout;
      keepAliveInterval = c.keepAliveInterval;
      reconnectStrategy = c.reconnectStrategy;
      eventQueueCapacity = c.eventQueueCapacity;
      maxDocumentBytes = c.maxDocumentBytes;
      layout = c.layout;
      maxCallsInFlight = c.maxCallsInFlight;
    }

    /**
     * @param backend a provider name ({@code memory}, {@code redis-jedis}, {@code redis-lettuce}),
     *     or {@code null} for the one on the classpath
     * @return this builder
     */
    public Builder backend(String backend) {
      if (backend != null && backend.isBlank()) {
        throw new IllegalArgumentException("backend must not be blank, but was '" + backend + "'");
      }
      this.backend = backend;
      return this;
    }

    /**
     * @param host the server host name or address
     * @return this builder
     */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must not be empty, but was "
            + (host == null ? "null" : "'" + host + "'"));
      }
      this.host = host;
      return this;
    }

    /**
     * @param port 1–65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 1 and 65535, but was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Connects to a Redis Cluster through these seed nodes (the client learns the rest of the cluster
     * from them); host and port are then not used.
     *
     * @param hostPorts {@code host:port} each ({@code [::1]:7000} for IPv6; port 6379 where absent);
     *     none for a single server
     * @return this builder
     * @throws IllegalArgumentException naming the node that is malformed
     */
    public Builder clusterNodes(String... hostPorts) {
      return clusterNodes(hostPorts == null ? null : Arrays.asList(hostPorts));
    }

    /**
     * @param hostPorts as {@link #clusterNodes(String...)}; empty for a single server
     * @return this builder
     * @throws IllegalArgumentException naming the node that is malformed
     */
    public Builder clusterNodes(List<String> hostPorts) {
      if (hostPorts == null) {
        throw new IllegalArgumentException("clusterNodes must not be null");
      }
      List<InetSocketAddress> nodes = new ArrayList<>(hostPorts.size());
      for (String text : hostPorts) {
        if (text == null) {
          throw new IllegalArgumentException("clusterNodes must not contain null, but was " + hostPorts);
        }
        String node = text.trim();
        nodes.add(RedisUrl.parseNode(node, why -> new IllegalArgumentException(
            "clusterNodes must be host:port each, but '" + node + "': " + why)));
      }
      return clusterAddresses(nodes);
    }

    /** Sets the cluster nodes already parsed (a URL's hosts). */
    Builder clusterAddresses(List<InetSocketAddress> nodes) {
      this.clusterNodes = List.copyOf(nodes);
      return this;
    }

    /**
     * @param username the ACL user, or {@code null} for the default user
     * @return this builder
     */
    public Builder username(String username) {
      this.username = username == null || username.isEmpty() ? null : username;
      return this;
    }

    /**
     * @param password the password, or {@code null} for none
     * @return this builder
     */
    public Builder password(String password) {
      this.password = password == null || password.isEmpty() ? null : password;
      return this;
    }

    /**
     * @param database the database number, 0 or more
     * @return this builder
     */
    public Builder database(int database) {
      if (database < 0) {
        throw new IllegalArgumentException("database must be 0 or more, but was " + database);
      }
      this.database = database;
      return this;
    }

    /**
     * @param tls whether to connect with TLS
     * @return this builder
     */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    /**
     * Sets host and port (one host) or the cluster nodes (several comma-separated hosts), TLS and,
     * where the URL has them, username, password and database.
     *
     * @param url {@code redis://[[username]:password@]host[:port][,host[:port]...][/database]}, or
     *     {@code rediss://}
     * @return this builder
     * @throws IllegalArgumentException if the URL is malformed (the message leaves the password out)
     */
    public Builder url(String url) {
      RedisUrl.parse(url, "url").applyTo(this);
      return this;
    }

    /**
     * @param keyPrefix prefix of every data key, not empty
     * @return this builder
     */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = requirePrefix("keyPrefix", keyPrefix);
      return this;
    }

    /**
     * @param eventPrefix prefix of every event channel, not empty
     * @return this builder
     */
    public Builder eventPrefix(String eventPrefix) {
      this.eventPrefix = requirePrefix("eventPrefix", eventPrefix);
      return this;
    }

    /**
     * @param connectTimeout positive
     * @return this builder
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = requirePositive("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * @param commandTimeout positive
     * @return this builder
     */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = requirePositive("commandTimeout", commandTimeout);
      return this;
    }

    /**
     * Sets how long a subscriber connection may receive nothing before the backend sends it a PING.
     * If neither the reply nor any other message arrives within the command timeout after that, the
     * connection counts as lost: it is closed and reconnected, and every handler gets a {@code sync}
     * event (E7). This finds a path that died silently (a NAT or firewall that dropped the
     * connection without telling either end), which would otherwise lose events unnoticed forever.
     * The in-memory backend has no connection and ignores it.
     *
     * @param keepAliveInterval positive; a lost connection is noticed within about this plus the
     *     command timeout
     * @return this builder
     */
    public Builder keepAliveInterval(Duration keepAliveInterval) {
      this.keepAliveInterval = requirePositive("keepAliveInterval", keepAliveInterval);
      return this;
    }

    /**
     * @param reconnectStrategy what to do when a connection is lost
     * @return this builder
     */
    public Builder reconnectStrategy(ReconnectStrategy reconnectStrategy) {
      if (reconnectStrategy == null) {
        throw new IllegalArgumentException("reconnectStrategy must not be null");
      }
      this.reconnectStrategy = reconnectStrategy;
      return this;
    }

    /**
     * @param eventQueueCapacity 1 or more
     * @return this builder
     */
    public Builder eventQueueCapacity(int eventQueueCapacity) {
      if (eventQueueCapacity < 1) {
        throw new IllegalArgumentException(
            "eventQueueCapacity must be 1 or more, but was " + eventQueueCapacity);
      }
      this.eventQueueCapacity = eventQueueCapacity;
      return this;
    }

    /**
     * Bounds what one event carries, so that no single write can make Redis disconnect the
     * subscribers it is published to (its pub/sub client output buffer limit). A larger document,
     * measured in UTF-8 bytes of its stored JSON text, fails {@code set} with
     * {@link IllegalArgumentException} before any I/O, on every backend; so does {@code send} with
     * data whose JSON text is larger (D6). Raise it only together with Redis's
     * {@code client-output-buffer-limit pubsub}, at least twice the new value plus headroom.
     *
     * @param maxDocumentBytes 1 or more; default {@value #DEFAULT_MAX_DOCUMENT_BYTES} (1 MiB)
     * @return this builder
     */
    public Builder maxDocumentBytes(int maxDocumentBytes) {
      if (maxDocumentBytes < 1) {
        throw new IllegalArgumentException(
            "maxDocumentBytes must be 1 or more, but was " + maxDocumentBytes);
      }
      this.maxDocumentBytes = maxDocumentBytes;
      return this;
    }

    /**
     * Bounds the calls of {@link StreamAdapter#async()} one adapter has outstanding (accepted, not
     * yet completed), so that a caller that issues calls faster than the store answers cannot fill
     * the heap (A2). A call beyond the bound is not sent: its stage fails at once with
     * {@link StreamOverloadedException}, and the caller decides whether to retry later, wait for
     * earlier stages or shed the work. Blocking calls are not counted: each holds its own thread.
     *
     * @param maxCallsInFlight 1 or more; default {@value #DEFAULT_MAX_CALLS_IN_FLIGHT}
     * @return this builder
     */
    public Builder maxCallsInFlight(int maxCallsInFlight) {
      if (maxCallsInFlight < 1) {
        throw new IllegalArgumentException(
            "maxCallsInFlight must be 1 or more, but was " + maxCallsInFlight);
      }
      this.maxCallsInFlight = maxCallsInFlight;
      return this;
    }

    /**
     * Chooses how items are kept (L1): {@link StreamLayout#FLAT} (the default, K1–K7) or
     * {@link StreamLayout#HASH} (one hash per group, L2). Both prefixes must be free of {@code {} and
     * {@code }} under {@code hash}, which {@link #build()} checks.
     *
     * @param layout the layout, not null
     * @return this builder
     */
    public Builder layout(StreamLayout layout) {
      if (layout == null) {
        throw new IllegalArgumentException("layout must be 'flat' or 'hash', but was null");
      }
      this.layout = layout;
      return this;
    }

    /**
     * @param layout {@code flat} or {@code hash}, in any case
     * @return this builder
     * @throws IllegalArgumentException naming {@code layout} and the value if it is neither
     */
    public Builder layout(String layout) {
      return layout(StreamLayout.parse("layout", layout));
    }

    /**
     * @return the configuration
     * @throws IllegalArgumentException if cluster nodes are set and the database is not 0; if the
     *     layout is {@code hash} and a prefix contains {@code {}
     *     or {@code }}: Redis would take the prefix's braces for the hash tag, and a group's keys and
     *     channels would no longer share a slot (L2)
     */
    public StreamConfig build() {
      if (!clusterNodes.isEmpty() && database != 0) {
        throw new IllegalArgumentException("database must be 0 with clusterNodes (Redis Cluster has"
            + " only database 0), but was " + database);
      }
      if (layout == StreamLayout.HASH) {
        requireNoBraces("keyPrefix", keyPrefix);
        requireNoBraces("eventPrefix", eventPrefix);
      }
      return new StreamConfig(this);
    }

    private static void requireNoBraces(String option, String prefix) {
      if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
        throw new IllegalArgumentException(option + " must not contain '{' or '}' under layout hash"
            + " (Redis would take its braces for the group's hash tag), but was '" + prefix + "'");
      }
    }

    private static String requirePrefix(String option, String value) {
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(option + " must not be empty, but was "
            + (value == null ? "null" : "''"));
      }
      return value;
    }

    private static Duration requirePositive(String option, Duration value) {
      if (value == null) {
        throw new IllegalArgumentException(option + " must be positive, but was null");
      }
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(option + " must be positive, but was " + value);
      }
      return value;
    }
  }
}
