package com.example.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class ReactorExampleTest {

  /** A reactive pipeline: each call's stage becomes a Mono; no thread waits while calls are in flight. */
  static Mono<Long> activeUsers(StreamAdapter streams) {
    return Flux.range(0, 50)
        .flatMap(i -> Mono.fromCompletionStage(() -> streams.async()
            .set("users", "user-" + i, Map.of("active", i % 2 == 0))), 16)   // 16 in flight
        .filter(user -> user.get("active").asBoolean())
        .count();
  }

  static Mono<Optional<ObjectNode>> user(StreamAdapter streams, String id) {
    // Lazy: the call is made when the Mono is subscribed, not when it is built.
    return Mono.fromCompletionStage(() -> streams.async().get("users", id));
  }

  @Test
  void aPipelineOfStages() {
    try (StreamAdapter streams = Streams.open(StreamConfig.builder().backend("memory")
        .host("reactor-example").build())) {
      assertThat(activeUsers(streams).block()).isEqualTo(25);
      assertThat(user(streams, "user-4").block()).hasValueSatisfying(
          found -> assertThat(found.get("active").asBoolean()).isTrue());
    }
  }
}
