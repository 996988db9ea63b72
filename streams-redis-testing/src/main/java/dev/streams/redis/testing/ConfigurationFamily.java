package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.StreamDataException;
import dev.streams.query.Query;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.server.RedisServerProcess;
import dev.streams.tck.EventRecorder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * C1, C3, C4, K7 and O2 against a server, beyond what the TCK can check: ACL users, databases,
 * prefixes, passwords, unreachable and non-Redis servers, foreign types and a flushed script cache.
 * Runs on the shared server, which it flushes around each test, and on servers of its own. Its K7
 * scenarios plant values at flat data keys and so run under the flat layout only: the hash layout's
 * foreign data (a field, a key of another type) is the TCK's, run under {@code hash} on every
 * backend (L2).
 */
abstract class ConfigurationFamily extends KitFamily {

  private static final String PASSWORD = "Pa55-" + UUID.randomUUID();

  ConfigurationFamily(RedisBackendKit kit) {
    super(kit);
  }

  @BeforeEach
  final void flush() {
    redis.flushAll();
  }

  @AfterEach
  final void flushAfter() {
    redis.flushAll();
  }

  private StreamAdapter open(UnaryOperator<StreamConfig.Builder> options) {
    return open(options.apply(redis.endpoint().applyTo(StreamConfig.builder())));
  }

  @Test
  @DisplayName("C1 — an ACL user with a password connects, reads, writes and subscribes")
  void aclUserConnects() {
    String user = "streams-acl-" + UUID.randomUUID();
    redis.command("ACL", "SETUSER", user, "on", ">" + PASSWORD, "~*", "&*", "+@all");
    // Closed before the user goes: deleting a user disconnects its clients.
    try (StreamAdapter adapter = provider().open(redis.endpoint().applyTo(StreamConfig.builder())
        .backend(provider().name()).username(user).password(PASSWORD).build())) {
      EventRecorder events = new EventRecorder("handler of the ACL user");
      adapter.subscribe(StreamChannel.group("acl"), events);
      adapter.set("acl", "a", json("{\"v\":1}"));
      assertThat(adapter.get("acl", "a")).map(d -> d.get("v").asInt()).contains(1);
      events.awaitTypes("create");
    } finally {
      redis.command("ACL", "DELUSER", user);
    }
  }

  @Test
  @DisplayName("C3 — a wrong password fails with StreamConnectionException naming host:port, without the password in message or causes")
  void wrongPasswordFailsClearly() {
    String user = "streams-acl-" + UUID.randomUUID();
    redis.command("ACL", "SETUSER", user, "on", ">" + PASSWORD, "~*", "&*", "+@all");
    String wrong = "Wr0ng-" + UUID.randomUUID();
    try {
      assertThatThrownBy(() -> open(b -> b.username(user).password(wrong)))
          .isInstanceOf(StreamConnectionException.class)
          .hasMessageContaining(redis.endpoint().address())
          .hasMessageContaining("refused the login")
          .hasMessageNotContaining(TlsFamily.TLS_HINT)
          .satisfies(e -> assertNoSecret(e, wrong, PASSWORD));
    } finally {
      redis.command("ACL", "DELUSER", user);
    }
  }

  @Test
  @DisplayName("C3 — on a server with requirepass, the right password connects and a wrong one fails without showing it")
  void requirePassServer() {
    RedisServerProcess server = startServer("--requirepass", PASSWORD);
    RedisEndpoint endpoint = server.endpoint();
    StreamAdapter adapter = open(endpoint.applyTo(StreamConfig.builder()).password(PASSWORD));
    adapter.set("g", "1", json("{}"));
    assertThat(adapter.getGroup("g")).hasSize(1);

    String wrong = "Wr0ng-" + UUID.randomUUID();
    assertThatThrownBy(() -> provider().open(
        endpoint.applyTo(StreamConfig.builder()).password(wrong).build()))
        .isInstanceOf(StreamConnectionException.class)
        .hasMessageContaining(endpoint.address())
        .satisfies(e -> assertNoSecret(e, wrong, PASSWORD));
    assertThatThrownBy(() -> provider().open(endpoint.applyTo(StreamConfig.builder()).build()))
        .isInstanceOf(StreamConnectionException.class)
        .hasMessageContaining(endpoint.address());
  }

  @Test
  @DisplayName("C1 — database 3 does not see the items of database 0")
  void databasesAreSeparate() {
    StreamAdapter zero = open(b -> b.database(0));
    StreamAdapter three = open(b -> b.database(3));
    zero.set("g", "in-zero", json("{}"));
    three.set("g", "in-three", json("{}"));
    assertThat(zero.getGroup("g")).extracting(d -> d.get("id").asText()).containsExactly("in-zero");
    assertThat(three.getGroup("g")).extracting(d -> d.get("id").asText()).containsExactly("in-three");
    assertThat(three.get("g", "in-zero")).isEmpty();
    assertThat(three.clear("g")).isEqualTo(1);
    assertThat(zero.get("g", "in-zero")).isPresent();
  }

  @Test
  @DisplayName("C1 — adapters with different key prefixes do not see each other's items")
  void keyPrefixesAreSeparate() {
    StreamAdapter first = open(b -> b.keyPrefix("app1:").eventPrefix("app1-events:"));
    StreamAdapter second = open(b -> b.keyPrefix("app2:").eventPrefix("app2-events:"));
    EventRecorder secondEvents = new EventRecorder("handler of the second prefix");
    second.subscribe(StreamChannel.group("g"), secondEvents);
    first.set("g", "a", json("{}"));
    second.set("g", "b", json("{}"));
    assertThat(first.getGroup("g")).extracting(d -> d.get("id").asText()).containsExactly("a");
    assertThat(second.getGroup("g")).extracting(d -> d.get("id").asText()).containsExactly("b");
    assertThat(first.query("g", Query.all())).hasSize(1);
    assertThat(second.clear("g")).isEqualTo(1);
    assertThat(first.get("g", "a")).isPresent();
    secondEvents.awaitTypes("create", "delete");
  }

  /**
   * Opens and closes one adapter on the shared server, so that a timing below measures the backend's
   * timeouts and not the JVM loading the client's classes (seconds for Lettuce on a cold, loaded JVM).
   */
  private void warmUp() {
    provider().open(redis.endpoint().applyTo(StreamConfig.builder()).build()).close();
  }

  @Test
  @DisplayName("C1 — clusterNodes naming a server that is no cluster node fail the open with StreamConnectionException naming the seeds")
  void clusterNodesOfAServerThatIsNoClusterFail() {
    StreamConfig config = redis.endpoint().applyTo(StreamConfig.builder())
        .clusterNodes("127.0.0.1:" + redis.endpoint().port()).build();
    assertThatThrownBy(() -> provider().open(config))
        .isInstanceOf(StreamConnectionException.class)
        .hasMessageContaining("cluster 127.0.0.1:" + redis.endpoint().port())
        .hasMessageContaining("cluster support disabled");
  }

  @Test
  @DisplayName("C4 — a port where nothing listens fails at once with StreamConnectionException naming host:port")
  void closedPortFails() throws IOException {
    warmUp();
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    long start = System.nanoTime();
    assertThatThrownBy(() -> provider().open(StreamConfig.builder()
        .host("127.0.0.1").port(port).connectTimeout(Duration.ofSeconds(2)).build()))
        .isInstanceOf(StreamConnectionException.class)
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageNotContaining(TlsFamily.TLS_HINT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  @DisplayName("C4 — a server that never answers fails within the connect timeout plus a margin, not a hang")
  void unansweringServerFailsWithinTimeout() throws IOException {
    warmUp();
    // A listener that never accepts, its backlog filled: new connections are not completed.
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> fillers = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          Socket filler = new Socket();
          try {
            filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()), 200);
          } catch (IOException full) {
            // The backlog is full: exactly the state wanted.
          }
          fillers.add(filler);
        }
        Duration timeout = Duration.ofSeconds(1);
        long start = System.nanoTime();
        assertThatThrownBy(() -> provider().open(StreamConfig.builder()
            .host("127.0.0.1").port(silent.getLocalPort())
            .connectTimeout(timeout).commandTimeout(timeout).build()))
            .isInstanceOf(StreamConnectionException.class)
            .hasMessageContaining("127.0.0.1:" + silent.getLocalPort())
            .hasMessageNotContaining(TlsFamily.TLS_HINT);
        // Connect or first reply, whichever the kernel makes wait: each is bounded by 1 s.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.plusSeconds(2));
      } finally {
        for (Socket filler : fillers) {
          filler.close();
        }
      }
    }
  }

  @Test
  @DisplayName("C4 — a server on the port that does not speak Redis (HTML, garbage) fails saying so, naming host:port, not with the client's parser text")
  void nonRedisServerIsNamedAsSuch() throws Exception {
    warmUp();
    for (String reply : List.of("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n<html>no</html>\r\n",
        "\u0000\u0001garbage\r\n")) {
      try (NotRedis server = new NotRedis(reply)) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> provider().open(StreamConfig.builder()
            .host("127.0.0.1").port(server.port())
            .connectTimeout(Duration.ofSeconds(2)).commandTimeout(Duration.ofSeconds(2)).build()).close())
            .as("reply %s", reply.substring(0, 6))
            .isInstanceOf(StreamConnectionException.class)
            .hasMessage("Redis at 127.0.0.1:" + server.port()
                + " failed while connecting: the server did not answer as Redis does");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      }
    }
  }

  /** A TCP server on a loopback port that answers every connection with one fixed text, then waits. */
  private static final class NotRedis implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    NotRedis(String reply) throws IOException {
      acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            Socket client = socket.accept();
            accepted.add(client);
            client.getOutputStream().write(reply.getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
          } catch (IOException e) {
            // Closed: the test is over, or the client left.
          }
        }
      }, "not-redis-" + socket.getLocalPort());
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket client : accepted) {
        client.close();
      }
    }
  }

  @Test
  @DisplayName("K7 — a hash at a data key fails get, getGroup, query, delete, set and clear with StreamDataException naming the key; the hash is untouched")
  void wrongRedisType() {
    StreamAdapter adapter = open(UnaryOperator.identity());
    adapter.set("typed", "fine", json("{}"));
    String key = "motia:stream:typed:h";
    redis.command("HSET", key, "field", "value");
    assertThatThrownBy(() -> adapter.get("typed", "h"))
        .isInstanceOf(StreamDataException.class).hasMessageContaining(key)
        .satisfies(e -> assertThat(((StreamDataException) e).key()).isEqualTo(key));
    assertThatThrownBy(() -> adapter.getGroup("typed"))
        .isInstanceOf(StreamDataException.class).hasMessageContaining(key).hasMessageContaining("hash");
    assertThatThrownBy(() -> adapter.query("typed", Query.all()))
        .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
    assertThatThrownBy(() -> adapter.delete("typed", "h"))
        .isInstanceOf(StreamDataException.class).hasMessageContaining(key).hasMessageContaining("hash");
    assertThatThrownBy(() -> adapter.set("typed", "h", json("{}")))
        .isInstanceOf(StreamDataException.class).hasMessageContaining(key).hasMessageContaining("hash");
    assertThat(adapter.get("typed", "fine")).isPresent();
    // O7: the items go, the hash stays and is named once they are gone.
    assertThatThrownBy(() -> adapter.clear("typed"))
        .isInstanceOf(StreamDataException.class).hasMessageContaining(key).hasMessageContaining("hash");
    assertThat(redis.command("EXISTS", "motia:stream:typed:fine")).isEqualTo(0L);
    assertThat(redis.command("TYPE", key)).isEqualTo("hash");
    assertThat(redis.command("HGETALL", key)).isEqualTo(List.of("field", "value"));
  }

  @Test
  @DisplayName("K7 — a group read that fails on foreign text while later pages are on their way leaves every connection answering its own calls")
  void abandonedReadLeavesConnectionsClean() {
    StreamAdapter adapter = open(UnaryOperator.identity());
    // Several SCAN pages, so that the read is pipelining the next page when the bad value is parsed.
    List<String> keysAndValues = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      keysAndValues.add("motia:stream:big:i" + i);
      keysAndValues.add("{\"id\":\"i" + i + "\",\"n\":" + i + "}");
    }
    List<String> mset = new ArrayList<>(List.of("MSET"));
    mset.addAll(keysAndValues);
    redis.command(mset.toArray(String[]::new));
    // Ten of them, so that some sit on a page before the last whatever order SCAN takes.
    for (int i = 0; i < 10; i++) {
      redis.command("SET", "motia:stream:big:bad" + i, "not json");
    }
    // 80 abandoned reads: more than a Jedis pool holds, so a step that kept its connection would
    // exhaust the pool and fail the later calls.
    for (int round = 0; round < 40; round++) {
      assertThatThrownBy(() -> adapter.getGroup("big"))
          .isInstanceOf(StreamDataException.class).hasMessageContaining("motia:stream:big:bad");
      assertThatThrownBy(() -> adapter.query("big", Query.builder().where("n", 1).build()))
          .isInstanceOf(StreamDataException.class).hasMessageContaining("motia:stream:big:bad");
      // A connection left with unread replies would answer these with another call's reply.
      String id = "i" + (round * 97);
      assertThat(adapter.get("big", id)).map(d -> d.get("n").asInt()).contains(round * 97);
      adapter.set("other", "x" + round, json("{\"round\":" + round + "}"));
      assertThat(adapter.get("other", "x" + round)).map(d -> d.get("round").asInt()).contains(round);
    }
    for (int i = 0; i < 10; i++) {
      redis.command("DEL", "motia:stream:big:bad" + i);
    }
    assertThat(adapter.getGroup("big")).hasSize(5_000);
    assertThat(adapter.query("big", Query.builder().where("n", 4_999).build()))
        .extracting(d -> d.get("id").asText()).containsExactly("i4999");
  }

  @Test
  @DisplayName("O2 — set and delete still work after the server forgot the scripts (NOSCRIPT falls back to EVAL)")
  void scriptCacheFlushed() {
    StreamAdapter adapter = open(UnaryOperator.identity());
    EventRecorder events = new EventRecorder("group handler");
    adapter.subscribe(StreamChannel.group("g"), events);
    adapter.set("g", "a", json("{}"));
    redis.command("SCRIPT", "FLUSH");
    adapter.set("g", "a", json("{\"v\":2}"));
    redis.command("SCRIPT", "FLUSH");
    assertThat(adapter.delete("g", "a")).isPresent();
    redis.command("SCRIPT", "FLUSH");
    adapter.set("g", "b", json("{}"));
    assertThat(adapter.clear("g")).isEqualTo(1);
    events.awaitTypes("create", "update", "delete", "create", "delete");
  }

  private static void assertNoSecret(Throwable failure, String... secrets) {
    for (Throwable t : causes(failure)) {
      for (String secret : secrets) {
        assertThat(String.valueOf(t.getMessage())).as("message of %s", t.getClass()).doesNotContain(secret);
        assertThat(String.valueOf(t)).doesNotContain(secret);
      }
    }
  }
}
