package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.streams.StreamConfig;
import dev.streams.redis.server.RedisClusterProcess;
import dev.streams.redis.server.RedisClusterProcess.MigrationStep;
import dev.streams.redis.server.RedisClusterProcess.Node;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.server.RespConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cluster fixture does what fault tests rely on, on one shared cluster of 3 primaries with a
 * replica each: every test leaves it with 3 primaries and 3 replicas, whichever order they run in.
 */
class RedisClusterProcessTest {

  @RegisterExtension
  static final RedisClusterExtension redis = RedisClusterExtension.withReplicas().flushBetweenTests();

  @Test
  @DisplayName("the cluster comes up with 3 primaries of a replica each, every slot owned, every node ok")
  void clusterForms() {
    RedisClusterProcess cluster = redis.cluster();
    assertThat(cluster.nodes()).hasSize(6);
    assertThat(cluster.primaries()).hasSize(3);
    for (Node primary : cluster.primaries()) {
      assertThat(cluster.replicasOf(primary)).hasSize(1);
    }
    for (Node node : cluster.nodes()) {
      assertThat((String) cluster.command(node, "CLUSTER", "INFO")).contains("cluster_state:ok")
          .contains("cluster_slots_assigned:16384").contains("cluster_known_nodes:6");
      // What a client that starts from CLUSTER SLOTS knows: every primary with its replica.
      List<?> slots = (List<?>) cluster.command(node, "CLUSTER", "SLOTS");
      assertThat(slots).as("slot ranges").isNotEmpty()
          .allSatisfy(range -> assertThat((List<?>) range).as("range, primary and replica").hasSize(4));
    }
    assertThat(cluster.seeds()).hasSize(6).allSatisfy(seed -> assertThat(seed.port()).isNotEqualTo(6379));
  }

  @Test
  @DisplayName("a key is stored on the primary that owns its slot; the others answer MOVED to that primary")
  void keysLandOnTheirSlotOwner() {
    RedisClusterProcess cluster = redis.cluster();
    for (int i = 0; i < 30; i++) {
      String key = "key-" + i;
      Node owner = cluster.ownerOf(key);
      assertThat(cluster.command(owner, "SET", key, "v" + i)).isEqualTo("OK");
      assertThat(cluster.command(owner, "GET", key)).isEqualTo("v" + i);
      for (Node other : cluster.primaries()) {
        if (!other.equals(owner)) {
          assertThatThrownBy(() -> cluster.command(other, "GET", key))
              .isInstanceOf(RespConnection.RedisReplyError.class)
              .hasMessage("MOVED " + cluster.slotOf(key) + " 127.0.0.1:" + owner.port());
        }
      }
    }
    assertThat(cluster.slotOf("{group}.a")).isEqualTo(cluster.slotOf("{group}.b"));
  }

  @Test
  @DisplayName("a killed primary's replica takes over its slots, data and shard subscribers; restarted, the old primary rejoins as its replica")
  void failover() {
    RedisClusterProcess cluster = redis.cluster();
    String key = "failover-key";
    Node primary = cluster.ownerOf(key);
    Node replica = cluster.replicasOf(primary).get(0);
    cluster.command(primary, "SET", key, "kept");
    assertThat(cluster.command(primary, "WAIT", "1", "4000")).isEqualTo(1L);
    // A replica takes shard subscribers for its primary's slots (and gets its SPUBLISHes).
    String channel = "{failover-key}.events";
    try (RespConnection subscriber = RespConnection.open(replica.endpoint(), Duration.ofSeconds(30))) {
      subscriber.send("SSUBSCRIBE", channel);
      assertThat(subscriber.readReply()).isEqualTo(List.of("ssubscribe", channel, 1L));
      cluster.command(primary, "SPUBLISH", channel, "before");
      assertThat(subscriber.readReply()).isEqualTo(List.of("smessage", channel, "before"));

      Node promoted = cluster.killPrimary(primary);

      assertThat(promoted).isEqualTo(replica);
      assertThat(primary.isAlive()).isFalse();
      assertThat(cluster.ownerOf(key)).isEqualTo(promoted);
      assertThat(cluster.command(promoted, "GET", key)).isEqualTo("kept");
      assertThat(cluster.primaries()).hasSize(3).doesNotContain(primary);
      // Redis 7 fact the backends build on: the promoted replica keeps its shard subscribers.
      cluster.command(promoted, "SPUBLISH", channel, "after");
      assertThat(subscriber.readReply()).isEqualTo(List.of("smessage", channel, "after"));

      cluster.restart(primary);

      assertThat(primary.isAlive()).isTrue();
      assertThat(cluster.replicasOf(promoted)).containsExactly(primary);
      assertThatThrownBy(() -> cluster.command(primary, "GET", key))
          .hasMessage("MOVED " + cluster.slotOf(key) + " 127.0.0.1:" + promoted.port());
    } finally {
      // The other tests share the cluster: leave it with 3 primaries and 3 replicas.
      if (!primary.isAlive()) {
        cluster.restart(primary);
      }
    }
  }

  @Test
  @DisplayName("a slot moves with its keys in batches; mid-move the source answers ASK for moved keys; then the target owns it")
  void slotMigration() {
    RedisClusterProcess cluster = redis.cluster();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      keys.add("{moving}." + i);
    }
    int slot = cluster.slotOf(keys.get(0));
    Node source = cluster.ownerOfSlot(slot);
    Node target = cluster.primaries().stream().filter(n -> !n.equals(source)).findFirst().orElseThrow();
    keys.forEach(key -> cluster.command(source, "SET", key, key));
    List<MigrationStep> steps = new ArrayList<>();

    cluster.migrateSlot(slot, target, step -> {
      steps.add(step);
      if (step == MigrationStep.SLOT_MARKED) {
        assertThat(cluster.command(source, "GET", keys.get(0))).isEqualTo(keys.get(0));
      }
      if (step == MigrationStep.KEYS_MOVED) {
        assertThat(cluster.command(source, "CLUSTER", "COUNTKEYSINSLOT", Integer.toString(slot))).isEqualTo(0L);
        assertThat(cluster.ownerOfSlot(slot)).isEqualTo(source);
        assertThatThrownBy(() -> cluster.command(source, "GET", keys.get(0)))
            .hasMessage("ASK " + slot + " 127.0.0.1:" + target.port());
      }
    });

    assertThat(steps).containsExactly(MigrationStep.SLOT_MARKED, MigrationStep.BATCH_MOVED,
        MigrationStep.BATCH_MOVED, MigrationStep.BATCH_MOVED, MigrationStep.KEYS_MOVED);
    assertThat(cluster.ownerOfSlot(slot)).isEqualTo(target);
    for (Node node : cluster.nodes()) {
      assertThat(cluster.command(node, "CLUSTER", "NODES").toString()).as("view of %s", node)
          .contains(target.id() + " ");
    }
    assertThat(cluster.command(target, "CLUSTER", "COUNTKEYSINSLOT", Integer.toString(slot))).isEqualTo(250L);
    keys.forEach(key -> assertThat(cluster.command(target, "GET", key)).isEqualTo(key));
    assertThatThrownBy(() -> cluster.command(source, "GET", keys.get(0)))
        .hasMessage("MOVED " + slot + " 127.0.0.1:" + target.port());
    assertThatThrownBy(() -> cluster.migrateSlot(slot, target))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
  }

  @Test
  @DisplayName("a move that fails half way leaves the cluster unhealthy, and says which slot is half moved")
  void aHalfMovedSlotIsNotHealthy() {
    RedisClusterProcess cluster = redis.cluster();
    String key = "{half-moved}.1";
    int slot = cluster.slotOf(key);
    Node source = cluster.ownerOfSlot(slot);
    Node target = cluster.primaries().stream().filter(n -> !n.equals(source)).findFirst().orElseThrow();
    cluster.command(source, "SET", key, "v");
    try {
      assertThatThrownBy(() -> cluster.migrateSlot(slot, target, step -> {
        if (step == MigrationStep.SLOT_MARKED) {
          throw new IllegalStateException("stopped by the test");
        }
      })).hasMessage("stopped by the test");

      assertThat(cluster.currentProblem()).hasValueSatisfying(problem -> assertThat(problem)
          .contains("half moved").contains(Integer.toString(slot)));
    } finally {
      for (Node node : List.of(source, target)) {
        cluster.command(node, "CLUSTER", "SETSLOT", Integer.toString(slot), "STABLE");
      }
      cluster.awaitHealthy();
    }
    assertThat(cluster.command(source, "GET", key)).isEqualTo("v");
  }

  @Test
  @DisplayName("Redis 7 fact the backends build on: a shard subscriber hears sunsubscribe when its channel's slot moves away")
  void shardSubscribersAreUnsubscribedWhenTheSlotMoves() {
    RedisClusterProcess cluster = redis.cluster();
    String channel = "{shard-moving}.events";
    int slot = cluster.slotOf(channel);
    Node source = cluster.ownerOfSlot(slot);
    Node target = cluster.primaries().stream().filter(n -> !n.equals(source)).findFirst().orElseThrow();
    try (RespConnection subscriber = RespConnection.open(source.endpoint(), Duration.ofSeconds(30))) {
      subscriber.send("SSUBSCRIBE", channel);
      assertThat(subscriber.readReply()).isEqualTo(List.of("ssubscribe", channel, 1L));

      cluster.migrateSlot(slot, target);

      assertThat(subscriber.readReply()).isEqualTo(List.of("sunsubscribe", channel, 0L));
    }
  }

  @Test
  @DisplayName("Redis 7 facts the backends build on: SPUBLISH runs in a script on its keys' slot, not on another; SCRIPT LOAD stays on its node")
  void scriptsAndShardChannels() {
    RedisClusterProcess cluster = redis.cluster();
    String key = "{script}.doc";
    Node owner = cluster.ownerOf(key);
    String publish = "redis.call('SET', KEYS[1], 'x'); return redis.call('SPUBLISH', ARGV[1], 'm')";

    assertThat(cluster.command(owner, "EVAL", publish, "1", key, "{script}.events")).isEqualTo(0L);
    assertThat(cluster.slotOf("{other}.events")).isNotEqualTo(cluster.slotOf(key));
    assertThatThrownBy(() -> cluster.command(owner, "EVAL", publish, "1", key, "{other}.events"))
        .isInstanceOf(RespConnection.RedisReplyError.class)
        .hasMessageFindingMatch("non local key|do not hash to the same slot");

    String sha = (String) cluster.command(owner, "SCRIPT", "LOAD", "return 1");
    assertThat(cluster.command(owner, "WAIT", "1", "4000")).isEqualTo(1L);
    Node replica = cluster.replicasOf(owner).get(0);
    assertThat(cluster.command(owner, "SCRIPT", "EXISTS", sha)).isEqualTo(List.of(1L));
    assertThat(cluster.command(replica, "SCRIPT", "EXISTS", sha)).isEqualTo(List.of(0L));
  }

  @Test
  @DisplayName("a paused node answers nothing until it is resumed")
  void pauseAndResume() {
    RedisClusterProcess cluster = redis.cluster();
    Node replica = cluster.replicasOf(cluster.primaries().get(0)).get(0);
    cluster.pause(replica);
    try (RespConnection connection = RespConnection.open(replica.endpoint(), Duration.ofMillis(300))) {
      assertThatThrownBy(() -> connection.call("PING")).isInstanceOf(UncheckedIOException.class);
    } finally {
      cluster.resume(replica);
    }
    assertThat(cluster.command(replica, "PING")).isEqualTo("PONG");
    cluster.awaitHealthy();
  }

  @Test
  @DisplayName("close() kills every node of a cluster and frees its ports and bus ports")
  void closeLeavesNothingBehind() {
    List<ProcessHandle> processes = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try (RedisClusterProcess cluster = RedisClusterProcess.builder().primaries(3).start()) {
      assertThat(cluster.primaries()).hasSize(3);
      for (Node node : cluster.nodes()) {
        processes.add(ProcessHandle.of(node.process().pid()).orElseThrow());
        ports.add(node.port());
        ports.add(node.port() + 10000);
      }
    }
    assertThat(processes).hasSize(3).noneMatch(ProcessHandle::isAlive);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ports).allMatch(
        RedisClusterProcessTest::canBind));
  }

  @Test
  @DisplayName("a cluster with a password refuses clients without it, moves slots with it and configures adapters with it; no message shows it")
  void passwordCluster() {
    String password = "cluster-secret-4711";
    try (RedisClusterProcess cluster = RedisClusterProcess.builder().primaries(3).password(password).start()) {
      Node node = cluster.nodes().get(0);
      try (RespConnection anonymous = RespConnection.open(RedisEndpoint.of("127.0.0.1", node.port()), Duration.ofSeconds(5))) {
        assertThatThrownBy(() -> anonymous.call("GET", "k")).hasMessageStartingWith("NOAUTH");
      }
      String key = "{secret}.doc";
      int slot = cluster.slotOf(key);
      Node source = cluster.ownerOfSlot(slot);
      Node target = cluster.primaries().stream().filter(n -> !n.equals(source)).findFirst().orElseThrow();
      cluster.command(source, "SET", key, "v");

      cluster.migrateSlot(slot, target);

      assertThat(cluster.command(target, "GET", key)).isEqualTo("v");
      assertThat(cluster.toString()).doesNotContain(password);
      assertThat(cluster.seeds().toString()).doesNotContain(password);
      // What an adapter of this cluster is configured with: every node, its password, database 0.
      StreamConfig config = cluster.applyTo(StreamConfig.builder().database(2)).build();
      assertThat(config.clusterNodes()).extracting(InetSocketAddress::getPort)
          .containsExactlyElementsOf(cluster.nodes().stream().map(Node::port).toList());
      assertThat(config.password()).contains(password);
      assertThat(config.database()).isZero();
      assertThat(config.toString()).doesNotContain(password);
    }
  }

  private static boolean canBind(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
