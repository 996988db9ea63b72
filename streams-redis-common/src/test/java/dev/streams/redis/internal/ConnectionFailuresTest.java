package dev.streams.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamConfig;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConnectionFailuresTest {

  private static final String PASSWORD = "Kq9-otter-Pw-17";
  private final ConnectionFailures plain = failures(
      StreamConfig.builder().host("redis.internal").port(6380).password(PASSWORD).build());

  /** A backend's failures whose every client exception means "why". */
  private static ConnectionFailures failures(StreamConfig config) {
    return new ConnectionFailures(config) {
      @Override
      protected String why(Throwable failure) {
        return "why";
      }
    };
  }

  /** As a client wraps the socket's failure. */
  private static RuntimeException client(String message, Throwable cause) {
    return new RuntimeException(message, cause);
  }

  @Test
  @DisplayName("a fresh plain-text connection closed or reset before any reply gets the TLS hint")
  void closedBeforeReplyGetsTheHint() {
    for (Throwable closed : new Throwable[] {
        client("java.net.SocketException: Connection reset", new SocketException("Connection reset")),
        client("Unable to connect", new SocketException("Connection reset by peer")),
        client("Unexpected end of stream.", null),
        client("Unable to connect to 127.0.0.1", client("Connection closed prematurely", null)),
        client("write failed", new SocketException("Broken pipe")),
        client("Unable to connect to 127.0.0.1", new ClosedChannelException()),
        // Lettuce, when the reset came before its handshake began (it finds its handlers gone)
        client("Unable to connect to 127.0.0.1/<unresolved>:6380", new CompletionException(
            new IllegalStateException("RedisHandshakeHandler not registered")))}) {
      assertThat(plain.openingFailure("connecting", "why", closed))
          .hasMessageStartingWith("Redis at redis.internal:6380 failed while connecting:"
              + " the server closed the connection before any reply (")
          .hasMessageEndingWith(") (if the server expects TLS, use rediss:// or tls(true))")
          .hasCause(closed);
    }
  }

  @Test
  @DisplayName("no TLS hint for refused connections, timeouts, login errors, TLS already on, or a connection that had answered")
  void otherFailuresGetNoHint() {
    for (Throwable other : new Throwable[] {
        client("Failed to connect", new ConnectException("Connection refused")),
        client("Read timed out", new SocketTimeoutException("Read timed out")),
        client("WRONGPASS invalid username-password pair or user is disabled.", null),
        client("NOAUTH Authentication required.", new SocketException("Connection reset")),
        new EOFException("something else")}) {
      assertThat(plain.openingFailure("connecting", "why", other)).hasMessageNotContaining("TLS");
    }
    ConnectionFailures tls = failures(StreamConfig.builder().tls(true).build());
    assertThat(tls.openingFailure("connecting", "why", new SocketException("Connection reset")))
        .hasMessageNotContaining("TLS");
    assertThat(plain.failure("running GET", "why", new SocketException("Connection reset")))
        .hasMessageNotContaining("TLS");
  }

  @Test
  @DisplayName("the hinted message names what happened in the library's words, never the client's text")
  void hintedMessageHasNoClientText() {
    assertThat(plain.openingFailure("connecting", "why",
        new SocketException("Connection reset after AUTH " + PASSWORD)))
        .hasMessage("Redis at redis.internal:6380 failed while connecting: the server closed the connection"
            + " before any reply (Connection reset) (if the server expects TLS, use rediss:// or tls(true))");
    assertThat(plain.openingFailure("connecting", "why", new SocketException("Connection reset")))
        .hasMessage("Redis at redis.internal:6380 failed while connecting: the server closed the connection"
            + " before any reply (Connection reset) (if the server expects TLS, use rediss:// or tls(true))");
  }

  @Test
  @DisplayName("a seed's 'cluster support disabled' is found in the causes and in the suppressed exceptions")
  void clusterSupportDisabledIsFoundWhereClientsKeepIt() {
    RuntimeException seed = client("ERR This instance has cluster support disabled", null);
    RuntimeException initialisation = client("Could not initialize cluster slots cache.", null);
    initialisation.addSuppressed(seed);
    assertThat(ConnectionFailures.isClusterSupportDisabled(initialisation)).isTrue();
    assertThat(ConnectionFailures.isClusterSupportDisabled(client("Cannot connect", seed))).isTrue();
    assertThat(ConnectionFailures.isClusterSupportDisabled(
        client("Could not initialize cluster slots cache.", new ConnectException("Connection refused")))).isFalse();
  }
}
