package dev.streams.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streams.cli.StreamsCliProcessTest.Finished;
import dev.streams.redis.testing.RedisServerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every command as a real process against a live redis-server: processes share state through it. */
class StreamsCliRedisTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @TempDir
  Path temp;

  private final String group = "cli-" + UUID.randomUUID();

  private String url() {
    return "redis://" + redis.endpoint().address();
  }

  private Finished streamsWithInput(String stdin, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--url", url()));
    all.addAll(List.of(args));
    return StreamsCliProcessTest.run(temp, stdin, all.toArray(String[]::new));
  }

  private Finished streams(String... args) throws Exception {
    return streamsWithInput("", args);
  }

  @Test
  void itemCommandsShareStateAcrossProcesses() throws Exception {
    assertThat(streams("set", group, "u1", "{\"name\":\"Ann\",\"status\":\"active\",\"at\":1}").exitCode()).isZero();
    assertThat(streamsWithInput("{\"name\":\"Bo\",\"status\":\"inactive\",\"at\":2}", "set", group, "u2").exitCode()).isZero();
    assertThat(streams("get", group, "u1").out()).isEqualTo("{\"name\":\"Ann\",\"status\":\"active\",\"at\":1,\"id\":\"u1\"}\n");
    assertThat(streams("group", group).out().lines()).hasSize(2);
    assertThat(streams("query", group, "--where", "status=inactive").out()).contains("\"id\":\"u2\"").doesNotContain("\"u1\"");
    assertThat(streams("query", group, "--order-by", "at", "--desc", "--limit", "1").out()).contains("\"id\":\"u2\"");
    assertThat(streams("delete", group, "u2").out()).contains("\"name\":\"Bo\"");
    assertThat(streams("get", group, "u2").exitCode()).isEqualTo(1);
    assertThat(streams("clear", group).exitCode()).as("clear without --yes off a terminal").isEqualTo(2);
    assertThat(streams("clear", group, "--yes").out()).isEqualTo("{\"removed\":1}\n");
    assertThat(streams("group", group).out()).isEmpty();
  }

  @Test
  void watchReceivesWhatOtherProcessesWriteAndSend() throws Exception {
    Path out = temp.resolve("watch-out");
    Path err = temp.resolve("watch-err");
    Process watch = new ProcessBuilder(StreamsCliProcessTest.command(
            "--url", url(), "--table", "watch", group, "--count", "3"))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(err).contains("watching"));
      assertThat(Files.readString(err)).contains("watching " + group + " on backend 'redis-jedis' at "
          + redis.endpoint().address());
      assertThat(streams("set", group, "u1", "{\"v\":1}").exitCode()).isZero();
      // On the group channel: an item-channel send is for watchers of that item only (O8).
      assertThat(streams("send", group, "poke", "{\"hi\":true}").exitCode()).isZero();
      assertThat(streams("delete", group, "u1").exitCode()).isZero();
      assertThat(watch.waitFor(60, TimeUnit.SECONDS)).as("watch stopped after 3 events").isTrue();
      assertThat(watch.exitValue()).isZero();
      List<String> lines = Files.readAllLines(out);
      assertThat(lines).hasSize(3);
      assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  create  u1\\s+\\{\"v\":1,\"id\":\"u1\"}");
      assertThat(lines.get(1)).matches(".*  poke    -\\s+\\{\"hi\":true}");
      assertThat(lines.get(2)).matches(".*  delete  u1\\s+\\{\"v\":1,\"id\":\"u1\"}");
    } finally {
      watch.destroyForcibly();
    }
  }

  @Test
  void demoRunsAgainstRedisWhenGivenAnAddress() throws Exception {
    Finished demo = streams("demo", "--group", group);
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.out()).startsWith("Two instances of an application on backend 'redis-")
        .contains("instance 2 saw note");
  }

  @Test
  void anUnreachableServerExitsWithThreeNamingIt() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Finished run = StreamsCliProcessTest.run(temp, "", "--url",
        "redis://app:Unreachable-Pw@127.0.0.1:" + closedPort, "--connect-timeout", "2", "get", "g", "i");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).startsWith("streams: ").contains("127.0.0.1:" + closedPort)
        .doesNotContain("Unreachable-Pw").hasLineCount(1);
  }
}
