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
  @DisplayName("flat layout: a primary fails over: one sync (reconnected) per handler, then live events of the new primary, once each")
  void subscriberFollowsAFailover() {
    adapter = new LettuceStreamsProvider().open(LettuceClusterTest.clusterConfig(cluster).build());
    EventRecorder recorder = new EventRecorder("g");
    adapter.subscribe(StreamChannel.group("g"), recorder);
    adapter.set("g", "before", Map.of("v", 1));
    recorder.awaitTypes(StreamEvent.CREATE);

    RedisClusterProcess process = cluster.cluster();
    // The primary of the item written after the failover: its events then come from the replica.
    killed = process.ownerOf(adapter.dataKey("g", "after"));
    Node promoted = process.killPrimary(killed);

    List<StreamEvent> synced = recorder.awaitTypes(StreamEvent.CREATE, StreamEvent.SYNC);
    assertThat(synced.get(1).data().get("reason").asText()).isEqualTo(StreamEvent.REASON_RECONNECTED);
    assertThat(process.ownerOf(adapter.dataKey("g", "after"))).isEqualTo(promoted);
    adapter.set("g", "after", Map.of("v", 2));
    adapter.set("g", "later", Map.of("v", 3));
    List<StreamEvent> events = recorder.awaitTypes(
        StreamEvent.CREATE, StreamEvent.SYNC, StreamEvent.CREATE, StreamEvent.CREATE);
    assertThat(events.get(2).data().path("v").asInt()).isEqualTo(2);
    assertThat(events.get(3).data().path("v").asInt()).isEqualTo(3);
    // No late copy of an event, and no second sync, once a topology check or two ran.
    Awaitility.await().pollDelay(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(recorder.types()).containsExactly(
            StreamEvent.CREATE, StreamEvent.SYNC, StreamEvent.CREATE, StreamEvent.CREATE));
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
