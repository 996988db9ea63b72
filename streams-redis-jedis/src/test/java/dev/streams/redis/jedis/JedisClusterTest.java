package dev.streams.redis.jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.streams.ReconnectStrategy;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.StreamDataException;
import dev.streams.StreamEvent;
import dev.streams.StreamHealth;
import dev.streams.StreamLayout;
import dev.streams.json.StreamJson;
import dev.streams.redis.internal.RedisCommands;
import dev.streams.redis.server.RedisClusterProcess;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.testing.RedisClusterExtension;
import dev.streams.tck.EventRecorder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Jedis backend on a Redis Cluster of 3 primaries (L3): routed commands, group operations over
 * every primary, and events. The TCK on a cluster checks the contract; this checks what it does not
 * see: keys really spread over the nodes, one seed enough, the node views.
 *
 * <p>Each test has groups of its own: a node restarted by a test may deliver messages of the cluster
 * bus late, into the next test.
 */
@DisplayName("redis-jedis on a Redis Cluster")
class JedisClusterTest {

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.primariesOnly().flushBetweenTests();

  private final List<StreamAdapter> adapters = new ArrayList<>();

  @AfterEach
  void close() {
    adapters.forEach(StreamAdapter::close);
  }

  private StreamAdapter open(StreamLayout layout, RedisEndpoint... seeds) {
    return open(layout, StreamConfig.builder(), seeds);
  }

  private StreamAdapter open(StreamLayout layout, StreamConfig.Builder options, RedisEndpoint... seeds) {
    List<String> nodes = new ArrayList<>();
    for (RedisEndpoint seed : seeds.length == 0 ? cluster.seeds().toArray(RedisEndpoint[]::new) : seeds) {
      nodes.add(seed.address());
    }
    StreamAdapter adapter = new JedisStreamsProvider().open(options
        .backend(JedisStreamsProvider.NAME).clusterNodes(nodes).layout(layout).build());
    adapters.add(adapter);
    return adapter;
  }

  @Test
  @DisplayName("L3 — one seed is enough: items of a flat group land on every primary, and reads, group reads and clear see them all")
  void flatGroupSpreadsOverEveryPrimary() {
    StreamAdapter adapter = open(StreamLayout.FLAT, cluster.seeds().get(0));
    int count = 300;
    for (int i = 0; i < count; i++) {
      adapter.set("spread", "i" + i, StreamJson.readObject("{\"n\":" + i + "}"));
    }
    RedisClusterProcess process = cluster.cluster();
    Set<RedisClusterProcess.Node> owners = new HashSet<>();
    for (int i = 0; i < count; i++) {
      owners.add(process.ownerOf(adapter.dataKey("spread", "i" + i)));
    }
    assertThat(owners).as("the primaries holding the group's keys").hasSize(3);
    assertThat(adapter.get("spread", "i7")).hasValueSatisfying(item -> assertThat(item.get("n").asInt()).isEqualTo(7));
    assertThat(adapter.getGroup("spread")).hasSize(count)
        .extracting(item -> item.get("n").asInt())
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, count).boxed().toList());
    assertThat(adapter.delete("spread", "i7")).isPresent();
    assertThat(adapter.clear("spread")).isEqualTo(count - 1);
    assertThat(adapter.getGroup("spread")).isEmpty();
  }

  @Test
  @DisplayName("C4 — seeds where nothing listens fail the open with StreamConnectionException naming the seeds, not a password")
  void unreachableSeedsFail() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String password = "Kq9-otter-Pw-17";
    assertThatThrownBy(() -> new JedisStreamsProvider().open(StreamConfig.builder()
        .clusterNodes("127.0.0.1:" + port, "127.0.0.1:" + port).password(password)
        .connectTimeout(Duration.ofSeconds(2)).build()))
        .isInstanceOf(StreamConnectionException.class)
        .hasMessage("Redis at cluster 127.0.0.1:" + port + ",127.0.0.1:" + port
            + " failed while connecting: connection refused")
        .satisfies(e -> assertThat(e.toString()).doesNotContain(password));
  }

  @Test
  @DisplayName("L3 — while a slot of a flat group moves, half of its keys on each node, group reads, reads and clear still see every item once")
  void groupReadsDuringASlotMigration() {
    StreamAdapter adapter = open(StreamLayout.FLAT);
    int inSlot = 250;
    for (int i = 0; i < inSlot; i++) {
      // A hash tag in the id puts these keys in one slot, moved in batches of 100.
      adapter.set("moving-slot", "{s}i" + i, StreamJson.readObject("{\"n\":" + i + "}"));
    }
    for (int i = 0; i < 30; i++) {
      adapter.set("moving-slot", "other" + i, StreamJson.readObject("{}"));
    }
    RedisClusterProcess process = cluster.cluster();
    String key = adapter.dataKey("moving-slot", "{s}i0");
    int slot = process.slotOf(key);
    RedisClusterProcess.Node source = process.ownerOf(key);
    RedisClusterProcess.Node target = process.primaries().stream().filter(node -> !node.equals(source))
        .findFirst().orElseThrow();
    List<Integer> seen = new ArrayList<>();
    process.migrateSlot(slot, target, step -> {
      if (step == RedisClusterProcess.MigrationStep.BATCH_MOVED && seen.isEmpty()) {
        List<?> left = (List<?>) process.command(source, "CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), "1000");
        assertThat(left).as("keys of the slot still on the source").isNotEmpty().hasSizeLessThan(inSlot);
        List<?> arrived = (List<?>) process.command(target, "CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), "1");
        String moved = arrived.get(0).toString();
        String staying = left.get(0).toString();
        assertThat(adapter.getGroup("moving-slot")).hasSize(inSlot + 30);
        assertThat(adapter.get("moving-slot", moved.substring(moved.indexOf("{s}")))).as("a moved key, through ASK").isPresent();
        assertThat(adapter.get("moving-slot", staying.substring(staying.indexOf("{s}")))).as("a key not moved yet").isPresent();
        // One MGET of a moved and a staying key is answered TRYAGAIN: they are fetched one by one.
        List<String> values = ((JedisClusterAdapter) adapter).commands().mget(List.of(moved, staying));
        assertThat(values).hasSize(2).doesNotContainNull();
        seen.add(left.size());
      }
    });
    assertThat(seen).hasSize(1);
    assertThat(adapter.getGroup("moving-slot")).hasSize(inSlot + 30);
    assertThat(adapter.clear("moving-slot")).isEqualTo(inSlot + 30);
  }

  @Test
  @DisplayName("L3 — a foreign key of the group on any primary fails the group read naming it")
  void foreignKeyOnAnyPrimaryIsNamed() {
    StreamAdapter adapter = open(StreamLayout.FLAT);
    for (int i = 0; i < 30; i++) {
      adapter.set("foreign", "i" + i, StreamJson.readObject("{}"));
    }
    String key = adapter.dataKey("foreign", "foreign");
    RedisClusterProcess process = cluster.cluster();
    process.command(process.ownerOf(key), "HSET", key, "f", "v");
    assertThatThrownBy(() -> adapter.getGroup("foreign"))
        .isInstanceOf(StreamDataException.class)
        .hasMessageContaining(key);
  }

  @Test
  @DisplayName("L3 — the node views are the 3 primaries, and their MGET gives the values of keys of every slot in order")
  void nodeViewsArePrimaries() {
    StreamAdapter adapter = open(StreamLayout.FLAT);
    for (int i = 0; i < 40; i++) {
      adapter.set("views", "i" + i, StreamJson.readObject("{\"n\":" + i + "}"));
    }
    RedisCommands commands = ((JedisClusterAdapter) adapter).commands();
    assertThat(commands.isCluster()).isTrue();
    List<? extends RedisCommands> primaries = commands.primaries();
    assertThat(primaries).hasSize(3);
    List<String> keys = new ArrayList<>();
    for (int i = 39; i >= 0; i--) {
      keys.add(adapter.dataKey("views", "i" + i));
    }
    keys.add(adapter.dataKey("views", "absent"));
    keys.add(keys.get(0));
    List<String> values = primaries.get(0).mget(keys);
    assertThat(values).hasSize(42);
    assertThat(values.get(0)).contains("\"n\":39");
    assertThat(values.get(39)).contains("\"n\":0");
    assertThat(values.get(40)).isNull();
    assertThat(values.get(41)).isEqualTo(values.get(0));
    try (RedisCommands.PendingStep step = primaries.get(1).sendScanAndMget(
        RedisCommands.ScanPage.START, "*", 100, List.of(keys.subList(0, 20), keys.subList(20, 42)))) {
      RedisCommands.ScanStep answer = step.await();
      assertThat(answer.values()).isEqualTo(values);
      assertThat(answer.page()).isNotNull();
    }
  }

  @Test
  @DisplayName("L3 — each node view's PUBLISH runs on its own primary (the subscribe barrier's tokens), the routed one on one node")
  void nodeViewsPublishOnTheirNode() {
    StreamAdapter adapter = open(StreamLayout.FLAT);
    RedisCommands commands = ((JedisClusterAdapter) adapter).commands();
    RedisClusterProcess process = cluster.cluster();
    Set<RedisClusterProcess.Node> ran = new HashSet<>();
    for (RedisCommands view : commands.primaries()) {
      Map<RedisClusterProcess.Node, Long> before = publishCalls();
      view.publish("views-channel", "token");
      List<RedisClusterProcess.Node> changed = changedNodes(before, publishCalls());
      assertThat(changed).as("the nodes that ran the PUBLISH of %s", view).hasSize(1);
      assertThat(view.toString()).endsWith(":" + changed.get(0).port());
      ran.add(changed.get(0));
    }
    assertThat(ran).as("the nodes the views published on").containsExactlyInAnyOrderElementsOf(process.primaries());
    Map<RedisClusterProcess.Node, Long> before = publishCalls();
    commands.publish("views-channel", "routed");
    assertThat(changedNodes(before, publishCalls())).as("the nodes that ran the routed PUBLISH").hasSize(1);
  }

  /** @return each primary's count of PUBLISH calls it ran (INFO commandstats) */
  private Map<RedisClusterProcess.Node, Long> publishCalls() {
    RedisClusterProcess process = cluster.cluster();
    Map<RedisClusterProcess.Node, Long> calls = new LinkedHashMap<>();
    for (RedisClusterProcess.Node node : process.primaries()) {
      String stats = process.command(node, "INFO", "commandstats").toString();
      long count = stats.lines().filter(line -> line.startsWith("cmdstat_publish:calls="))
          .mapToLong(line -> Long.parseLong(line.substring("cmdstat_publish:calls=".length(), line.indexOf(','))))
          .findFirst().orElse(0);
      calls.put(node, count);
    }
    return calls;
  }

  private static List<RedisClusterProcess.Node> changedNodes(Map<RedisClusterProcess.Node, Long> before,
      Map<RedisClusterProcess.Node, Long> after) {
    return after.keySet().stream().filter(node -> !after.get(node).equals(before.get(node))).toList();
  }

  @Test
  @DisplayName("L3 — hash layout: a group is one hash on one primary; items, group reads and clear work")
  void hashGroup() {
    StreamAdapter adapter = open(StreamLayout.HASH);
    for (int i = 0; i < 50; i++) {
      adapter.set("hash", "i" + i, StreamJson.readObject("{\"n\":" + i + "}"));
    }
    assertThat(adapter.get("hash", "i3")).isPresent();
    assertThat(adapter.getGroup("hash")).hasSize(50);
    assertThat(adapter.clear("hash")).isEqualTo(50);
    assertThat(adapter.getGroup("hash")).isEmpty();
  }

  @Test
  @DisplayName("L3 — flat layout: a subscriber on one node gets the events of items written to every primary once each")
  void flatEventsFromEveryPrimary() {
    StreamAdapter subscriber = open(StreamLayout.FLAT);
    StreamAdapter writer = open(StreamLayout.FLAT);
    EventRecorder group = new EventRecorder("group handler");
    subscriber.subscribe(StreamChannel.group("events"), group);
    assertThat(nodesWithSubscriber()).as("the nodes with a subscriber connection").hasSize(1);
    List<String> ids = IntStream.range(0, 60).mapToObj(i -> "i" + i).toList();
    Set<RedisClusterProcess.Node> owners = new HashSet<>();
    for (String id : ids) {
      writer.set("events", id, StreamJson.readObject("{}"));
      owners.add(cluster.cluster().ownerOf(writer.dataKey("events", id)));
    }
    assertThat(owners).as("the primaries the items live on").hasSize(3);
    group.awaitCount(ids.size());
    // Each once, though the other primaries' events come over the cluster bus.
    assertThat(group.events()).extracting(event -> event.data().get("id").asText())
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(group.types()).containsOnly(StreamEvent.CREATE);
  }

  @Test
  @DisplayName("E2 — flat layout: items set on every primary just before a subscribe never reach it, those set after it arrive once each; 100 rounds on fresh groups")
  void flatSubscriberHearsNothingSetBeforeIt() {
    StreamAdapter subscriber = open(StreamLayout.FLAT);
    StreamAdapter writer = open(StreamLayout.FLAT);
    for (int round = 0; round < 100; round++) {
      String groupId = "before" + round;
      List<String> before = idsOnEveryPrimary(writer, groupId, "before");
      List<String> after = idsOnEveryPrimary(writer, groupId, "after");
      EventRecorder group = new EventRecorder("group handler of round " + round);
      for (String id : before) {
        writer.set(groupId, id, StreamJson.readObject("{}"));
      }
      try (var subscription = subscriber.subscribe(StreamChannel.group(groupId), group)) {
        for (String id : after) {
          writer.set(groupId, id, StreamJson.readObject("{}"));
        }
        group.awaitCount(after.size());
        // A late copy of an earlier event would come before the last of these, over the same link.
        assertThat(group.events()).as("round %d", round).extracting(event -> event.data().get("id").asText())
            .containsExactlyInAnyOrderElementsOf(after);
      }
    }
  }

  @Test
  @DisplayName("E7 — flat layout: the node of the subscriber connection dies; the subscriber reconnects to another node, each handler gets one sync, then live events")
  void flatSubscriberMovesToAnotherNode() {
    StreamAdapter subscriber = open(StreamLayout.FLAT, StreamConfig.builder()
        .connectTimeout(Duration.ofSeconds(1)).commandTimeout(Duration.ofSeconds(1))
        .reconnectStrategy(attempt -> ReconnectStrategy.retryAfter(Duration.ofMillis(50))));
    StreamAdapter writer = open(StreamLayout.FLAT);
    EventRecorder group = new EventRecorder("group handler");
    EventRecorder item = new EventRecorder("item handler");
    subscriber.subscribe(StreamChannel.group("moving"), group);
    subscriber.subscribe(StreamChannel.item("moving", "x"), item);
    List<RedisClusterProcess.Node> listening = nodesWithSubscriber();
    assertThat(listening).as("the nodes with a subscriber connection").hasSize(1);
    RedisClusterProcess.Node dead = listening.get(0);
    RedisClusterProcess process = cluster.cluster();
    process.kill(dead);
    try {
      await().atMost(EventRecorder.patience())
          .until(() -> group.types().contains(StreamEvent.SYNC) && item.types().contains(StreamEvent.SYNC));
      assertThat(nodesWithSubscriber()).as("the nodes the subscriber reconnected to")
          .hasSize(1).doesNotContain(dead);
    } finally {
      process.restart(dead);
    }
    await().atMost(EventRecorder.patience()).ignoreExceptions()
        .until(() -> writer.set("moving", "x", StreamJson.readObject("{}")) != null);
    group.awaitTypes(StreamEvent.SYNC, StreamEvent.CREATE);
    item.awaitTypes(StreamEvent.SYNC, StreamEvent.CREATE);
    assertThat(group.events().get(0).data().get("reason").asText()).isEqualTo(StreamEvent.REASON_RECONNECTED);
    assertThat(item.events().get(0).data().get("reason").asText()).isEqualTo(StreamEvent.REASON_RECONNECTED);
  }

  /** @return the live nodes with a pub/sub client connected */
  private List<RedisClusterProcess.Node> nodesWithSubscriber() {
    RedisClusterProcess process = cluster.cluster();
    return process.nodes().stream()
        .filter(RedisClusterProcess.Node::isAlive)
        .filter(node -> !process.command(node, "CLIENT", "LIST", "TYPE", "pubsub").toString().isBlank())
        .toList();
  }

  /** @return one item id of the group per primary: prefix0, prefix1, ... (at most 300 tried) */
  private List<String> idsOnEveryPrimary(StreamAdapter adapter, String groupId, String prefix) {
    RedisClusterProcess process = cluster.cluster();
    Map<RedisClusterProcess.Node, String> ids = new LinkedHashMap<>();
    for (int i = 0; i < 300 && ids.size() < process.primaries().size(); i++) {
      ids.putIfAbsent(process.ownerOf(adapter.dataKey(groupId, prefix + i)), prefix + i);
    }
    assertThat(ids).as("ids of %s on every primary", groupId).hasSameSizeAs(process.primaries());
    return List.copyOf(ids.values());
  }

  @Test
  @DisplayName("L3 — hash layout: sharded events of groups on every primary reach their handlers, and none of the others'")
  void hashEventsFromEveryPrimary() {
    StreamAdapter subscriber = open(StreamLayout.HASH);
    StreamAdapter writer = open(StreamLayout.HASH);
    RedisClusterProcess process = cluster.cluster();
    // Groups until one lives on each primary: a session per node.
    List<String> groups = new ArrayList<>();
    Set<RedisClusterProcess.Node> nodes = new HashSet<>();
    for (int i = 0; nodes.size() < 3 && i < 1000; i++) {
      String group = "sharded" + i;
      if (nodes.add(process.ownerOf(writer.dataKey(group, "x")))) {
        groups.add(group);
      }
    }
    assertThat(nodes).hasSize(3);
    List<EventRecorder> logs = new ArrayList<>();
    for (String group : groups) {
      EventRecorder log = new EventRecorder("handler of " + group);
      subscriber.subscribe(StreamChannel.group(group), log);
      logs.add(log);
    }
    EventRecorder item = new EventRecorder("item handler");
    subscriber.subscribe(StreamChannel.item(groups.get(1), "x"), item);
    for (String group : groups) {
      writer.set(group, "x", StreamJson.readObject("{}"));
    }
    writer.delete(groups.get(0), "x");
    logs.get(0).awaitTypes(StreamEvent.CREATE, StreamEvent.DELETE);
    logs.get(1).awaitTypes(StreamEvent.CREATE);
    logs.get(2).awaitTypes(StreamEvent.CREATE);
    item.awaitTypes(StreamEvent.CREATE);
    assertThat(subscriber.monitor().health().subscriber()).isEqualTo(StreamHealth.Subscriber.CONNECTED);
  }

  @Test
  @DisplayName("E7 — hash layout: the slot of a subscribed group moves to another primary; its handlers get exactly one sync (resubscribed), then the live events of a set made after the move; other handlers get nothing")
  void shardedResubscriptionAfterSlotMigration() {
    StreamAdapter subscriber = open(StreamLayout.HASH);
    StreamAdapter writer = open(StreamLayout.HASH);
    RedisClusterProcess process = cluster.cluster();
    String moved = "migrating";
    String stays = "staying";
    for (int i = 0; process.ownerOf(writer.dataKey(stays, "x"))
        .equals(process.ownerOf(writer.dataKey(moved, "x"))) && i < 1000; i++) {
      stays = "staying" + i;
    }
    String groupKey = writer.dataKey(moved, "x");
    String otherGroup = stays;
    int slot = process.slotOf(groupKey);
    RedisClusterProcess.Node source = process.ownerOf(groupKey);
    RedisClusterProcess.Node target = process.primaries().stream()
        .filter(node -> !node.equals(source) && !node.equals(process.ownerOf(
            writer.dataKey(otherGroup, "x"))))
        .findFirst().orElseGet(() -> process.primaries().stream().filter(node -> !node.equals(source))
            .findFirst().orElseThrow());
    writer.set(moved, "before", StreamJson.readObject("{}"));
    EventRecorder group = new EventRecorder("handler of the moving group");
    EventRecorder item = new EventRecorder("handler of an item of the moving group");
    EventRecorder other = new EventRecorder("handler of a group that stays");
    subscriber.subscribe(StreamChannel.group(moved), group);
    subscriber.subscribe(StreamChannel.item(moved, "after"), item);
    subscriber.subscribe(StreamChannel.group(stays), other);

    process.migrateSlot(slot, target);
    assertThat(process.ownerOf(groupKey)).isEqualTo(target);

    group.awaitTypes(StreamEvent.SYNC);
    item.awaitTypes(StreamEvent.SYNC);
    await().atMost(EventRecorder.patience())
        .until(() -> subscriber.monitor().health().subscriber() == StreamHealth.Subscriber.CONNECTED);
    writer.set(moved, "after", StreamJson.readObject("{}"));
    writer.set(stays, "other", StreamJson.readObject("{}"));
    group.awaitTypes(StreamEvent.SYNC, StreamEvent.CREATE);
    item.awaitTypes(StreamEvent.SYNC, StreamEvent.CREATE);
    other.awaitTypes(StreamEvent.CREATE);
    assertThat(group.events().get(0).data().get("reason").asText()).isEqualTo(StreamEvent.REASON_RESUBSCRIBED);
    assertThat(group.events().get(1).data().get("id").asText()).isEqualTo("after");
    assertThat(writer.get(moved, "before")).as("the item moved with its slot").isPresent();
  }

  @Test
  @DisplayName("E7 — hash layout: the node of a subscribed group is killed and restarted; its handlers get one sync (resubscribed), then live events; handlers of groups on other nodes get nothing")
  void shardedSessionLossIsRepaired() {
    assertShardedSessionRepaired(false);
  }

  @Test
  @DisplayName("E7 — hash layout: the node of a subscribed group freezes; the keepalive closes the silent session, and once the node answers again the handlers get one sync (resubscribed), then live events")
  void silentShardedSessionIsRepaired() {
    assertShardedSessionRepaired(true);
  }

  private void assertShardedSessionRepaired(boolean freeze) {
    String prefix = freeze ? "frozen" : "killed";
    StreamAdapter subscriber = open(StreamLayout.HASH, StreamConfig.builder()
        .connectTimeout(Duration.ofSeconds(1)).commandTimeout(Duration.ofSeconds(1))
        .keepAliveInterval(Duration.ofMillis(500))
        .reconnectStrategy(attempt -> ReconnectStrategy.retryAfter(Duration.ofMillis(100))));
    StreamAdapter writer = open(StreamLayout.HASH);
    RedisClusterProcess process = cluster.cluster();
    String lost = prefix;
    String kept = prefix + "-kept";
    for (int i = 0; process.ownerOf(writer.dataKey(kept, "x")).equals(process.ownerOf(writer.dataKey(lost, "x")))
        && i < 1000; i++) {
      kept = prefix + "-kept" + i;
    }
    RedisClusterProcess.Node node = process.ownerOf(writer.dataKey(lost, "x"));
    EventRecorder lostLog = new EventRecorder("handler of the group on the lost node");
    EventRecorder keptLog = new EventRecorder("handler of a group on another node");
    subscriber.subscribe(StreamChannel.group(lost), lostLog);
    subscriber.subscribe(StreamChannel.group(kept), keptLog);
    if (freeze) {
      process.pause(node);
    } else {
      process.kill(node);
    }
    try {
      await().atMost(EventRecorder.patience())
          .until(() -> subscriber.monitor().health().subscriber() == StreamHealth.Subscriber.RECONNECTING);
    } finally {
      if (freeze) {
        process.resume(node);
        process.awaitHealthy();
      } else {
        process.restart(node);
      }
    }
    lostLog.awaitTypes(StreamEvent.SYNC);
    await().atMost(EventRecorder.patience())
        .until(() -> subscriber.monitor().health().subscriber() == StreamHealth.Subscriber.CONNECTED);
    // The cluster may answer CLUSTERDOWN a little longer, and a pooled connection to the node fail once.
    await().atMost(EventRecorder.patience()).ignoreExceptions()
        .until(() -> writer.set(lost, "after", StreamJson.readObject("{}")) != null);
    writer.set(kept, "after", StreamJson.readObject("{}"));
    lostLog.awaitTypes(StreamEvent.SYNC, StreamEvent.CREATE);
    keptLog.awaitTypes(StreamEvent.CREATE);
    assertThat(lostLog.events().get(0).data().get("reason").asText()).isEqualTo(StreamEvent.REASON_RESUBSCRIBED);
  }
}
