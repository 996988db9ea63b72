package dev.streams.internal;

import dev.streams.StreamConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A parsed {@code redis://[[username]:password@]host[:port][/database]} or {@code rediss://} URL.
 *
 * @param host the host
 * @param port the port, 6379 when absent
 * @param username the user, or null
 * @param password the password, or null
 * @param database the database, or null when the URL has no path
 * @param tls whether the scheme is {@code rediss}
 */
public record RedisUrl(
    String host, int port, String username, String password, Integer database, boolean tls) {

  private static final String FORM =
      "redis://[[username]:password@]host[:port][/database] or rediss://...";

  /**
   * @param url the URL text
   * @param option what the URL came from ({@code url}, {@code REDIS_URL}), for messages
   * @return the parsed URL
   * @throws IllegalArgumentException naming {@code option} and the URL with its password masked
   */
  public static RedisUrl parse(String url, String option) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(option + " must not be empty");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      // The cause's message repeats the URL, password included: it is left out on purpose.
      throw invalid(option, url, "it is not a valid URI");
    }
    String scheme = uri.getScheme();
    boolean tls;
    if ("redis".equalsIgnoreCase(scheme)) {
      tls = false;
    } else if ("rediss".equalsIgnoreCase(scheme)) {
      tls = true;
    } else {
      throw invalid(option, url, "the scheme must be redis or rediss");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw invalid(option, url, "it has no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() == -1 ? StreamConfig.DEFAULT_PORT : uri.getPort();
    String username = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        // redis://secret@host: a lone user-info part is the password (AUTH password).
        password = decode(userInfo);
      } else {
        username = emptyToNull(decode(userInfo.substring(0, colon)));
        password = emptyToNull(decode(userInfo.substring(colon + 1)));
      }
    }
    Integer database = null;
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !"/".equals(path)) {
      String number = path.substring(1);
      try {
        database = Integer.parseInt(number);
      } catch (NumberFormatException e) {
        throw invalid(option, url, "the database '" + number + "' is not a number");
      }
      if (database < 0) {
        throw invalid(option, url, "the database must be 0 or more");
      }
    }
    return new RedisUrl(host, port, username, password, database, tls);
  }

  /**
   * Sets this URL's parts on a builder: host, port and TLS always; username, password and database
   * where the URL has them.
   *
   * @param builder the builder
   */
  public void applyTo(StreamConfig.Builder builder) {
    builder.host(host).port(port).tls(tls);
    if (username != null) {
      builder.username(username);
    }
    if (password != null) {
      builder.password(password);
    }
    if (database != null) {
      builder.database(database);
    }
  }

  @Override
  public String toString() {
    return "RedisUrl{host=" + host + ", port=" + port + ", username=" + username
        + ", password=" + (password == null ? "<none>" : "****") + ", database=" + database
        + ", tls=" + tls + "}";
  }

  /**
   * @param url a URL that may carry a password
   * @return the URL with everything between {@code //} and {@code @} replaced by {@code ****}
   */
  public static String mask(String url) {
    int start = url.indexOf("//");
    int at = url.lastIndexOf('@');
    if (start < 0 || at < start) {
      return url;
    }
    return url.substring(0, start + 2) + "****" + url.substring(at);
  }

  private static IllegalArgumentException invalid(String option, String url, String why) {
    return new IllegalArgumentException(
        option + " must look like " + FORM + ", but " + why + ": '" + mask(url) + "'");
  }

  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
