package dev.streams.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamHealth;
import dev.streams.StreamMonitor;
import dev.streams.StreamObserver;
import dev.streams.StreamOperation;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The monitor every backend gets from the base class, seen on the in-memory backend. */
class MemoryMonitorTest {

  private final StreamConfig config = StreamConfig.builder().backend("memory")
      .host("monitor-" + UUID.randomUUID()).build();

  @Test
  void theHealthIsUpWithTheBackendNameAndDownOnceClosed() {
    StreamAdapter adapter = new MemoryStreamsProvider().open(config);
    StreamMonitor monitor = adapter.monitor();
    assertThat(monitor.backend()).isEqualTo("memory");
    assertThat(monitor.health()).isEqualTo(
        new StreamHealth(StreamHealth.Status.UP, "memory", StreamHealth.Subscriber.IDLE, 0, null));

    adapter.subscribe(StreamChannel.group("users"), event -> {});
    assertThat(monitor.health().subscriber()).isEqualTo(StreamHealth.Subscriber.CONNECTED);
    assertThat(monitor.subscriptions()).isEqualTo(1);

    adapter.close();
    assertThat(monitor.health().status()).isEqualTo(StreamHealth.Status.DOWN);
    assertThat(monitor.health().problem()).isEqualTo("the adapter is closed");
  }

  @Test
  void anObserverThatThrowsChangesNoOperationAndTheOthersAreStillTold() {
    List<String> told = new CopyOnWriteArrayList<>();
    try (StreamAdapter adapter = new MemoryStreamsProvider().open(config)) {
      adapter.monitor().observe(new StreamObserver() {
        @Override
        public void operation(StreamOperation operation, long nanos, Throwable failure) {
          throw new IllegalStateException("a broken observer");
        }
      });
      StreamMonitor.Registration second = adapter.monitor().observe(new StreamObserver() {
        @Override
        public void operation(StreamOperation operation, long nanos, Throwable failure) {
          told.add(operation.methodName() + (failure == null ? "" : " " + failure.getClass().getSimpleName()));
        }
      });

      assertThat(adapter.set("users", "u1", Map.of("name", "Ann")).get("id").asText()).isEqualTo("u1");
      assertThatThrownBy(() -> adapter.get("a:b", "u1")).isInstanceOf(IllegalArgumentException.class);
      second.close();
      second.close();
      adapter.delete("users", "u1");

      assertThat(told).containsExactly("set", "get IllegalArgumentException");
    }
  }
}
