package dev.streams.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import dev.streams.StreamLayout;
import dev.streams.redis.server.RedisClusterProcess;
import dev.streams.redis.server.RedisClusterProcess.Node;
import dev.streams.redis.testing.RedisClusterExtension;
import dev.streams.tck.EventRecorder;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("redis-lettuce on a Redis Cluster, hash layout: sharded pub/sub (L3, E7)")
class LettuceClusterHashTest {

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.primariesOnly().flushBetweenTests();

  private StreamAdapter adapter;

  @AfterEach
  void close() {
    if (adapter != null) {
      adapter.close();
    }
  }

  private StreamAdapter open() {
    adapter = new LettuceStreamsProvider().open(
        LettuceClusterTest.clusterConfig(cluster).layout(StreamLayout.HASH).build());
    return adapter;
  }

  @Test
  @DisplayName("group and item subscribers get the events of groups on every primary, once each")
  void eventsOfEveryPrimary() {
    open();
    RedisClusterProcess process = cluster.cluster();
    Map<String, EventRecorder> groups = new HashMap<>();
    Set<String> owners = new HashSet<>();
    for (int g = 0; g < 6; g++) {
      String group = "h" + g;
      EventRecorder recorder = new EventRecorder(group);
      groups.put(group, recorder);
      adapter.subscribe(StreamChannel.group(group), recorder);
      owners.add(process.ownerOf(adapter.dataKey(group, "x")).id());
    }
    assertThat(owners).hasSizeGreaterThan(1);
    EventRecorder item = new EventRecorder("item h1:x");
    adapter.subscribe(StreamChannel.item("h1", "x"), item);
    for (String group : groups.keySet()) {
      adapter.set(group, "x", Map.of("v", 1));
    }
    adapter.delete("h1", "x");
    for (Map.Entry<String, EventRecorder> group : groups.entrySet()) {
      if (group.getKey().equals("h1")) {
        group.getValue().awaitTypes(StreamEvent.CREATE, StreamEvent.DELETE);
      } else {
        group.getValue().awaitTypes(StreamEvent.CREATE);
      }
    }
    item.awaitTypes(StreamEvent.CREATE, StreamEvent.DELETE);
    assertThat(adapter.getGroup("h2")).hasSize(1);
    assertThat(adapter.clear("h2")).isEqualTo(1);
  }

  @Test
  @DisplayName("a group's slot moved to another primary: one sync (resubscribed), then live events, no duplicate")
  void slotMoveResubscribes() {
    open();
    RedisClusterProcess process = cluster.cluster();
    EventRecorder moved = new EventRecorder("moved group");
    EventRecorder stays = new EventRecorder("other group");
    adapter.subscribe(StreamChannel.group("m"), moved);
    adapter.set("m", "before", Map.of("v", 1));
    moved.awaitTypes(StreamEvent.CREATE);

    int slot = process.slotOf(adapter.dataKey("m", "before"));
    Node source = process.ownerOfSlot(slot);
    Node target = process.primaries().stream().filter(node -> !node.equals(source)).findFirst().orElseThrow();
    String other = otherGroupOn(process, source, slot);
    adapter.subscribe(StreamChannel.group(other), stays);
    process.migrateSlot(slot, target);

    List<StreamEvent> synced = moved.awaitTypes(StreamEvent.CREATE, StreamEvent.SYNC);
    assertThat(synced.get(1).data().get("reason").asText()).isEqualTo(StreamEvent.REASON_RESUBSCRIBED);
    adapter.set("m", "after", Map.of("v", 2));
    adapter.set(other, "x", Map.of("v", 3));
    List<StreamEvent> events = moved.awaitTypes(StreamEvent.CREATE, StreamEvent.SYNC, StreamEvent.CREATE);
    assertThat(events.get(2).data().path("v").asInt()).isEqualTo(2);
    // A group whose slot stayed gets no sync.
    stays.awaitTypes(StreamEvent.CREATE);
    // No late duplicate or second sync: a periodic check runs meanwhile.
    org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(moved.types())
            .containsExactly(StreamEvent.CREATE, StreamEvent.SYNC, StreamEvent.CREATE));
    assertThat(stays.types()).containsExactly(StreamEvent.CREATE);
    assertThat(adapter.getGroup("m")).hasSize(2);
  }

  /** @return a group whose slot is another one on the same node */
  private String otherGroupOn(RedisClusterProcess process, Node node, int slot) {
    for (int i = 0; i < 1_000; i++) {
      String group = "o" + i;
      int other = process.slotOf(adapter.dataKey(group, "x"));
      if (other != slot && process.ownerOfSlot(other).equals(node)) {
        return group;
      }
    }
    throw new IllegalStateException("no group found on " + node);
  }
}
