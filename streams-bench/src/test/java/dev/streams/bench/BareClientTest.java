package dev.streams.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import dev.streams.redis.internal.StreamScripts;
import dev.streams.redis.server.RedisServerProcess;
import dev.streams.redis.server.RespConnection;
import dev.streams.spi.KeyLayout;
import dev.streams.json.StreamJson;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bare-client rows are only worth comparing if the bare clients do the backends' work. */
class BareClientTest {

  private static RedisServerProcess server;
  private static RespConnection admin;

  @BeforeAll
  static void startServer() {
    // Fails, never skips, without a redis-server: the bench needs one anyway.
    server = RedisServerProcess.start();
    admin = RespConnection.open(server.endpoint(), Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopServer() {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis-jedis", "redis-lettuce"})
  @DisplayName("a bare client's set stores and publishes the bytes the backend on it stores and publishes")
  void bareSetIsTheBackendsSet(String backend) throws Exception {
    admin.call("FLUSHALL");
    String sha = (String) admin.call("SCRIPT", "LOAD", StreamScripts.SET.text());
    KeyLayout layout = KeyLayout.defaults();
    ObjectNode item = StreamsBench.item(7);
    StreamConfig config = server.endpoint().applyTo(StreamConfig.builder()).backend(backend).build();
    List<String> messages = new CopyOnWriteArrayList<>();
    try (BareClient bare = BareClient.forBackend(backend, server.port());
        StreamAdapter adapter = Streams.open(config)) {
      try (AutoCloseable subscription = bare.subscribe(layout.groupChannel("g"), messages::add)) {
        String document = StreamJson.toDocument(item, "a").json();
        bare.evalsha(sha, layout.dataKey("g", "a"), document, layout.groupChannel("g"),
            layout.itemChannel("g", "a"));
        adapter.set("g", "b", item);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(messages).hasSize(2));

        assertThat(bare.get(layout.dataKey("g", "a"))).isEqualTo(document);
        assertThat(bare.get(layout.dataKey("g", "b")))
            .isEqualTo(document.replace("\"id\":\"a\"", "\"id\":\"b\""));
      }
    }
    assertThat(messages.get(0)).startsWith("{\"type\":\"create\",\"data\":{");
    assertThat(messages.get(0).replace("\"id\":\"a\"", "\"id\":\"b\"")).isEqualTo(messages.get(1));
  }
}
