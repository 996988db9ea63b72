package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.streams.StreamConfig;
import dev.streams.StreamLayout;
import dev.streams.redis.server.RawSubscriber;
import dev.streams.redis.server.RedisClusterProcess;
import dev.streams.redis.server.RedisClusterProcess.Node;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.server.RespConnection;
import dev.streams.tck.RawListener;
import dev.streams.tck.RawView;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TCK store on a cluster puts each raw command on its key's slot owner, sees the keys of every
 * primary, carries raw events the way the layout's adapters do (L3), holds the writes of every
 * primary, and configures adapters with the cluster's seed nodes and database 0.
 */
class RedisClusterTckStoreTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @RegisterExtension
  static final RedisClusterExtension redis = RedisClusterExtension.primariesOnly();

  private static RedisClusterTckStore store(StreamLayout layout) {
    return new RedisClusterTckStore(redis, new RedisServerRequirementTest.Unreachable(), layout);
  }

  @Test
  @DisplayName("configure gives the seed nodes as clusterNodes and database 0, refuses database 1, and offers no second database")
  void configure() {
    try (RedisClusterTckStore store = store(StreamLayout.FLAT)) {
      StreamConfig config = store.configure(StreamConfig.builder().keyPrefix("p:").build());

      assertThat(store.backendName()).isEqualTo("unreachable");
      assertThat(config.isCluster()).isTrue();
      assertThat(config.clusterNodes()).extracting(InetSocketAddress::getPort)
          .containsExactlyElementsOf(redis.seeds().stream().map(RedisEndpoint::port).toList());
      assertThat(config.clusterNodes()).extracting(InetSocketAddress::getHostString).containsOnly("127.0.0.1");
      assertThat(config.database()).isZero();
      assertThat(config.keyPrefix()).isEqualTo("p:");
      assertThat(config.username()).isEmpty();
      assertThat(config.password()).isEmpty();
      assertThat(store.offersSecondDatabase()).isFalse();
      assertThatThrownBy(() -> store.configure(StreamConfig.builder().database(1).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("database 1").hasMessageContaining("only database 0");
    }
  }

  @Test
  @DisplayName("putForeign, get, putForeignHash and getHash of keys of every primary work on the key's owner; keys() lists them all; the store flushes every primary before and after")
  void keysLandOnTheirOwners() {
    RedisClusterProcess cluster = redis.cluster();
    List<Node> primaries = cluster.primaries();
    assertThat(primaries).hasSize(3);
    Map<Node, String> keyOf = new LinkedHashMap<>();
    Map<Node, String> hashOf = new LinkedHashMap<>();
    for (Node primary : primaries) {
      keyOf.put(primary, keyOwnedBy(primary, "flat:"));
      hashOf.put(primary, keyOwnedBy(primary, "hash:"));
      cluster.command(primary, "SET", keyOwnedBy(primary, "left-over:"), "from before");
    }

    try (RedisClusterTckStore store = store(StreamLayout.FLAT)) {
      RawView raw = store.rawView().orElseThrow();
      assertThat(raw.keys()).as("flushed at construction").isEmpty();
      for (Node primary : primaries) {
        String key = keyOf.get(primary);
        raw.putForeign(key, "value of " + key);
        assertThat(cluster.command(primary, "GET", key)).isEqualTo("value of " + key);
        assertThat(raw.get(key)).contains("value of " + key);

        String hash = hashOf.get(primary);
        assertThat(raw.putForeignHash(hash, "f", "v of " + hash)).isTrue();
        assertThat(cluster.command(primary, "HGET", hash, "f")).isEqualTo("v of " + hash);
        assertThat(raw.getHash(hash)).containsExactly(Map.entry("f", "v of " + hash));
      }
      assertThat(raw.get("flat:absent")).isEmpty();
      assertThat(raw.getHash("hash:absent")).isEmpty();

      List<String> all = new ArrayList<>(keyOf.values());
      all.addAll(hashOf.values());
      assertThat(raw.keys()).containsExactlyInAnyOrderElementsOf(all);
    }
    for (Node primary : primaries) {
      assertThat(cluster.command(primary, "DBSIZE")).as("flushed at close: %s", primary).isEqualTo(0L);
    }
  }

  @Test
  @DisplayName("under hash, listen is a sharded subscriber on the channel's owner: it hears SPUBLISH there and no PUBLISH; publish is an SPUBLISH there")
  void hashEventsAreSharded() {
    RedisClusterProcess cluster = redis.cluster();
    String channel = "events:{group}";
    Node owner = cluster.ownerOf(channel);
    try (RedisClusterTckStore store = store(StreamLayout.HASH);
        RawListener listener = store.rawView().orElseThrow().listen(channel)) {
      // The same node and connection for both: had the PUBLISH reached the listener, it would be
      // there before the SPUBLISH that follows it.
      try (RespConnection publisher = RespConnection.open(owner.endpoint(), PATIENCE)) {
        publisher.call("PUBLISH", channel, "classic");
        assertThat(publisher.call("SPUBLISH", channel, "sharded")).isEqualTo(1L);
      }
      await().atMost(PATIENCE).until(() -> listener.messages().contains("sharded"));
      assertThat(listener.messages()).containsExactly("sharded");

      List<String> heard = new CopyOnWriteArrayList<>();
      try (RawSubscriber other = RawSubscriber.startSharded(owner.endpoint(), channel,
          message -> heard.add(new String(message, StandardCharsets.UTF_8)))) {
        store.rawView().orElseThrow().publish(channel, "from the store");
        await().atMost(PATIENCE).until(() -> heard.contains("from the store"));
      }
    }
    // What makes the owner matter: another primary refuses a shard subscription of the channel.
    Node other = cluster.primaries().stream().filter(n -> !n.equals(owner)).findFirst().orElseThrow();
    assertThatThrownBy(() -> RawSubscriber.startSharded(other.endpoint(), channel, message -> {}))
        .isInstanceOf(RespConnection.RedisReplyError.class).hasMessageStartingWith("MOVED");
  }

  @Test
  @DisplayName("under flat, listen hears a PUBLISH made on any primary, and publish reaches subscribers on every primary")
  void flatEventsAreClusterWide() {
    RedisClusterProcess cluster = redis.cluster();
    String channel = "events:flat";
    List<Node> primaries = cluster.primaries();
    try (RedisClusterTckStore store = store(StreamLayout.FLAT);
        RawListener listener = store.rawView().orElseThrow().listen(channel)) {
      // The listener is on one node; at least two of these come from another one.
      List<String> sent = new ArrayList<>();
      for (Node primary : primaries) {
        String message = "from " + primary.port();
        cluster.command(primary, "PUBLISH", channel, message);
        sent.add(message);
      }
      await().atMost(PATIENCE).until(() -> listener.messages().containsAll(sent));

      List<List<String>> heard = new ArrayList<>();
      List<RawSubscriber> subscribers = new ArrayList<>();
      try {
        for (Node primary : primaries) {
          List<String> messages = new CopyOnWriteArrayList<>();
          heard.add(messages);
          subscribers.add(RawSubscriber.start(primary.endpoint(), channel,
              message -> messages.add(new String(message, StandardCharsets.UTF_8))));
        }
        store.rawView().orElseThrow().publish(channel, "from the store");
        await().atMost(PATIENCE).until(() -> heard.stream().allMatch(m -> m.contains("from the store")));
      } finally {
        subscribers.forEach(RawSubscriber::close);
      }
    }
  }

  @Test
  @DisplayName("holdWrites makes a write on every primary wait while reads go on; closing the hold lets them all through")
  void holdWritesPausesEveryPrimary() throws Exception {
    RedisClusterProcess cluster = redis.cluster();
    List<Node> primaries = cluster.primaries();
    Map<Node, RespConnection> writers = new LinkedHashMap<>();
    try (RedisClusterTckStore store = store(StreamLayout.FLAT)) {
      RawView raw = store.rawView().orElseThrow();
      Map<Node, String> keyOf = new LinkedHashMap<>();
      for (Node primary : primaries) {
        keyOf.put(primary, keyOwnedBy(primary, "held:"));
        RespConnection writer = RespConnection.open(primary.endpoint(), PATIENCE);
        writers.put(primary, writer);
        writer.call("CLIENT", "SETNAME", "held-writer");
      }
      AutoCloseable hold = store.holdWrites().orElseThrow();
      try {
        for (Node primary : primaries) {
          writers.get(primary).send("SET", keyOf.get(primary), "written");
        }
        for (Node primary : primaries) {
          // The server's own word that the SET waits: the writer is blocked (flags=b) on it.
          await().atMost(PATIENCE).until(() -> heldWriter(cluster, primary).contains("flags=b"));
          assertThat(heldWriter(cluster, primary)).contains("cmd=set");
          assertThat(raw.get(keyOf.get(primary))).as("a read goes on, the write has not happened").isEmpty();
        }
      } finally {
        hold.close();
      }
      for (Node primary : primaries) {
        assertThat(writers.get(primary).readReply()).isEqualTo("OK");
        assertThat(raw.get(keyOf.get(primary))).contains("written");
      }
    } finally {
      writers.values().forEach(RespConnection::close);
    }
  }

  /** @return the CLIENT LIST line of the held writer on the node */
  private static String heldWriter(RedisClusterProcess cluster, Node node) {
    String clients = (String) cluster.command(node, "CLIENT", "LIST");
    for (String line : clients.split("\n")) {
      if (line.contains(" name=held-writer ")) {
        return line;
      }
    }
    throw new AssertionError("no client named held-writer on " + node + ": " + clients);
  }

  /** @return the first of {@code prefix0}, {@code prefix1} ... whose slot the primary owns */
  private static String keyOwnedBy(Node primary, String prefix) {
    RedisClusterProcess cluster = redis.cluster();
    for (int i = 0; i < 200; i++) {
      String key = prefix + i;
      if (cluster.ownerOf(key).equals(primary)) {
        return key;
      }
    }
    throw new AssertionError("none of 200 keys " + prefix + "N is owned by " + primary);
  }
}
