package dev.streams.redis.internal;

import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * How both Redis backends report a failed connection (C3, C4): a message that names
 * {@code host:port} and what was being done, in words of this library only, so that it cannot hold
 * the password (nothing here ever reads it); nothing is masked afterwards. A client's or a server's
 * text never goes into a message: a server may repeat a command's arguments in its error (Redis
 * does for a command it does not know), and a handshake's arguments hold the password. The client's
 * exception is attached as the cause: Jedis and Lettuce never put a password into their exceptions
 * (both send it as bytes and print URIs without it). Whether the reconnect strategy gave up is
 * {@link ReconnectGiveUp}'s.
 *
 * <p>A backend extends it with {@link #why(Throwable)}: what its client's exceptions mean, in words.
 * One per adapter.
 */
public abstract class ConnectionFailures {

  /** Added to the message when a plain-text connection may have reached a TLS-only port. */
  public static final String TLS_HINT = "(if the server expects TLS, use rediss:// or tls(true))";
  /** Why, when the server sent something that is not the Redis protocol (an HTTP server, say). */
  public static final String NOT_REDIS = "the server did not answer as Redis does";
  /**
   * Why, when the server answered the connection handshake with an error other than a refused
   * login. Its text is left out of the message and of the causes: a server that does not know a
   * command repeats its arguments (Redis before 6 does for {@code HELLO 2 AUTH user password}).
   */
  public static final String HANDSHAKE_REFUSED = "the server answered the connection handshake (AUTH,"
      + " HELLO, SELECT) with an error, left out as it may repeat the password (a server without HELLO,"
      + " such as Redis before 6.0, does)";
  /**
   * Why, when a seed of {@code clusterNodes} answered that it is no cluster node (Redis replies
   * {@code ERR This instance has cluster support disabled} to the CLUSTER commands): a single server
   * was configured as a cluster (L3).
   */
  public static final String NOT_A_CLUSTER = "the server is no cluster node (cluster support disabled):"
      + " give a single server as host and port instead of clusterNodes, or seeds of a Redis Cluster";
  /** The words Java sockets, Jedis and Lettuce use for a connection the server ended (FIN or RST). */
  private static final List<String> CLOSED_WORDS = List.of(
      "Connection reset",               // RST, java.net and Netty alike
      "Unexpected end of stream",       // Jedis: FIN before a reply
      "Connection closed prematurely",  // Lettuce: FIN before a reply
      "Broken pipe",                    // the server closed before the write
      // Lettuce, when the server closed before its handshake began: closing removed the handlers
      "RedisHandshakeHandler not registered");

  private final StreamConfig config;

  /**
   * @param config the configuration whose endpoint and username the messages concern
   */
  protected ConnectionFailures(StreamConfig config) {
    this.config = config;
  }

  /**
   * @param failure a client's exception
   * @return what went wrong, in this library's words (never the client's or the server's text)
   */
  protected abstract String why(Throwable failure);

  /**
   * @param failure a client's exception
   * @return whether it is the server's error reply to the connection handshake, whose text and chain
   *     are left out of the failure as they may repeat the password ({@link #HANDSHAKE_REFUSED}); no
   *     unless the backend says so
   */
  protected boolean isHandshakeError(Throwable failure) {
    return false;
  }

  /** @return the configuration the messages concern */
  protected final StreamConfig config() {
    return config;
  }

  /**
   * @param action what was being done, e.g. "connecting"
   * @param failure the client's exception
   * @return the exception to throw; its message names the endpoint and never the password
   */
  public final StreamConnectionException connectionFailure(String action, Throwable failure) {
    if (isHandshakeError(failure)) {
      return failure(action, HANDSHAKE_REFUSED);
    }
    return failure(action, why(failure), failure);
  }

  /**
   * For the adapter's first connection to the server: as {@link #connectionFailure(String, Throwable)},
   * with a hint at TLS where the server closed the connection before any reply.
   *
   * @param action what was being done, e.g. "connecting"
   * @param failure the client's exception
   * @return the exception to throw
   */
  public final StreamConnectionException openingFailure(String action, Throwable failure) {
    if (isHandshakeError(failure)) {
      return failure(action, HANDSHAKE_REFUSED);
    }
    return openingFailure(action, why(failure), failure);
  }

  /**
   * @param action what was being done, e.g. "connecting"
   * @param why what went wrong, in this library's words (never a client's or server's text)
   * @param cause the client's exception, or null
   * @return {@code Redis at host:port failed while <action>: <why>}
   */
  public StreamConnectionException failure(String action, String why, Throwable cause) {
    return new StreamConnectionException("Redis at " + config.endpoint() + " failed while " + action
        + ": " + why, cause);
  }

  /**
   * @param action what was being done
   * @param why what went wrong, in words
   * @return the exception to throw, without a client cause
   */
  public StreamConnectionException failure(String action, String why) {
    return failure(action, why, null);
  }

  /**
   * The failure of an adapter's first exchange with the server (connect, handshake, first command). As
   * {@link #failure(String, String, Throwable)}; but when TLS is off and the server closed or reset
   * the connection before any reply, which is what a TLS-only port does with plain text, the message
   * says so instead of {@code why} and ends with {@link #TLS_HINT}. Refused connections, timeouts and
   * login errors keep {@code why} and get no hint.
   *
   * @param action what was being done, e.g. "connecting"
   * @param why what went wrong, in words
   * @param cause the client's exception
   * @return the exception to throw
   */
  public StreamConnectionException openingFailure(String action, String why, Throwable cause) {
    if (config.tls() || cause == null || loginProblem(cause).isPresent()) {
      return failure(action, why, cause);
    }
    return closedBeforeReply(cause)
        .map(how -> failure(action, "the server closed the connection before any reply (" + how + ") "
            + TLS_HINT, cause))
        .orElseGet(() -> failure(action, why, cause));
  }

  /**
   * @param failure a client's exception
   * @return which of {@link #CLOSED_WORDS} its chain uses to say the server ended the connection, if
   *     it does (the words, not the client's message)
   */
  static Optional<String> closedBeforeReply(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      if (message != null) {
        Optional<String> words = CLOSED_WORDS.stream().filter(message::contains).findFirst();
        if (words.isPresent()) {
          return words;
        }
      }
      // Netty on epoll may report the reset as a write on a channel already closed, without words.
      if (t instanceof ClosedChannelException) {
        return Optional.of(t.getClass().getSimpleName());
      }
    }
    return Optional.empty();
  }

  /**
   * @param failure a client's exception
   * @return why the login failed, if that is what happened
   */
  public Optional<String> loginProblem(Throwable failure) {
    if (hasMessage(failure, "NOAUTH") && config.password().isEmpty()) {
      return Optional.of("the server requires a login, and no password is configured");
    }
    if (isLoginRefusal(failure)) {
      return Optional.of(loginRefused());
    }
    return Optional.empty();
  }

  /** @return the words for a server that refused the configured credentials */
  public String loginRefused() {
    return "the server refused the login"
        + config.username().map(u -> " of user '" + u + "'").orElse("")
        + " (wrong username or password?)";
  }

  /**
   * @param failure a client's exception
   * @return whether a server in its chain (causes and suppressed exceptions) answered that it has
   *     cluster support disabled ({@link #NOT_A_CLUSTER})
   */
  public static boolean isClusterSupportDisabled(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("cluster support disabled")) {
        return true;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (isClusterSupportDisabled(suppressed)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * @param failure a client's exception
   * @return whether the server refused the credentials
   */
  public static boolean isLoginRefusal(Throwable failure) {
    return hasMessage(failure, "WRONGPASS") || hasMessage(failure, "NOAUTH")
        || hasMessage(failure, "invalid password") || hasMessage(failure, "invalid username-password");
  }

  /**
   * For a failure no backend rule recognised: what kind of failure it was, named by the types in
   * its chain (the messages stay in the attached cause).
   *
   * @param failure a client's exception
   * @return e.g. {@code the host name could not be resolved}, or {@code the client failed
   *     (JedisConnectionException <- SSLHandshakeException; see the cause)}
   */
  public static String unrecognised(Throwable failure) {
    if (hasCause(failure, UnknownHostException.class)) {
      return "the host name could not be resolved";
    }
    if (hasCause(failure, SSLException.class)) {
      return "the TLS handshake failed (see the cause)";
    }
    StringBuilder types = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      types.append(types.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName());
    }
    return "the client failed (" + types + "; see the cause)";
  }

  /**
   * @param failure an exception
   * @param text what to look for
   * @return whether a message in its chain of causes contains the text
   */
  public static boolean hasMessage(Throwable failure, String text) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(text)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Looks through causes and suppressed exceptions (Jedis keeps one per address it tried).
   *
   * @param failure an exception
   * @param type the type to look for
   * @return whether the chain holds an exception of that type
   */
  public static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
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
}
