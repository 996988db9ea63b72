package dev.streams.redis.jedis;

import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisException;

/** How a {@link StreamConfig} becomes Jedis settings, and how Jedis failures are reported. */
final class JedisSettings {

  /** Connections in the command pool; more callers wait for one. */
  static final int POOL_SIZE = 32;

  private final StreamConfig config;
  /** The reconnect strategy's reason once it gave up; commands and subscriptions fail from then on. */
  private volatile String gaveUp;

  JedisSettings(StreamConfig config) {
    this.config = config;
  }

  StreamConfig config() {
    return config;
  }

  HostAndPort hostAndPort() {
    return new HostAndPort(config.host(), config.port());
  }

  /** @return the client settings of every connection, commands and subscriber alike */
  JedisClientConfig clientConfig() {
    DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
        // RESP2 keeps script replies and pub/sub framing the same on every server version, and
        // saves the HELLO round trip on connect; nothing here needs RESP3.
        .resp2()
        .connectionTimeoutMillis(millis(config.connectTimeout()))
        .socketTimeoutMillis(millis(config.commandTimeout()))
        .database(config.database());
    if (config.tls()) {
      // TLS with the JVM's trust store and host name verification.
      builder.sslOptions(SslOptions.defaults());
    }
    config.username().ifPresent(builder::user);
    config.password().ifPresent(builder::password);
    return builder.build();
  }

  ConnectionPoolConfig poolConfig() {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(POOL_SIZE);
    pool.setMaxIdle(POOL_SIZE);
    pool.setMinIdle(0);
    pool.setBlockWhenExhausted(true);
    // A caller waits for a free connection at most as long as for a command.
    pool.setMaxWait(config.commandTimeout().plus(config.connectTimeout()));
    return pool;
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

  /** @return {@code host:port}, for messages */
  String endpoint() {
    return config.endpoint();
  }

  /**
   * @param action what was being done, e.g. "connecting"
   * @param failure the Jedis failure
   * @return the exception to throw; its message names the endpoint and never the password
   */
  StreamConnectionException connectionFailure(String action, JedisException failure) {
    String why;
    if (hasMessage(failure, "NOAUTH") && config.password().isEmpty()) {
      why = "the server requires a login, and no password is configured";
    } else if (failure instanceof JedisAccessControlException
        || hasMessage(failure, "WRONGPASS") || hasMessage(failure, "NOAUTH")) {
      why = "the server refused the login" + config.username().map(u -> " of user '" + u + "'").orElse("")
          + " (wrong username or password?)";
    } else if (hasCause(failure, SocketTimeoutException.class)) {
      why = "no answer in time (connectTimeout " + config.connectTimeout()
          + ", commandTimeout " + config.commandTimeout() + ")";
    } else if (hasCause(failure, ConnectException.class)) {
      why = "connection refused";
    } else {
      why = failure.getMessage() + " (connectTimeout " + config.connectTimeout()
          + ", commandTimeout " + config.commandTimeout() + ")";
    }
    return new StreamConnectionException(
        "Redis at " + endpoint() + " failed while " + action + ": " + redact(why), redactCauses(failure));
  }

  /**
   * @param action what was being done
   * @param why what went wrong, in words
   * @return the exception to throw, without a client cause
   */
  StreamConnectionException connectionFailure(String action, String why) {
    return new StreamConnectionException("Redis at " + endpoint() + " failed while " + action + ": " + redact(why));
  }

  /** @return whether the reconnect strategy gave up */
  boolean hasGivenUp() {
    return gaveUp != null;
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
      if (t.getMessage() != null && t.getMessage().contains(password)) {
        return null;
      }
    }
    return failure;
  }

  private static boolean hasMessage(Throwable failure, String code) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(code)) {
        return true;
      }
    }
    return false;
  }

  /** Looks through causes and suppressed exceptions: Jedis keeps one per address it tried. */
  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (hasCause(suppressed, type)) {
          return true;
        }
      }
    }
    return false;
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
  }
}
