package dev.streams.redis.server;

import dev.streams.StreamConfig;

/**
 * Where a test Redis listens and how to log in.
 *
 * @param host the host
 * @param port the port
 * @param username the ACL user, or null
 * @param password the password, or null
 * @param database the database, 0 unless the URL named another
 * @param tls whether to connect with TLS
 */
public record RedisEndpoint(
    String host, int port, String username, String password, int database, boolean tls) {

  /**
   * @param host the host
   * @param port the port
   * @return a plain endpoint with no credentials
   */
  public static RedisEndpoint of(String host, int port) {
    return new RedisEndpoint(host, port, null, null, 0, false);
  }

  /**
   * @param url {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://...}
   * @return the endpoint
   */
  public static RedisEndpoint fromUrl(String url) {
    StreamConfig config = StreamConfig.builder().url(url).build();
    return new RedisEndpoint(config.host(), config.port(), config.username().orElse(null),
        config.password().orElse(null), config.database(), config.tls());
  }

  /**
   * @param username the ACL user
   * @param password the password
   * @return this endpoint with other credentials
   */
  public RedisEndpoint withCredentials(String username, String password) {
    return new RedisEndpoint(host, port, username, password, database, tls);
  }

  /**
   * Sets the connection options of this endpoint on a configuration.
   *
   * @param builder the configuration
   * @return the builder
   */
  public StreamConfig.Builder applyTo(StreamConfig.Builder builder) {
    return applyLoginTo(builder.host(host).port(port)).database(database);
  }

  /**
   * Sets how to log in and whether to use TLS, but not where to connect nor the database: for a
   * cluster configuration, whose nodes are its {@code clusterNodes} and whose database is 0.
   *
   * @param builder the configuration
   * @return the builder
   */
  public StreamConfig.Builder applyLoginTo(StreamConfig.Builder builder) {
    return builder.username(username).password(password).tls(tls);
  }

  /** @return {@code host:port} */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return (tls ? "rediss://" : "redis://") + (username == null ? "" : username + "@") + address()
        + "/" + database + (password == null ? "" : " (password ****)");
  }
}
