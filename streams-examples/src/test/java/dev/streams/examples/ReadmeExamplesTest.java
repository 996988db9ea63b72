package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReadmeExamplesTest {

  private static StreamConfig freshStore() {
    return StreamConfig.builder().host("readme-" + UUID.randomUUID()).build();
  }

  @Test
  void usageExampleStoresAndQueries() {
    assertThat(ReadmeExamples.usage(freshStore())).singleElement()
        .satisfies(user -> assertThat(user.get("id").asText()).isEqualTo("user-123"));
  }

  @Test
  void typedExampleRoundTrips() {
    try (StreamAdapter streams = Streams.open(freshStore())) {
      assertThat(ReadmeExamples.typed(streams)).contains(new ReadmeExamples.User(
          "user-123", "John", "john@example.com", "active", 1_700_000_000_000L));
    }
  }

  @Test
  void readmeShowsTheCompiledExamplesVerbatim() throws IOException {
    String source = Files.readString(
        Path.of("src/main/java/dev/streams/examples/ReadmeExamples.java"), StandardCharsets.UTF_8);
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    Matcher blocks = Pattern.compile("// README:(\\w+)\\n(.*?)\\n\\s*// README:end", Pattern.DOTALL)
        .matcher(source);
    int found = 0;
    while (blocks.find()) {
      found++;
      for (String line : blocks.group(2).split("\\n")) {
        assertThat(readme).as("README shows the %s example's line", blocks.group(1))
            .contains(line.strip());
      }
    }
    assertThat(found).isEqualTo(2);
  }
}
