package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;


import dev.streams.ReconnectStrategy;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.StreamEvent;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.server.RedisServerProcess;
import dev.streams.tck.EventRecorder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * C3 under faults: the password never appears in a log line, an exception (message, causes,
 * suppressed) or a {@code toString}, through a wrong login, a password changed under a running
 * adapter, and a crash and restart. The log is captured from {@code System.err}, where the tests'
 * slf4j-simple binding writes (it looks {@code System.err} up for every line). Each test runs on a
 * server of its own: it changes the password, kills the clients and crashes the server.
 */
abstract class SecurityFamily extends KitFamily {

  SecurityFamily(RedisBackendKit kit) {
    super(kit);
  }

  @Test
  @DisplayName("C3 — through a wrong login, a password change and a crash, no log line, exception or toString shows a password")
  void passwordNeverShown() throws Exception {
    String password = "Pw-" + UUID.randomUUID();
    String changed = "Pw2-" + UUID.randomUUID();
    String wrong = "Pw3-" + UUID.randomUUID();
    RedisServerProcess server = startServer("--requirepass", password);
    RedisEndpoint endpoint = server.endpoint();
    AtomicInteger attempts = new AtomicInteger();
    StreamConfig config = endpoint.applyTo(StreamConfig.builder()).backend(provider().name())
        .password(password).connectTimeout(Duration.ofSeconds(1)).commandTimeout(Duration.ofSeconds(1))
        .reconnectStrategy(attempt -> {
          attempts.incrementAndGet();
          return ReconnectStrategy.retryAfter(Duration.ofMillis(100));
        }).build();
    List<Throwable> failures = new ArrayList<>();
    List<String> shown = new ArrayList<>();

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
    try {
      failures.add(catchThrowable(() -> provider().open(config.toBuilder().password(wrong).build())));
      failures.add(catchThrowable(() -> provider().open(config.toBuilder().password(null).build())));

      try (StreamAdapter adapter = provider().open(config)) {
        shown.add(adapter.toString());
        shown.add(config.toString());
        shown.add(config.toBuilder().toString());
        EventRecorder log = new EventRecorder("group handler");
        adapter.subscribe(StreamChannel.group("g"), log);
        adapter.set("g", "1", json("{}"));
        log.awaitTypes("create");

        // The password changes under the running adapter: every reconnection is refused.
        admin(endpoint, password, "CONFIG", "SET", "requirepass", changed);
        admin(endpoint, changed, "CLIENT", "KILL", "TYPE", "pubsub");
        admin(endpoint, changed, "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        for (int i = 0; i < 3; i++) {
          failures.add(catchThrowable(() -> adapter.get("g", "1")));
        }
        // Let the backend make (and log) a few reconnections the server refuses.
        int before = attempts.get();
        await().atMost(WAIT).until(() -> attempts.get() >= before + 3);
        admin(endpoint, changed, "CONFIG", "SET", "requirepass", password);
        await().atMost(WAIT).until(() -> log.types().contains(StreamEvent.SYNC));

        // A crash: the outage and the reconnection are logged too.
        server.kill();
        failures.add(catchThrowable(() -> adapter.get("g", "1")));
        failures.add(catchThrowable(() -> adapter.subscribe(StreamChannel.group("h"), event -> {})));
        server.restart();
        await().atMost(WAIT).until(() -> log.types().stream().filter(StreamEvent.SYNC::equals).count() >= 2);
        await().atMost(WAIT).ignoreExceptions().until(() -> adapter.get("g", "1").isEmpty());
        shown.add(adapter.toString());
      }
    } finally {
      System.setErr(original);
    }

    String logText = captured.toString(StandardCharsets.UTF_8);
    // The capture worked: the reconnections were logged, naming the server.
    assertThat(logText).contains(endpoint.address());
    for (Throwable failure : failures) {
      assertThat(failure).isInstanceOf(StreamConnectionException.class);
      shown.add(stackTrace(failure));
    }
    shown.add(logText);
    for (String text : shown) {
      assertThat(text).doesNotContain(password).doesNotContain(changed).doesNotContain(wrong);
    }
  }

  @Test
  @DisplayName("C3 — a refused login reads the same whatever the wrong password: single letters and common words cannot be read back from the message")
  void refusedLoginMessageDoesNotDependOnThePassword() {
    RedisServerProcess server = startServer("--requirepass", "Pw-" + UUID.randomUUID());
    StreamConfig config = server.endpoint().applyTo(StreamConfig.builder()).backend(provider().name())
        .connectTimeout(Duration.ofSeconds(5)).commandTimeout(Duration.ofSeconds(5)).build();
    Throwable reference = catchThrowable(
        () -> provider().open(config.toBuilder().password("Wr0ng-" + UUID.randomUUID()).build()));
    assertThat(reference).isInstanceOf(StreamConnectionException.class)
        .hasMessageContaining(server.endpoint().address()).hasMessageContaining("refused the login");
    for (String wrong : List.of("e", "a", "the", "login", "password", "wrong")) {
      Throwable failure = catchThrowable(() -> provider().open(config.toBuilder().password(wrong).build()));
      assertThat(failure).as("password '%s'", wrong).isInstanceOf(StreamConnectionException.class)
          .hasMessage(reference.getMessage());
      // The client's exception stays attached: nothing is dropped for holding a letter of the password.
      assertThat(causeTypes(failure)).as("causes with password '%s'", wrong).isEqualTo(causeTypes(reference));
    }
  }

  @Test
  @DisplayName("C3 — a server that repeats the handshake's arguments in its error (Redis before 6 does for HELLO) shows the password nowhere: message, causes, trace")
  void handshakeErrorThatEchoesThePasswordIsLeftOut() throws Exception {
    Throwable failure = openAtEchoingServer((options, port) -> options.host("127.0.0.1").port(port));
    assertThat(failure).hasMessageContaining("answered the connection handshake");
  }

  @Test
  @DisplayName("C3 — the same server as a cluster seed (L3): the password is nowhere in message, causes or trace")
  void handshakeErrorOfAClusterSeedThatEchoesThePasswordIsLeftOut() throws Exception {
    openAtEchoingServer((options, port) -> options.clusterNodes("127.0.0.1:" + port).username("alice"));
  }

  /**
   * Opens an adapter at an {@link EchoingServer} with a fresh password and checks that the server
   * repeated it, that the open failed naming the server, and that the failure's trace lacks it.
   *
   * @param where points the options at the server's port
   * @return the failure, for a test's own checks
   */
  private Throwable openAtEchoingServer(
      BiFunction<StreamConfig.Builder, Integer, StreamConfig.Builder> where) throws Exception {
    String password = "Pw-" + UUID.randomUUID();
    try (EchoingServer server = new EchoingServer(password)) {
      StreamConfig.Builder options = where.apply(StreamConfig.builder().backend(provider().name()), server.port())
          .password(password).connectTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(2));
      Throwable failure = catchThrowable(() -> provider().open(options.build()).close());
      assertThat(server.echoed()).as("the server received and repeated the password").isTrue();
      assertThat(failure).isInstanceOf(StreamConnectionException.class)
          .hasMessageContaining("127.0.0.1:" + server.port());
      assertThat(stackTrace(failure)).doesNotContain(password);
      return failure;
    }
  }

  /**
   * A RESP server that answers every command with Redis's error for an unknown command, which
   * repeats the arguments: {@code ERR unknown command 'HELLO', with args beginning with: '2' ...}.
   */
  private static final class EchoingServer implements AutoCloseable {
    private final ServerSocket socket =
        new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final String password;
    private volatile boolean echoed;

    EchoingServer(String password) throws IOException {
      this.password = password;
      Thread acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            Socket client = socket.accept();
            accepted.add(client);
            Thread serve = new Thread(() -> serve(client), "echoing-redis-client");
            serve.setDaemon(true);
            serve.start();
          } catch (IOException e) {
            // Closed: the test is over.
          }
        }
      }, "echoing-redis-" + socket.getLocalPort());
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private void serve(Socket client) {
      try {
        DataInputStream in = new DataInputStream(client.getInputStream());
        OutputStream out = client.getOutputStream();
        while (true) {
          String header = readLine(in);
          if (!header.startsWith("*")) {
            return;
          }
          List<String> args = new ArrayList<>();
          for (int i = Integer.parseInt(header.substring(1)); i > 0; i--) {
            byte[] arg = new byte[Integer.parseInt(readLine(in).substring(1))];
            in.readFully(arg);
            readLine(in);
            args.add(new String(arg, StandardCharsets.UTF_8));
          }
          StringBuilder error = new StringBuilder("-ERR unknown command '" + args.get(0)
              + "', with args beginning with: ");
          for (String arg : args.subList(1, args.size())) {
            error.append('\'').append(arg).append("' ");
          }
          echoed |= args.subList(1, args.size()).contains(password);
          out.write((error + "\r\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException | RuntimeException e) {
        // The client left.
      }
    }

    private static String readLine(DataInputStream in) throws IOException {
      StringBuilder line = new StringBuilder();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new EOFException();
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    }

    int port() {
      return socket.getLocalPort();
    }

    boolean echoed() {
      return echoed;
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket client : accepted) {
        client.close();
      }
    }
  }

  private static List<String> causeTypes(Throwable failure) {
    return causes(failure).stream().map(t -> t.getClass().getName()).toList();
  }

  private static void admin(RedisEndpoint endpoint, String password, String... command) {
    call(endpoint.withCredentials(null, password), command);
  }

  /** @return the whole trace: messages and toString of every cause and suppressed exception */
  private static String stackTrace(Throwable failure) {
    StringWriter text = new StringWriter();
    failure.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  /** Writes to the original stream (the test report keeps its output) and to the capture. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final ByteArrayOutputStream second;

    Tee(OutputStream first, ByteArrayOutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) {
      synchronized (second) {
        second.write(b);
      }
      try {
        first.write(b);
      } catch (IOException e) {
        // The original stream's trouble must not fail the capture.
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (second) {
        second.write(b, off, len);
      }
      try {
        first.write(b, off, len);
      } catch (IOException e) {
        // As above.
      }
    }

    @Override
    public void flush() throws IOException {
      first.flush();
    }
  }
}
