package dev.streams.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a real process: exit codes, standard input, and Ctrl-C. */
class StreamsCliProcessTest {

  @TempDir
  Path temp;

  /** What a finished command-line process left. */
  record Finished(int exitCode, String out, String err) {}

  private Finished run(String stdin, String... args) throws Exception {
    return run(temp, stdin, args);
  }

  /** Runs the command line as its own JVM, with this test's classpath, and waits for it. */
  static Finished run(Path temp, String stdin, String... args) throws Exception {
    Path out = temp.resolve("out-" + System.nanoTime());
    Path err = temp.resolve("err-" + System.nanoTime());
    Path input = Files.writeString(temp.resolve("in-" + System.nanoTime()), stdin);
    Process process = new ProcessBuilder(command(args)).redirectInput(input.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process finished").isTrue();
    return new Finished(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  static List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), StreamsCli.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void demoRunsOnAFreshProcessWithNoRedis() throws Exception {
    Finished demo = run("", "demo");
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.out()).contains("backend 'memory'").contains("instance 2 saw note");
  }

  @Test
  void setReadsStandardInputAndBadJsonExitsWithTwo() throws Exception {
    Finished good = run("{\"a\":[1,2]}", "--backend", "memory", "set", "g", "i");
    assertThat(good.exitCode()).as(good.err()).isZero();
    assertThat(good.out()).isEqualTo("{\"a\":[1,2],\"id\":\"i\"}\n");
    Finished bad = run("{\"a\":", "--backend", "memory", "set", "g", "i");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).as("the memory warning, then the error").hasLineCount(2);
    assertThat(bad.err().lines()).last().asString().startsWith("streams: the item JSON is not valid JSON");
  }

  @Test
  void unknownBackendAndUsageErrorsExitWithTwo() throws Exception {
    Finished unknown = run("", "--backend", "nope", "group", "g");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("Streams backend \"nope\" is not on the classpath").hasLineCount(1);
    Finished usage = run("", "frobnicate");
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.err()).contains("Unmatched argument");
  }

  @Test
  void aPasswordAloneIsAskedForWithAPromptNotItsHelpText() throws Exception {
    Finished run = run("some-password\n", "--backend", "memory", "--password", "get", "g", "i");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).isEqualTo("Redis password: ");
  }

  @Test
  void watchStopsCleanlyOnCtrlC() throws Exception {
    Path out = temp.resolve("watch-out");
    Path err = temp.resolve("watch-err");
    Process watch = new ProcessBuilder(command("--backend", "memory", "--table", "watch", "users")).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(err).contains("watching users"));
      new ProcessBuilder("kill", "-INT", Long.toString(watch.pid())).start().waitFor();
      assertThat(watch.waitFor(30, TimeUnit.SECONDS)).as("watch ended after SIGINT").isTrue();
      assertThat(watch.exitValue()).isEqualTo(130);
      assertThat(Files.readString(err)).doesNotContain("Exception");
    } finally {
      watch.destroyForcibly();
    }
  }
}
