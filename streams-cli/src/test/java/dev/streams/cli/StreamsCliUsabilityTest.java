package dev.streams.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/** What a new user meets first: which store a command uses, help, usage errors, empty results. */
class StreamsCliUsabilityTest {

  private final String store = "cli-usability-" + UUID.randomUUID();

  /** The configuration a command line resolves to, without connecting anywhere. */
  private static StreamConfig resolvedConfig(Map<String, String> environment, String... args) {
    StreamsCli root = new StreamsCli();
    root.environment = environment;
    CommandLine.ParseResult parsed = new CommandLine(root).parseArgs(args);
    return ((StreamsCommand) parsed.subcommand().commandSpec().userObject()).config();
  }

  @ParameterizedTest
  @ValueSource(strings = {"get g i", "set g i {}", "delete g i", "group g", "query g", "clear g",
      "send g t", "watch g"})
  void itemCommandsWithoutAnAddressUseRedisOnLocalhost6379(String commandLine) {
    StreamConfig config = resolvedConfig(Map.of(), commandLine.split(" "));
    assertThat(config.backend()).hasValueSatisfying(name -> assertThat(name).startsWith("redis-"));
    assertThat(config.endpoint()).isEqualTo("localhost:6379");
  }

  @Test
  void clusterNodesNameTheSeedsOfARedisCluster() {
    StreamConfig config = resolvedConfig(Map.of(), "--cluster-nodes", "127.0.0.1:7000,[::1]:7001", "group", "g");
    assertThat(config.isCluster()).isTrue();
    assertThat(config.endpoint()).isEqualTo("cluster 127.0.0.1:7000,[::1]:7001");
    assertThat(config.backend()).hasValueSatisfying(name -> assertThat(name).startsWith("redis-"));
    assertThat(resolvedConfig(Map.of("REDIS_CLUSTER_NODES", "10.0.0.1:7000"), "demo").endpoint())
        .as("the environment's nodes are an address: the demo leaves memory for them")
        .isEqualTo("cluster 10.0.0.1:7000");
  }

  @Test
  void clusterNodesWithASingleServerAddressAreRefusedNamingBoth() {
    for (String[] address : List.of(new String[] {"--host", "h"}, new String[] {"--port", "7000"},
        new String[] {"--url", "redis://h:7000"})) {
      CliRun run = CliRun.run("--cluster-nodes", "127.0.0.1:7000", address[0], address[1], "get", "g", "i");
      assertThat(run.exitCode()).isEqualTo(StreamsCli.USAGE);
      assertThat(run.err()).startsWith("streams: --cluster-nodes names the nodes of a Redis Cluster, and "
          + address[0] + " a single server: give one of them");
    }
    CliRun badNode = CliRun.run("--cluster-nodes", "127.0.0.1:70000", "get", "g", "i");
    assertThat(badNode.exitCode()).isEqualTo(StreamsCli.USAGE);
    assertThat(badNode.err()).contains("clusterNodes must be host:port each, but '127.0.0.1:70000'");
  }

  @Test
  void demoWithoutAnAddressStaysOnMemory() {
    assertThat(resolvedConfig(Map.of(), "demo").backend()).contains("memory");
  }

  @Test
  void aBackendFromTheEnvironmentIsKept() {
    assertThat(resolvedConfig(Map.of("STREAMS_BACKEND", "redis-lettuce"), "get", "g", "i").backend())
        .contains("redis-lettuce");
  }

  @Test
  void anItemCommandWithoutAnAddressReachesForLocalhostOnTheRedisBackend() throws Exception {
    // REDIS_PORT alone: the host stays the default, localhost; nothing listens on the port.
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    StreamsCli root = new StreamsCli();
    root.environment = Map.of("REDIS_PORT", Integer.toString(closedPort));
    java.io.StringWriter err = new java.io.StringWriter();
    int code = StreamsCli.run(root, new java.io.PrintWriter(new java.io.StringWriter(), true),
        new java.io.PrintWriter(err, true), "--connect-timeout", "2", "get", "g", "i");
    assertThat(code).isEqualTo(StreamsCli.SERVER);
    assertThat(err.toString()).startsWith("streams: ").contains("localhost:" + closedPort).hasLineCount(1);
  }

  @Test
  void theMemoryBackendForAnItemCommandSaysItsDataDiesWithTheProcess() {
    CliRun run = CliRun.run("--backend", "memory", "--host", store, "get", "users", "nobody");
    assertThat(run.exitCode()).isEqualTo(StreamsCli.NOT_FOUND);
    assertThat(run.err().lines().toList()).containsExactly(
        "streams: backend 'memory' keeps data in this process only; it is gone when the command ends"
            + " (give a Redis address: --url or REDIS_URL)",
        "streams: no item 'nobody' in group 'users'");
  }

  @Test
  void theDemoOnMemoryDoesNotWarn() {
    CliRun run = CliRun.run("demo", "--group", "demo-" + UUID.randomUUID());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void watchNamesTheBackendInUse() throws Exception {
    CompletableFuture<CliRun> watch = CompletableFuture.supplyAsync(() -> CliRun.run(true, "",
        "--backend", "memory", "--host", store, "watch", "users", "--count", "1"));
    try (StreamAdapter writer = Streams.open(StreamConfig.builder().backend("memory").host(store).build())) {
      // The watcher subscribes asynchronously: write until it has seen an event.
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        writer.set("users", "u1", Map.of("v", 1));
        return watch.isDone();
      });
    }
    CliRun run = watch.get();
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("watching users on backend 'memory', store " + store + ":6379");
  }

  @ParameterizedTest
  @ValueSource(strings = {"get", "set", "delete", "group", "query", "clear", "send", "watch", "demo",
      "migrate"})
  void everyCommandHasHelp(String command) {
    CliRun run = CliRun.run(command, "--help");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).startsWith("Usage: streams " + command);
  }

  @Test
  void helpShowsTheLayoutOptionAndTheMigrateCommand() {
    CliRun run = CliRun.run("--help");
    assertThat(run.out()).contains("--layout=LAYOUT").contains("flat (one key per item, the default) or hash")
        .contains("migrate").contains("STREAMS_LAYOUT");
    assertThat(CliRun.run("migrate", "--help").out()).contains("--from=LAYOUT").contains("--delete-source")
        .contains("--all");
  }

  @Test
  void everyOptionAndParameterIsDescribed() {
    List<String> undescribed = new ArrayList<>();
    collectUndescribed(new CommandLine(new StreamsCli()), undescribed);
    assertThat(undescribed).isEmpty();
  }

  private static void collectUndescribed(CommandLine command, List<String> undescribed) {
    for (ArgSpec arg : command.getCommandSpec().args()) {
      boolean hidden = arg.hidden();
      if (!hidden && String.join("", arg.description()).isBlank()) {
        undescribed.add(command.getCommandName() + " " + (arg.isOption()
            ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel()));
      }
    }
    command.getSubcommands().values().stream().distinct()
        .filter(sub -> !(sub.getCommand() instanceof CommandLine.HelpCommand))
        .forEach(sub -> collectUndescribed(sub, undescribed));
  }

  @Test
  void sendShowsItsArgumentsOnceInTheUsageLine() {
    String synopsis = new CommandLine(new StreamsCli()).getSubcommands().get("send").getHelp().synopsis(0);
    assertThat(synopsis).contains("GROUP [ID] TYPE [JSON]");
    assertThat(synopsis.split("GROUP", -1)).as(synopsis).hasSize(2);
  }

  @Test
  void anUnknownOptionGivesOneLineAndAHint() {
    CliRun run = CliRun.run("get", "g", "i", "--frobnicate");
    assertThat(run.exitCode()).isEqualTo(StreamsCli.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines().toList()).containsExactly(
        "streams: Unknown option: '--frobnicate'",
        "Try 'streams get --help' for more information.");
  }

  @Test
  void aMissingParameterGivesOneLineAndAHint() {
    CliRun run = CliRun.run("get", "users");
    assertThat(run.exitCode()).isEqualTo(StreamsCli.USAGE);
    assertThat(run.err().lines().toList()).containsExactly(
        "streams: Missing required parameter: 'ID'",
        "Try 'streams get --help' for more information.");
  }

  @Test
  void theDemoPrintsJsonLinesWithJson() throws Exception {
    CliRun run = CliRun.run("--backend", "memory", "--host", store, "demo", "--json",
        "--group", "demo-" + UUID.randomUUID());
    assertThat(run.exitCode()).as(run.err()).isZero();
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().lines().toList()) {
      lines.add(mapper.readTree(line));
    }
    assertThat(lines).allSatisfy(line -> assertThat(line.isObject()).as(line.toString()).isTrue());
    assertThat(lines).filteredOn(line -> line.has("saw")).extracting(line -> line.get("saw").asText())
        .containsExactly("create", "create", "create", "update", "delete", "note");
    assertThat(lines).filteredOn(line -> line.has("queried")).singleElement()
        .satisfies(line -> assertThat(line.get("items")).hasSize(2));
  }

  @Test
  void anEmptyGroupOnATerminalSaysSoWithoutAHeader() {
    CliRun run = CliRun.run(true, "", "--backend", "memory", "--host", store, "group", "nobody-here");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("(no items)\n");
  }
}
