package dev.streams.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamEvent;
import dev.streams.redis.internal.RedisSlots;
import dev.streams.redis.server.RedisClusterProcess;
import dev.streams.redis.server.RedisClusterProcess.Node;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.testing.RedisClusterExtension;
import dev.streams.tck.EventRecorder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("redis-lettuce on a Redis Cluster, flat layout (L3)")
class LettuceClusterTest {

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.primariesOnly().flushBetweenTests();

  private StreamAdapter adapter;

  @AfterEach
  void close() {
    if (adapter != null) {
      adapter.close();
    }
  }

  /** @return a configuration whose clusterNodes are the seeds of the extension's cluster */
  static StreamConfig.Builder clusterConfig(RedisClusterExtension of) {
    return StreamConfig.builder().clusterNodes(of.seeds().stream().map(RedisEndpoint::address).toList());
  }

  @Test
  @DisplayName("items of groups on every primary are written, read, listed by group and cleared")
  void itemsOnEveryPrimary() {
    adapter = new LettuceStreamsProvider().open(clusterConfig(cluster).build());
    RedisClusterProcess process = cluster.cluster();
    Set<String> owners = new HashSet<>();
    for (int g = 0; g < 12; g++) {
      String group = "g" + g;
      for (int i = 0; i < 5; i++) {
        adapter.set(group, "i" + i, Map.of("n", i));
      }
      owners.add(process.ownerOf(adapter.dataKey(group, "i0")).id());
    }
    // The groups spread over more than one primary, or this test would prove nothing of routing.
    assertThat(owners).hasSizeGreaterThan(1);
    for (int g = 0; g < 12; g++) {
      assertThat(adapter.get("g" + g, "i3")).hasValueSatisfying(node -> assertThat(node.get("n").asInt()).isEqualTo(3));
      assertThat(adapter.getGroup("g" + g)).hasSize(5);
    }
    assertThat(adapter.async().get("g1", "i4").toCompletableFuture().join()).isPresent();
    assertThat(adapter.delete("g2", "i0")).isPresent();
    assertThat(adapter.getGroup("g2")).hasSize(4);
    assertThat(adapter.clear("g3")).isEqualTo(5);
    assertThat(adapter.getGroup("g3")).isEmpty();
  }

  @Test
  @DisplayName("E2 — one classic subscriber connection on one node gets the events of items on every primary, each exactly once")
  void eventsOfEveryPrimary() {
    adapter = new LettuceStreamsProvider().open(clusterConfig(cluster).build());
    RedisClusterProcess process = cluster.cluster();
    List<String> groups = List.of("a", "b", "c", "d", "e", "f");
    Map<String, EventRecorder> recorders = new HashMap<>();
    Map<String, Collection<String>> items = new HashMap<>();
    for (String group : groups) {
      EventRecorder recorder = new EventRecorder(group);
      recorders.put(group, recorder);
      adapter.subscribe(StreamChannel.group(group), recorder);
      items.put(group, itemPerPrimary(adapter, process, group, "x").values());
    }
    for (String group : groups) {
      for (String id : items.get(group)) {
        adapter.set(group, id, Map.of("id", id));
      }
    }
    assertThat(pubSubClients(process)).as("pub/sub connections over the cluster's nodes").isEqualTo(1);
    for (String group : groups) {
      EventRecorder recorder = recorders.get(group);
      recorder.awaitCount(items.get(group).size());
      // No copy of an event comes twice; a quiet moment gives a second copy the time to show.
      Awaitility.await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(ids(recorder)).containsExactlyInAnyOrderElementsOf(items.get(group)));
      assertThat(recorder.types()).containsOnly(StreamEvent.CREATE);
    }
  }

  @Test
  @DisplayName("E2 — an item set on any primary just before subscribe is never delivered, the items set after it are, once each (100 fresh channels)")
  void itemsSetBeforeSubscribeAreNeverDelivered() {
    adapter = new LettuceStreamsProvider().open(clusterConfig(cluster).build());
    RedisClusterProcess process = cluster.cluster();
    Node[] owners = slotOwners(process);
    for (int round = 0; round < 100; round++) {
      String group = "fresh" + round;
      Collection<String> before = itemPerPrimary(adapter, owners, group, "before").values();
      Collection<String> after = itemPerPrimary(adapter, owners, group, "after").values();
      for (String id : before) {
        adapter.set(group, id, Map.of("id", id));
      }
      EventRecorder recorder = new EventRecorder(group);
      adapter.subscribe(StreamChannel.group(group), recorder);
      for (String id : after) {
        adapter.set(group, id, Map.of("id", id));
      }
      // Each primary's events reach the subscriber's node in order over one bus link: a late copy
      // of a "before" event would come before that primary's "after" event, so within these.
      recorder.awaitCount(after.size());
      assertThat(ids(recorder)).as("round %d", round).containsExactlyInAnyOrderElementsOf(after);
      adapter.unsubscribe(StreamChannel.group(group));
    }
  }

  /** @return the ids in the events' documents, in the order they came */
  static List<String> ids(EventRecorder recorder) {
    return recorder.events().stream().map(event -> event.data().path("id").asText()).toList();
  }

  /** @return how many pub/sub connections the nodes that run have, all together */
  static long pubSubClients(RedisClusterProcess process) {
    return process.nodes().stream().filter(Node::isAlive)
        .mapToLong(node -> String.valueOf(process.command(node, "CLIENT", "LIST", "TYPE", "pubsub"))
            .lines().filter(line -> !line.isBlank()).count())
        .sum();
  }

  /** @return the primary of each slot now ({@code CLUSTER SLOTS} of a primary), by slot */
  static Node[] slotOwners(RedisClusterProcess process) {
    Map<String, Node> byId = new HashMap<>();
    process.nodes().forEach(node -> byId.put(node.id(), node));
    Node[] owners = new Node[RedisSlots.SLOT_COUNT];
    for (Object range : (List<?>) process.command(process.primaries().get(0), "CLUSTER", "SLOTS")) {
      List<?> fields = (List<?>) range;
      Node owner = byId.get((String) ((List<?>) fields.get(2)).get(2));
      for (long slot = (Long) fields.get(0); slot <= (Long) fields.get(1); slot++) {
        owners[(int) slot] = owner;
      }
    }
    return owners;
  }

  /** @return an item id of the group per primary that serves slots now, whose key it owns */
  static Map<Node, String> itemPerPrimary(StreamAdapter adapter, RedisClusterProcess process, String group,
      String prefix) {
    return itemPerPrimary(adapter, slotOwners(process), group, prefix);
  }

  private static Map<Node, String> itemPerPrimary(StreamAdapter adapter, Node[] owners, String group,
      String prefix) {
    long primaries = Arrays.stream(owners).distinct().count();
    Map<Node, String> items = new LinkedHashMap<>();
    for (int i = 0; items.size() < primaries && i < 10_000; i++) {
      String id = prefix + i;
      items.putIfAbsent(owners[RedisSlots.slot(adapter.dataKey(group, id))], id);
    }
    assertThat(items).as("an item of %s on each primary", group).hasSize((int) primaries);
    return items;
  }
}
