package dev.streams.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Node adapter this library ports ({@code @motiadev/adapter-redis-streams}, at the version
 * pinned in {@code streams-bench/node/package-lock.json}), run by {@code streams-bench/node/peer.mjs}
 * in a child process on the harness's redis-server, so the Java backends are measured beside it in
 * the same run.
 *
 * <p>One process serves many figures: the harness sends a figure's name on a line, the script runs
 * it through the adapter's public API ({@code RedisStreamAdapterManager} → {@code createStream})
 * and answers with one line of JSON. A process that stays up keeps V8's compiled code, as the JVM
 * keeps its own between the backend's runs.
 *
 * <p>The Node adapter does not store the Java layout: an item is a field of one Redis hash per
 * group, {@code {keyPrefix}{stream}:group:{groupId}}, its document gets a {@code _createdAt} field,
 * and a set publishes on the item's channel {@code motia:stream:events:{stream}:{groupId}:{id}}
 * only. {@code NodePeerTest} pins what it stores against a Java backend's set.
 */
final class NodePeer implements AutoCloseable {

  /** The Node adapter's stream name (its keys' middle part), one the Java figures never use as a group. */
  static final String STREAM = "peer";
  static final String ADAPTER_PACKAGE = "@motiadev/adapter-redis-streams";
  static final int MIN_NODE_MAJOR = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Writer commands;
  private final BufferedReader answers;
  private final Path log;
  private final JsonNode versions;

  private NodePeer(Process process, Path log) throws IOException {
    this.process = process;
    this.log = log;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    ObjectNode ready = (ObjectNode) answer("start");
    ready.remove("ready");
    this.versions = ready;
  }

  /**
   * The directory of {@code peer.mjs}: {@code bench.peer.dir}, else {@code streams-bench/node} under
   * the working directory (the documented command runs at the repository's root), else {@code node}
   * (the module's directory, where Maven runs the tests).
   *
   * @return the directory
   * @throws IllegalStateException if no candidate holds {@code peer.mjs}
   */
  static Path directory() {
    String chosen = System.getProperty("bench.peer.dir");
    List<Path> candidates = chosen != null && !chosen.isBlank()
        ? List.of(Path.of(chosen))
        : List.of(Path.of("streams-bench", "node"), Path.of("node"));
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate.resolve("peer.mjs"))) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("streams-bench: no peer.mjs in " + candidates
        + " (working directory " + Path.of("").toAbsolutePath() + "): run the bench from the"
        + " repository's root, set -Dbench.peer.dir=<dir of peer.mjs>, or turn the Node peer off"
        + " with -Dbench.peer=false");
  }

  /**
   * Makes sure Node and the pinned adapter are there: checks {@code node} (version {@value
   * #MIN_NODE_MAJOR} or later) and {@code npm} on the {@code PATH}, and runs {@code npm ci} when
   * {@code node_modules} lacks the adapter at the version {@code package.json} pins (on the first
   * run: this needs the npm registry).
   *
   * @param dir the directory of {@code peer.mjs}, {@code package.json} and {@code package-lock.json}
   * @return the pinned version of the adapter
   * @throws IllegalStateException naming what to install, or why {@code npm ci} failed
   * @throws IOException if a file of {@code dir} cannot be read
   * @throws InterruptedException if interrupted while a command runs
   */
  static String install(Path dir) throws IOException, InterruptedException {
    String nodeVersion = output(dir, "node", "--version").strip();
    int major = Integer.parseInt(nodeVersion.replaceFirst("^v(\\d+).*", "$1"));
    if (major < MIN_NODE_MAJOR) {
      throw new IllegalStateException(missing("node " + nodeVersion + " is too old"));
    }
    output(dir, "npm", "--version");
    String pinned = JSON.readTree(dir.resolve("package.json").toFile())
        .path("dependencies").path(ADAPTER_PACKAGE).asText();
    Path installed = dir.resolve("node_modules").resolve(ADAPTER_PACKAGE).resolve("package.json");
    String version = Files.isRegularFile(installed) ? JSON.readTree(installed.toFile()).path("version").asText() : "";
    if (!version.equals(pinned)) {
      System.out.printf("streams-bench: npm ci in %s (%s %s, from the npm registry)%n", dir, ADAPTER_PACKAGE, pinned);
      // No install scripts: the adapter's dependencies need none to run (their esbuild binaries
      // serve Motia's build tooling, which the peer never loads).
      Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
          .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT)
          .start();
      if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
        npm.destroyForcibly();
        throw new IllegalStateException("streams-bench: npm ci failed in " + dir + " (its output is above);"
            + " the first run needs the npm registry (or -Dbench.peer=false to leave the Node peer out)");
      }
    }
    return pinned;
  }

  /**
   * Starts {@code peer.mjs}; {@link #install} first.
   *
   * @param dir the directory of {@code peer.mjs}
   * @param port the redis-server's loopback port
   * @return the peer, connected
   * @throws IllegalStateException if it does not start; its log is in the message
   * @throws IOException if the process cannot be started
   */
  static NodePeer start(Path dir, int port) throws IOException {
    Path log = Files.createTempFile("streams-bench-node-peer", ".log");
    Process process = new ProcessBuilder("node", "peer.mjs", Integer.toString(port), STREAM)
        .directory(dir.toFile()).redirectError(log.toFile()).start();
    try {
      return new NodePeer(process, log);
    } catch (RuntimeException | IOException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** @return what runs: {@code {"node": ..., "adapter": ..., "redis": ...}} (node-redis's version) */
  JsonNode versions() {
    return versions;
  }

  /**
   * @param figure a figure and its arguments, as {@code peer.mjs} lists them
   * @return its result
   * @throws IllegalStateException if the figure fails or the process ends; with the peer's log
   * @throws IOException if the process's pipes fail
   */
  JsonNode run(String figure) throws IOException {
    commands.write(figure + "\n");
    commands.flush();
    return answer(figure);
  }

  /**
   * @param figure a throughput figure and its count
   * @return its {@code ops} field: operations per second
   * @throws IOException if the process's pipes fail
   */
  double ops(String figure) throws IOException {
    return run(figure).path("ops").asDouble(Double.NaN);
  }

  /**
   * @param array an array of numbers
   * @return them, sorted
   */
  static long[] sorted(JsonNode array) {
    long[] values = new long[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asLong();
    }
    Arrays.sort(values);
    return values;
  }

  private JsonNode answer(String figure) throws IOException {
    String line = answers.readLine();
    if (line == null) {
      throw new IllegalStateException("node peer.mjs ended during " + figure + " (exit "
          + exitValue() + "); its log:\n" + logText());
    }
    JsonNode answer = JSON.readTree(line);
    if (answer.has("error")) {
      throw new IllegalStateException("node peer.mjs: " + answer.get("error").asText() + "\nits log:\n" + logText());
    }
    return answer;
  }

  private String exitValue() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private String logText() {
    try {
      String text = Files.readString(log);
      return text.length() > 4_000 ? "..." + text.substring(text.length() - 4_000) : text;
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      commands.write("quit\n");
      commands.flush();
    } catch (IOException e) {
      // Already gone: nothing to ask it.
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    Files.deleteIfExists(log);
  }

  /** @return the command's standard output; fails naming what to install if it cannot run */
  private static String output(Path dir, String... command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(missing(command[0] + " is not on the PATH"), e);
    }
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(missing(String.join(" ", command) + " failed: " + text.strip()));
    }
    return text;
  }

  private static String missing(String what) {
    return "streams-bench: " + what + ". The Node peer (the " + ADAPTER_PACKAGE + " adapter, measured"
        + " beside the backends) needs Node " + MIN_NODE_MAJOR + " or later and npm on the PATH"
        + " (https://nodejs.org, or Debian's nodejs and npm packages from NodeSource), and the npm"
        + " registry on its first run; or run the bench with -Dbench.peer=false to leave it out.";
  }
}
