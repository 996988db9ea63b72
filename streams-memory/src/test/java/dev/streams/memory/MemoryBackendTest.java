package dev.streams.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What the memory backend promises beyond the TCK: discovery, and which adapters share a store. */
class MemoryBackendTest {

  private final String host = "memory-test-" + UUID.randomUUID();

  private StreamAdapter open(String host, int port, int database) {
    return Streams.open(StreamConfig.builder().host(host).port(port).database(database).build());
  }

  @Test
  void isTheBackendChosenWhenItIsTheOnlyOneOnTheClasspath() {
    assertThat(Streams.availableBackends()).containsExactly("memory");
    try (StreamAdapter adapter = Streams.open(StreamConfig.builder().host(host).build())) {
      assertThat(adapter.getClass().getSimpleName()).isEqualTo("MemoryStreamAdapter");
    }
  }

  @Test
  void adaptersWithTheSameHostPortAndDatabaseShareOneStore() {
    try (StreamAdapter first = open(host, 6379, 0); StreamAdapter second = open(host, 6379, 0)) {
      first.set("g", "i", JsonNodeFactory.instance.objectNode().put("v", 1));
      assertThat(second.get("g", "i")).isPresent();
    }
    try (StreamAdapter reopened = open(host, 6379, 0)) {
      assertThat(reopened.get("g", "i")).as("data outlives the adapters, as in a server").isPresent();
    }
  }

  @Test
  void otherDatabasesPortsAndHostsAreSeparateStores() {
    try (StreamAdapter base = open(host, 6379, 0);
        StreamAdapter otherDatabase = open(host, 6379, 3);
        StreamAdapter otherPort = open(host, 6380, 0);
        StreamAdapter otherHost = open(host + "-x", 6379, 0)) {
      base.set("g", "i", JsonNodeFactory.instance.objectNode());
      assertThat(otherDatabase.get("g", "i")).isEmpty();
      assertThat(otherPort.get("g", "i")).isEmpty();
      assertThat(otherHost.get("g", "i")).isEmpty();
    }
  }

  @Test
  void databasesOfOneHostAndPortShareEventsButOtherPortsAndHostsDoNot() {
    List<String> received = new CopyOnWriteArrayList<>();
    try (StreamAdapter base = open(host, 6379, 0);
        StreamAdapter otherDatabase = open(host, 6379, 3);
        StreamAdapter otherPort = open(host, 6380, 0);
        StreamAdapter otherHost = open(host + "-x", 6379, 0)) {
      base.subscribe(StreamChannel.group("g"), event -> received.add(event.data().get("id").asText()));
      otherPort.set("g", "port", JsonNodeFactory.instance.objectNode());
      otherHost.set("g", "host", JsonNodeFactory.instance.objectNode());
      otherDatabase.set("g", "database", JsonNodeFactory.instance.objectNode());
      base.set("g", "base", JsonNodeFactory.instance.objectNode());
      // Events of one store arrive in publish order: once base's own is in, the others would be.
      await().atMost(Duration.ofSeconds(30)).until(() -> received.contains("base"));
      assertThat(received).containsExactly("database", "base");
    }
  }

  @Test
  void flushEmptiesTheStoreWithoutEvents() {
    StreamConfig config = StreamConfig.builder().host(host).build();
    try (StreamAdapter adapter = Streams.open(config)) {
      adapter.set("g", "i", JsonNodeFactory.instance.objectNode());
      MemoryRawView.of(config).flush();
      assertThat(adapter.getGroup("g")).isEmpty();
      assertThat(MemoryRawView.of(config).keys()).isEmpty();
    }
  }
}
