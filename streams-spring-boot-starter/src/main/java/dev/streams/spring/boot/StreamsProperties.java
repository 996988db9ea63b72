package dev.streams.spring.boot;

import dev.streams.StreamConfig;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code streams.*} properties of the auto-configured {@link dev.streams.StreamAdapter}. The
 * connection comes from {@code streams.redis.*} when its url, host or port is set, else from Spring
 * Boot's {@code spring.data.redis.*}, else the defaults ({@code localhost:6379}).
 */
@ConfigurationProperties(prefix = "streams")
public class StreamsProperties {

  /** The default layout (L1): one string key per item. */
  public static final String FLAT_LAYOUT = "flat";

  /**
   * Backend name: memory, redis-jedis or redis-lettuce. Empty: the only backend on the classpath.
   */
  private String backend;

  /** Key layout: 'flat' (one string key per item) or 'hash' (one Redis hash per group). */
  private String layout = FLAT_LAYOUT;

  /** Prefix of every data key. */
  private String keyPrefix = StreamConfig.DEFAULT_KEY_PREFIX;

  /** Prefix of every event channel. */
  private String eventPrefix = StreamConfig.DEFAULT_EVENT_PREFIX;

  /** How long connecting may take. */
  private Duration connectTimeout = Duration.ofSeconds(10);

  /** How long one command may take. */
  private Duration commandTimeout = Duration.ofSeconds(5);

  /** Idle time after which the subscriber connection is checked with PING. */
  private Duration keepAliveInterval = Duration.ofSeconds(15);

  /** Undelivered events a handler may fall behind before its backlog is dropped for a sync event. */
  private int eventQueueCapacity = StreamConfig.DEFAULT_EVENT_QUEUE_CAPACITY;

  /** Largest stored document, in UTF-8 bytes; larger ones fail before any I/O (D6). */
  private int maxDocumentBytes = StreamConfig.DEFAULT_MAX_DOCUMENT_BYTES;

  /** Asynchronous calls the adapter may have outstanding; one more fails at once (A2). */
  private int maxCallsInFlight = StreamConfig.DEFAULT_MAX_CALLS_IN_FLIGHT;

  /** Where the Redis backends connect; overrides spring.data.redis.* when url, host or port is set. */
  private final Redis redis = new Redis();

  /** Micrometer metrics of the adapter. */
  private final Metrics metrics = new Metrics();

  /** @return the backend name, or null for the one on the classpath */
  public String getBackend() {
    return backend;
  }

  /** @param backend the backend name */
  public void setBackend(String backend) {
    this.backend = backend;
  }

  /** @return the key layout */
  public String getLayout() {
    return layout;
  }

  /** @param layout the key layout: {@code flat} or {@code hash} */
  public void setLayout(String layout) {
    this.layout = layout;
  }

  /** @return the key prefix */
  public String getKeyPrefix() {
    return keyPrefix;
  }

  /** @param keyPrefix the key prefix */
  public void setKeyPrefix(String keyPrefix) {
    this.keyPrefix = keyPrefix;
  }

  /** @return the event prefix */
  public String getEventPrefix() {
    return eventPrefix;
  }

  /** @param eventPrefix the event prefix */
  public void setEventPrefix(String eventPrefix) {
    this.eventPrefix = eventPrefix;
  }

  /** @return the connect timeout */
  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /** @param connectTimeout the connect timeout */
  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /** @return the command timeout */
  public Duration getCommandTimeout() {
    return commandTimeout;
  }

  /** @param commandTimeout the command timeout */
  public void setCommandTimeout(Duration commandTimeout) {
    this.commandTimeout = commandTimeout;
  }

  /** @return the keepalive interval */
  public Duration getKeepAliveInterval() {
    return keepAliveInterval;
  }

  /** @param keepAliveInterval the keepalive interval */
  public void setKeepAliveInterval(Duration keepAliveInterval) {
    this.keepAliveInterval = keepAliveInterval;
  }

  /** @return the bound of each subscription's queue */
  public int getEventQueueCapacity() {
    return eventQueueCapacity;
  }

  /** @param eventQueueCapacity the bound of each subscription's queue */
  public void setEventQueueCapacity(int eventQueueCapacity) {
    this.eventQueueCapacity = eventQueueCapacity;
  }

  /** @return the largest stored document, in UTF-8 bytes */
  public int getMaxDocumentBytes() {
    return maxDocumentBytes;
  }

  /** @param maxDocumentBytes the largest stored document, in UTF-8 bytes */
  public void setMaxDocumentBytes(int maxDocumentBytes) {
    this.maxDocumentBytes = maxDocumentBytes;
  }

  /** @return how many asynchronous calls the adapter may have outstanding */
  public int getMaxCallsInFlight() {
    return maxCallsInFlight;
  }

  /** @param maxCallsInFlight how many asynchronous calls the adapter may have outstanding */
  public void setMaxCallsInFlight(int maxCallsInFlight) {
    this.maxCallsInFlight = maxCallsInFlight;
  }

  /** @return the {@code streams.redis.*} properties */
  public Redis getRedis() {
    return redis;
  }

  /** @return the {@code streams.metrics.*} properties */
  public Metrics getMetrics() {
    return metrics;
  }

  @Override
  public String toString() {
    return "StreamsProperties{backend=" + backend + ", layout=" + layout + ", redis=" + redis + "}";
  }

  /** {@code streams.redis.*}: the connection of the Redis backends. */
  public static class Redis {

    /** redis://[[username]:password@]host[:port][/database], or rediss:// for TLS. */
    private String url;

    /** Server host. */
    private String host;

    /** Server port. */
    private Integer port;

    /** ACL user name. */
    private String username;

    /** Password; never logged. */
    private String password;

    /** Database number. */
    private Integer database;

    /** Whether to connect with TLS, trusting what the JVM trusts. */
    private boolean ssl;

    /** Seed nodes of a Redis Cluster, host:port each, instead of host and port. */
    private java.util.List<String> clusterNodes = new java.util.ArrayList<>();

    /** @return whether an address is set here, so that spring.data.redis.* is not used */
    public boolean hasAddress() {
      return url != null || host != null || port != null || !clusterNodes.isEmpty();
    }

    /** @return the seed nodes of a Redis Cluster; empty for a single server */
    public java.util.List<String> getClusterNodes() {
      return clusterNodes;
    }

    /** @param clusterNodes the seed nodes of a Redis Cluster, host:port each */
    public void setClusterNodes(java.util.List<String> clusterNodes) {
      this.clusterNodes = clusterNodes == null ? new java.util.ArrayList<>() : clusterNodes;
    }

    /** @return the URL */
    public String getUrl() {
      return url;
    }

    /** @param url the URL */
    public void setUrl(String url) {
      this.url = url;
    }

    /** @return the host */
    public String getHost() {
      return host;
    }

    /** @param host the host */
    public void setHost(String host) {
      this.host = host;
    }

    /** @return the port */
    public Integer getPort() {
      return port;
    }

    /** @param port the port */
    public void setPort(Integer port) {
      this.port = port;
    }

    /** @return the user name */
    public String getUsername() {
      return username;
    }

    /** @param username the user name */
    public void setUsername(String username) {
      this.username = username;
    }

    /** @return the password; never log it */
    public String getPassword() {
      return password;
    }

    /** @param password the password */
    public void setPassword(String password) {
      this.password = password;
    }

    /** @return the database */
    public Integer getDatabase() {
      return database;
    }

    /** @param database the database */
    public void setDatabase(Integer database) {
      this.database = database;
    }

    /** @return whether to use TLS */
    public boolean isSsl() {
      return ssl;
    }

    /** @param ssl whether to use TLS */
    public void setSsl(boolean ssl) {
      this.ssl = ssl;
    }

    @Override
    public String toString() {
      // The URL may hold the password: only whether one is set.
      return "Redis{url=" + (url == null ? "<none>" : "<set>") + ", host=" + host + ", port=" + port
          + ", username=" + username + ", password=" + (password == null ? "<none>" : "****")
          + ", database=" + database + ", ssl=" + ssl + "}";
    }
  }

  /** {@code streams.metrics.*}. */
  public static class Metrics {

    /** Whether to bind the adapter to the application's MeterRegistry. */
    private boolean enabled = true;

    /** @return whether metrics are on */
    public boolean isEnabled() {
      return enabled;
    }

    /** @param enabled whether metrics are on */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }
}
