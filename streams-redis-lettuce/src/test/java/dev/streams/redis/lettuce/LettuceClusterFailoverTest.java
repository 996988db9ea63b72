package dev.streams.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import dev.streams.redis.server.RedisClusterProcess;
import dev.streams.redis.server.RedisClusterProcess.Node;
import dev.streams.redis.testing.RedisClusterExtension;
import dev.streams.tck.EventRecorder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("redis-lettuce on a Redis Cluster: the flat layout's subscriber after its node is lost (L3, E7)")
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
  @DisplayName("the subscriber reconnects to another node: one sync (reconnected) per handler, then live events")
  void subscriberMovesToALiveNode() {
    adapter = new LettuceStreamsProvider().open(LettuceClusterTest.clusterConfig(cluster).build());
    EventRecorder recorder = new EventRecorder("g");
    adapter.subscribe(StreamChannel.group("g"), recorder);
    adapter.set("g", "before", Map.of("v", 1));
    recorder.awaitTypes(StreamEvent.CREATE);

    RedisClusterProcess process = cluster.cluster();
    List<Node> subscribed = process.nodes().stream()
        .filter(node -> !String.valueOf(process.command(node, "CLIENT", "LIST", "TYPE", "pubsub")).isBlank())
        .toList();
    assertThat(subscribed).hasSize(1);
    killed = subscribed.get(0);
    if (process.primaries().contains(killed)) {
      process.killPrimary(killed);
    } else {
      process.kill(killed);
    }

    recorder.awaitEvent(event -> event.isSync());
    adapter.set("g", "after", Map.of("v", 2));
    List<StreamEvent> events = recorder.awaitTypes(StreamEvent.CREATE, StreamEvent.SYNC, StreamEvent.CREATE);
    assertThat(events.get(1).data().get("reason").asText()).isEqualTo(StreamEvent.REASON_RECONNECTED);
    assertThat(events.get(2).data().path("v").asInt()).isEqualTo(2);
  }
}
