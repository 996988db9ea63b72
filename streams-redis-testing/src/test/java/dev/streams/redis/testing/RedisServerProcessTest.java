package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.redis.server.RedisServerProcess;
import dev.streams.redis.server.RespConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A test's server is its own: a {@link RedisServerProcess} never takes whatever else answers on its
 * port for itself, so that what a test does to its server (kill, pause, CLIENT KILL) never reaches
 * another test's connections.
 */
class RedisServerProcessTest {

  @Test
  @DisplayName("a restart on a port that another server took meanwhile fails saying so, and never talks to the other server as its own")
  void restartOnATakenPortFails() throws Exception {
    RedisServerExtension.requireRedisServer();
    RedisServerProcess server = RedisServerProcess.start();
    try {
      int port = server.port();
      server.kill();
      try (Impostor impostor = new Impostor(port)) {
        assertThatThrownBy(server::restart)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("port " + port)
            .hasMessageContaining("Address already in use");
        assertThat(server.isAlive()).isFalse();
      }
    } finally {
      server.close();
    }
  }

  @Test
  @DisplayName("a started server answers as itself: its own log says it listens, and PING works")
  void startedServerIsItsOwn() {
    RedisServerExtension.requireRedisServer();
    try (RedisServerProcess server = RedisServerProcess.start()) {
      assertThat(server.log()).contains("Ready to accept connections");
      try (RespConnection connection = RespConnection.open(server.endpoint(), Duration.ofSeconds(10))) {
        assertThat(connection.call("PING")).isEqualTo("PONG");
        assertThat(connection.call("INFO", "server").toString()).contains("process_id:" + server.pid());
      }
    }
  }

  /** A listener on the port that answers every command as Redis would answer PING. */
  private static final class Impostor implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    Impostor(int port) throws IOException {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      Thread acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            Socket client = socket.accept();
            accepted.add(client);
            client.getOutputStream().write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
          } catch (IOException e) {
            // Closed: the test is over, or the client left.
          }
        }
      }, "impostor-redis-" + port);
      acceptor.setDaemon(true);
      acceptor.start();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket client : accepted) {
        client.close();
      }
    }
  }
}
