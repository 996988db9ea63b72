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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("redis-lettuce on a Redis Cluster: subscribers through a failover (L3, E7)")
class LettuceClusterFailoverTest {

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.withReplicas();

  private StreamAdapter adapter;
  private Node killed;

  @AfterEach
  void restore() {
    if (adapter != null) {
      adapter.close();
    }
    if (killed != null) {
      cluster.cluster().restart(killed);
    }
  }

  @Test
  @DisplayName("flat layout: the subscriber's node is killed: it reconnects to another node, one sync (reconnected) per handler, then the events of items on every primary, once each")
  void subscriberMovesToALiveNode() {
    adapter = new LettuceStreamsProvider().open(LettuceClusterTest.clusterConfig(cluster).build());
    EventRecorder first = new EventRecorder("g");
    EventRecorder second = new EventRecorder("g2");
    adapter.subscribe(StreamChannel.group("g"), first);
    adapter.subscribe(StreamChannel.group("g2"), second);
    adapter.set("g", "before", Map.of("id", "before"));
    first.awaitTypes(StreamEvent.CREATE);

    RedisClusterProcess process = cluster.cluster();
    List<Node> subscribed = process.nodes().stream()
        .filter(node -> !String.valueOf(process.command(node, "CLIENT", "LIST", "TYPE", "pubsub")).isBlank())
        .toList();
    assertThat(subscribed).as("the nodes with a pub/sub connection").hasSize(1);
    killed = subscribed.get(0);
    if (process.primaries().contains(killed)) {
      process.killPrimary(killed);
    } else {
      process.kill(killed);
    }

    first.awaitTypes(StreamEvent.CREATE, StreamEvent.SYNC);
    second.awaitTypes(StreamEvent.SYNC);
    assertThat(first.events().get(1).data().get("reason").asText()).isEqualTo(StreamEvent.REASON_RECONNECTED);
    assertThat(second.events().get(0).data().get("reason").asText()).isEqualTo(StreamEvent.REASON_RECONNECTED);
    assertThat(LettuceClusterTest.pubSubClients(process)).as("pub/sub connections over the live nodes").isEqualTo(1);

    // The command connections learn of the failover on their own time, apart from the subscriber:
    // until then a write to the dead node's slots is refused unsent. Written once they take one.
    Collection<String> probes = LettuceClusterTest.itemPerPrimary(adapter, process, "probe", "p").values();
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      for (String id : probes) {
        adapter.set("probe", id, Map.of("id", id));
      }
    });
    Collection<String> after = LettuceClusterTest.itemPerPrimary(adapter, process, "g", "after").values();
    for (String id : after) {
      adapter.set("g", id, Map.of("id", id));
    }
    first.awaitCount(1 + 1 + after.size());
    // No late copy of an event, and no second sync.
    Awaitility.await().pollDelay(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          assertThat(first.types()).hasSize(2 + after.size()).containsOnly(StreamEvent.CREATE, StreamEvent.SYNC);
          assertThat(first.types().stream().filter(StreamEvent.SYNC::equals)).hasSize(1);
          assertThat(LettuceClusterTest.ids(first).subList(2, 2 + after.size()))
              .containsExactlyInAnyOrderElementsOf(after);
          assertThat(second.types()).containsExactly(StreamEvent.SYNC);
        });
  }

  @Test
  @DisplayName("hash layout: the primary of a group's slot fails over: one sync (resubscribed), then live events, once each")
  void shardedSubscriberFollowsAFailover() {
    adapter = new LettuceStreamsProvider().open(
        LettuceClusterTest.clusterConfig(cluster).layout(StreamLayout.HASH).build());
    EventRecorder recorder = new EventRecorder("h");
    adapter.subscribe(StreamChannel.group("h"), recorder);
    adapter.set("h", "before", Map.of("v", 1));
    recorder.awaitTypes(StreamEvent.CREATE);

    RedisClusterProcess process = cluster.cluster();
    killed = process.ownerOf(adapter.dataKey("h", "before"));
    Node promoted = process.killPrimary(killed);

    List<StreamEvent> synced = recorder.awaitTypes(StreamEvent.CREATE, StreamEvent.SYNC);
    assertThat(synced.get(1).data().get("reason").asText()).isEqualTo(StreamEvent.REASON_RESUBSCRIBED);
    assertThat(process.ownerOf(adapter.dataKey("h", "after"))).isEqualTo(promoted);
    adapter.set("h", "after", Map.of("v", 2));
    List<StreamEvent> events = recorder.awaitTypes(StreamEvent.CREATE, StreamEvent.SYNC, StreamEvent.CREATE);
    assertThat(events.get(2).data().path("v").asInt()).isEqualTo(2);
    Awaitility.await().pollDelay(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(recorder.types()).containsExactly(
            StreamEvent.CREATE, StreamEvent.SYNC, StreamEvent.CREATE));
  }
}
