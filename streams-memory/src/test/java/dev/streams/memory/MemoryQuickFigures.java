package dev.streams.memory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.json.StreamJson;
import java.util.UUID;

/**
 * Prints rough single-caller figures of the memory backend (not a test: run it by hand).
 *
 * <pre>mvn -q install -DskipTests -pl streams-memory -am
 * mvn -q test-compile exec:java -pl streams-memory -Dexec.skip=false -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.streams.memory.MemoryQuickFigures</pre>
 */
public final class MemoryQuickFigures {

  private MemoryQuickFigures() {}

  public static void main(String[] args) {
    StreamConfig config = StreamConfig.builder().host("figures-" + UUID.randomUUID()).build();
    ObjectNode item = StreamJson.objectMapper().createObjectNode()
        .put("name", "Ann Example").put("email", "ann.example@example.com")
        .put("status", "active").put("createdAt", 1_700_000_000_000L);
    try (StreamAdapter streams = new MemoryStreamsProvider().open(config)) {
      int n = 200_000;
      for (int round = 0; round < 3; round++) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          streams.set("users", "u" + (i % 20_000), item);
        }
        double setRate = n / ((System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          streams.get("users", "u" + (i % 20_000));
        }
        double getRate = n / ((System.nanoTime() - start) / 1e9);
        System.out.printf("round %d: set %,.0f/s  get %,.0f/s (1 caller, %d-byte items)%n",
            round, setRate, getRate, streams.get("users", "u1").orElseThrow().toString().length());
      }
    }
  }
}
