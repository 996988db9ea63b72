package dev.streams.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streams.StreamEvent;
import dev.streams.redis.testing.RedisServerExtension;
import dev.streams.redis.server.RedisServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example service started for real on a random port, against a {@code redis-server} of its own
 * (never a Redis that happens to run on this machine): an HTTP call writes an item, a second instance
 * on the same Redis receives its event, the health check is UP and then DOWN once the server is gone,
 * and the metrics endpoint shows the operation timer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "example.watch-group=users")
@DirtiesContext
class ItemsApplicationTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static RedisServerProcess server;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  @Autowired
  private Environment environment;

  @DynamicPropertySource
  static void redisProperties(DynamicPropertyRegistry registry) {
    server = redis.startServer();
    // The application's usual Spring Data Redis properties: nothing streams-specific is needed.
    registry.add("spring.data.redis.host", () -> "127.0.0.1");
    registry.add("spring.data.redis.port", server::port);
    registry.add("streams.command-timeout", () -> "2s");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + environment.getProperty("local.server.port") + path);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode streamsHealth() throws IOException, InterruptedException {
    return JSON.readTree(get("/actuator/health").body()).path("components").path("streams");
  }

  @Test
  void anItemWrittenOverHttpReachesAnotherInstanceAndHealthAndMetricsTellTheStory() throws Exception {
    try (ConfigurableApplicationContext second = new SpringApplicationBuilder(ItemsApplication.class)
        .web(WebApplicationType.NONE)
        // Arguments, not default properties: those would lose to application.properties.
        .run("--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + server.port(),
            "--example.watch-group=users", "--spring.jmx.enabled=false")) {
      ItemEventsLog secondLog = second.getBean(ItemEventsLog.class);

      HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(uri("/items/users/u1"))
          .timeout(Duration.ofSeconds(20))
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ann\",\"status\":\"active\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(put.body()).path("id").asText()).isEqualTo("u1");

      eventually().untilAsserted(() -> assertThat(secondLog.recent())
          .anySatisfy(event -> {
            assertThat(event.type()).isEqualTo(StreamEvent.CREATE);
            assertThat(event.data().path("name").asText()).isEqualTo("Ann");
          }));
      assertThat(JSON.readTree(get("/items/users/u1").body()).path("status").asText()).isEqualTo("active");
    }

    JsonNode up = streamsHealth();
    assertThat(up.path("status").asText()).isEqualTo("UP");
    assertThat(up.path("details").path("backend").asText()).isEqualTo("redis-lettuce");
    assertThat(up.path("details").path("subscriber").asText()).isEqualTo("connected");

    HttpResponse<String> metrics = get("/actuator/metrics/streams.operation?tag=operation:set");
    assertThat(metrics.statusCode()).isEqualTo(200);
    JsonNode timer = JSON.readTree(metrics.body());
    assertThat(timer.path("baseUnit").asText()).isEqualTo("seconds");
    assertThat(timer.path("measurements")).anySatisfy(measurement -> {
      assertThat(measurement.path("statistic").asText()).isEqualTo("COUNT");
      assertThat(measurement.path("value").asDouble()).isEqualTo(1.0);
    });

    server.kill();

    eventually().untilAsserted(() -> {
      HttpResponse<String> health = get("/actuator/health");
      assertThat(health.statusCode()).isEqualTo(503);
      JsonNode down = JSON.readTree(health.body()).path("components").path("streams");
      assertThat(down.path("status").asText()).isEqualTo("DOWN");
      assertThat(down.path("details").path("reason").asText()).contains("127.0.0.1:" + server.port());
    });
  }
}
