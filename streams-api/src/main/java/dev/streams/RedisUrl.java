package dev.streams;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

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
record RedisUrl(
    String host, int port, String username, String password, Integer database, boolean tls) {

  /** A URI scheme (RFC 3986): what a message may show before "://". */
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
  private static final String FORM =
      "redis://[[username]:password@]host[:port][/database] or rediss://...";

  /**
   * @param url the URL text
   * @param option what the URL came from ({@code url}, {@code REDIS_URL}), for messages
   * @return the parsed URL
   * @throws IllegalArgumentException naming {@code option} and what is wrong; of the URL it shows the
   *     scheme and the host part at most (see {@link #shownPart(String)}), so never a password
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
    // The authority is split by hand: java.net.URI gives no host for names such as my_redis,
    // which container networks use.
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw invalid(option, url, "it has no host");
    }
    String username = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        // redis://secret@host: a lone user-info part is the password (AUTH password).
        password = emptyToNull(decode(userInfo));
      } else {
        username = emptyToNull(decode(userInfo.substring(0, colon)));
        password = emptyToNull(decode(userInfo.substring(colon + 1)));
      }
    }
    String host;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw invalid(option, url, "its IPv6 host has no closing ']'");
      }
      host = authority.substring(1, close);
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw invalid(option, url, "its IPv6 host is followed by something other than :port");
        }
        portText = rest.substring(1);
      }
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw invalid(option, url, "it has no host");
    }
    int port = StreamConfig.DEFAULT_PORT;
    if (portText != null && !portText.isEmpty()) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw invalid(option, url, "the port is not a number");
      }
      if (port < 1 || port > 65_535) {
        // The number itself is not repeated: without an '@' it may be a numeric password.
        throw invalid(option, url, "the port must be between 1 and 65535");
      }
    }
    Integer database = null;
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !"/".equals(path)) {
      String number = path.substring(1);
      try {
        database = Integer.parseInt(number);
      } catch (NumberFormatException e) {
        throw invalid(option, url, "the database (the path after the host) is not a number");
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
   * What an invalid URL's message may show of it: the scheme, and the host part (host and port) only
   * where an {@code @} separates it from the user-info before it. The text is cut, never masked: what
   * is not shown is not in the message at all.
   *
   * @param url the URL text, however malformed
   * @return e.g. {@code redis://h:abc}, {@code redis://} followed by a note that the rest is not
   *     shown, or empty when not even a scheme can be told apart
   */
  static String shownPart(String url) {
    String text = url.trim();
    int schemeEnd = text.indexOf("://");
    if (schemeEnd <= 0 || !SCHEME.matcher(text.substring(0, schemeEnd)).matches()) {
      return "";
    }
    String scheme = text.substring(0, schemeEnd + 3);
    String rest = text.substring(schemeEnd + 3);
    int authorityEnd = rest.length();
    for (char end : new char[] {'/', '?', '#'}) {
      int at = rest.indexOf(end);
      if (at >= 0 && at < authorityEnd) {
        authorityEnd = at;
      }
    }
    String authority = rest.substring(0, authorityEnd);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      return "'" + scheme + authority.substring(at + 1) + "'";
    }
    // Without an '@' the authority may be "user:password" with the "@host" forgotten.
    return "'" + scheme + "' followed by what is not shown (without an '@' it may hold a password)";
  }

  private static IllegalArgumentException invalid(String option, String url, String why) {
    String shown = shownPart(url);
    return new IllegalArgumentException(
        option + " must look like " + FORM + ", but " + why + (shown.isEmpty() ? "" : ": " + shown));
  }

  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
