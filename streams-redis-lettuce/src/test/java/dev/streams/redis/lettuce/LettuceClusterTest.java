package dev.streams.redis.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamEvent;
import dev.streams.redis.server.RedisClusterProcess;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.testing.RedisClusterExtension;
import dev.streams.tck.EventRecorder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  @DisplayName("a subscriber gets the events of writes routed to any primary")
  void eventsOfEveryPrimary() {
    adapter = new LettuceStreamsProvider().open(clusterConfig(cluster).build());
    List<String> groups = List.of("a", "b", "c", "d", "e", "f");
    Map<String, EventRecorder> recorders = new java.util.HashMap<>();
    for (String group : groups) {
      EventRecorder recorder = new EventRecorder(group);
      recorders.put(group, recorder);
      adapter.subscribe(StreamChannel.group(group), recorder);
    }
    for (String group : groups) {
      adapter.set(group, "x", Map.of("v", 1));
    }
    for (String group : groups) {
      assertThat(recorders.get(group).awaitTypes(StreamEvent.CREATE)).hasSize(1);
    }
  }
}
