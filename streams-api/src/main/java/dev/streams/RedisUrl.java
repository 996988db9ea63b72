package dev.streams;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A parsed {@code redis://[[username]:password@]host[:port][,host[:port]...][/database]} or
 * {@code rediss://} URL.
 *
 * @param nodes the hosts and ports (6379 where absent): one for a single server, several (comma
 *     separated in the URL) for the seed nodes of a Redis Cluster
 * @param username the user, or null
 * @param password the password, or null
 * @param database the database, or null when the URL has no path
 * @param tls whether the scheme is {@code rediss}
 */
record RedisUrl(
    List<InetSocketAddress> nodes, String username, String password, Integer database, boolean tls) {

  /** A URI scheme (RFC 3986): what a message may show before "://". */
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
  private static final String FORM =
      "redis://[[username]:password@]host[:port][,host[:port]...][/database] or rediss://...";

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
    String text = url.trim();
    String hostList = null;
    int schemeEnd = text.indexOf("://");
    if (schemeEnd > 0) {
      int authorityStart = schemeEnd + 3;
      int authorityEnd = authorityEnd(text, authorityStart);
      int hostsStart = text.lastIndexOf('@', authorityEnd - 1) + 1;
      if (hostsStart <= authorityStart) {
        hostsStart = authorityStart;
      }
      String hosts = text.substring(hostsStart, authorityEnd);
      if (hosts.indexOf(',') >= 0) {
        // java.net.URI takes neither several hosts nor a bracketed IPv6 address among them: the rest
        // of the URL is checked with one stand-in host, the hosts are split below.
        hostList = hosts;
        text = text.substring(0, hostsStart) + "seeds" + text.substring(authorityEnd);
      }
    }
    URI uri;
    try {
      uri = new URI(text);
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
    if (hostList != null) {
      authority = hostList;
    }
    List<InetSocketAddress> nodes = new ArrayList<>();
    for (String node : authority.split(",", -1)) {
      nodes.add(parseNode(node, why -> invalid(option, url, why)));
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
    return new RedisUrl(List.copyOf(nodes), username, password, database, tls);
  }

  /**
   * Parses {@code host[:port]} or {@code [ipv6][:port]}, the port 6379 when absent.
   *
   * @param text the text
   * @param invalid builds the failure from what is wrong with the text
   * @return the node, unresolved
   */
  static InetSocketAddress parseNode(String text, Function<String, IllegalArgumentException> invalid) {
    String host;
    String portText = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw invalid.apply("its IPv6 host has no closing ']'");
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw invalid.apply("its IPv6 host is followed by something other than :port");
        }
        portText = rest.substring(1);
      }
    } else {
      int colon = text.lastIndexOf(':');
      host = colon < 0 ? text : text.substring(0, colon);
      portText = colon < 0 ? null : text.substring(colon + 1);
    }
    if (host.isBlank()) {
      throw invalid.apply("it has no host");
    }
    int port = StreamConfig.DEFAULT_PORT;
    if (portText != null && !portText.isEmpty()) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw invalid.apply("the port is not a number");
      }
      if (port < 1 || port > 65_535) {
        // The number itself is not repeated: without an '@' it may be a numeric password.
        throw invalid.apply("the port must be between 1 and 65535");
      }
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  /**
   * Sets this URL's parts on a builder: host and port (one node) or the cluster nodes (several) and
   * TLS always; username, password and database where the URL has them.
   *
   * @param builder the builder
   */
  public void applyTo(StreamConfig.Builder builder) {
    if (nodes.size() == 1) {
      builder.host(nodes.get(0).getHostString()).port(nodes.get(0).getPort()).clusterAddresses(List.of());
    } else {
      builder.clusterAddresses(nodes);
    }
    builder.tls(tls);
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
    return "RedisUrl{nodes=" + nodes.stream().map(StreamConfig::nodeText).toList()
        + ", username=" + username
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
    String authority = rest.substring(0, authorityEnd(rest, 0));
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      return "'" + scheme + authority.substring(at + 1) + "'";
    }
    // Without an '@' the authority may be "user:password" with the "@host" forgotten.
    return "'" + scheme + "' followed by what is not shown (without an '@' it may hold a password)";
  }

  /** @return where the authority that starts at {@code from} ends: at the first '/', '?' or '#' */
  private static int authorityEnd(String text, int from) {
    int end = text.length();
    for (char delimiter : new char[] {'/', '?', '#'}) {
      int found = text.indexOf(delimiter, from);
      if (found >= 0 && found < end) {
        end = found;
      }
    }
    return end;
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
