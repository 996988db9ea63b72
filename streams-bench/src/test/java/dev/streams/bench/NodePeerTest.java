package dev.streams.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import dev.streams.redis.server.RedisServerProcess;
import dev.streams.redis.server.RespConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The peer's rows compare like with like only if it stores what a backend stores. The published Node
 * adapter keeps another layout (one hash per group, {@code _createdAt} added, events on the item's
 * channel only): this pins that difference, so that a new pinned version that changes it shows here.
 */
class NodePeerTest {

  private static RedisServerProcess server;
  private static RespConnection admin;
  private static Path peerDir;

  @BeforeAll
  static void setUp() throws Exception {
    // Fails, never skips, without Node, npm or a redis-server: the bench needs them anyway.
    peerDir = NodePeer.directory();
    NodePeer.install(peerDir);
    server = RedisServerProcess.start();
    admin = RespConnection.open(server.endpoint(), Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopServer() {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis-jedis", "redis-lettuce"})
  @DisplayName("the peer's set stores and publishes the backend's document, with _createdAt, in its group's hash")
  void peerSetIsTheBackendsSetInTheNodeLayout(String backend) throws Exception {
    admin.call("FLUSHALL");
    StreamConfig config = server.endpoint().applyTo(StreamConfig.builder()).backend(backend).build();
    String groupChannel = "motia:stream:events:" + NodePeer.STREAM + ":g";
    String itemChannel = groupChannel + ":a";
    List<String> onGroup = new CopyOnWriteArrayList<>();
    List<String> onItem = new CopyOnWriteArrayList<>();
    try (StreamAdapter adapter = Streams.open(config);
        BareClient listener = BareClient.jedis(server.port());
        AutoCloseable group = listener.subscribe(groupChannel, onGroup::add);
        AutoCloseable item = listener.subscribe(itemChannel, onItem::add);
        NodePeer peer = NodePeer.start(peerDir, server.port())) {
      adapter.set("g", "a", StreamsBench.item(7));
      String document = (String) admin.call("GET", "motia:stream:g:a");

      String returned = peer.run("store g a 7").get("stored").toString();
      String stored = (String) admin.call("HGET", "motia:stream:" + NodePeer.STREAM + ":group:g", "a");

      // The backend's bytes, then the time of the write: the only difference in what is stored.
      assertThat(stored).isEqualTo(returned)
          .startsWith(document.substring(0, document.length() - 1) + ",\"_createdAt\":")
          .matches(".*,\"_createdAt\":\\d{13}}");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(onItem).hasSize(1));
      assertThat(onItem.get(0)).isEqualTo("{\"type\":\"create\",\"data\":" + stored + "}");
      // Nothing on the group's channel: a marker published after the set arrives alone.
      admin.call("PUBLISH", groupChannel, "marker");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(onGroup).isNotEmpty());
      assertThat(onGroup).containsExactly("marker");
    }
  }
}
