package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TwoInstancesExampleTest {

  @Test
  void secondInstanceSeesEveryChangeAndQueriesTheSharedState() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    StreamConfig config = StreamConfig.builder().host("example-" + UUID.randomUUID()).build();

    List<String> seen = TwoInstancesExample.run(config, new PrintStream(buffer, true, StandardCharsets.UTF_8));

    assertThat(seen).extracting(line -> line.substring(0, 6).trim())
        .containsExactly("create", "create", "create", "update", "delete", "note");
    String output = buffer.toString(StandardCharsets.UTF_8);
    assertThat(output).contains("instance 2 queried the active users, newest first:\n  u2 Bo bo@example.com\n  u1 Ann ann@example.com\n");
  }
}
