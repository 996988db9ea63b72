package dev.streams.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import dev.streams.tck.EventRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every command, in-process, on the memory backend (one fresh store per test). */
class StreamsCliTest {

  private final String store = "cli-test-" + UUID.randomUUID();
  private final StreamAdapter observer = Streams.open(
      StreamConfig.builder().backend("memory").host(store).build());

  @AfterEach
  void closeObserver() {
    observer.close();
  }

  private CliRun cli(String... args) {
    return cli(false, "", args);
  }

  private CliRun cli(boolean terminal, String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--backend", "memory", "--host", store));
    all.addAll(List.of(args));
    return CliRun.run(terminal, stdin, all.toArray(String[]::new));
  }

  @Test
  void demoShowsTheSecondInstanceSeeingEveryChangeAndTheQuery() {
    CliRun run = CliRun.run("demo", "--group", "demo-" + UUID.randomUUID(), "--host", store,
        "--backend", "memory");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsSubsequence("instance 2 saw create", "instance 2 saw create",
        "instance 2 saw create", "instance 2 saw update", "instance 2 saw delete", "instance 2 saw note");
    assertThat(run.out()).containsPattern("newest first \\([0-9.]+ ms\\):\\n  u2  Bo  bo@example.com\\n  u1  Ann  ann@example.com");
  }

  @Test
  void demoRunsOnMemoryWithoutAnyOption() {
    CliRun run = CliRun.run("demo", "--group", "demo-" + UUID.randomUUID());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Two instances of an application on backend 'memory'");
  }

  @Test
  void setPrintsTheStoredDocumentAndGetReadsItBack() {
    CliRun set = cli("set", "users", "u1", "{\"name\":\"Ann\",\"n\":1.50}");
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out()).isEqualTo("{\"name\":\"Ann\",\"n\":1.50,\"id\":\"u1\"}\n");
    assertThat(cli("get", "users", "u1").out()).isEqualTo(set.out());
    assertThat(observer.get("users", "u1")).isPresent();
  }

  @Test
  void setReadsJsonFromStandardInput() {
    CliRun set = cli(false, "{\"from\":\n\"stdin\"}", "set", "users", "u2");
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out()).isEqualTo("{\"from\":\"stdin\",\"id\":\"u2\"}\n");
  }

  @Test
  void getOnATerminalPrettyPrints() {
    cli("set", "users", "u1", "{\"name\":\"Ann\"}");
    CliRun get = cli(true, "", "get", "users", "u1");
    assertThat(get.out()).contains("\"name\" : \"Ann\"").contains("\n");
  }

  @Test
  void aMissingItemExitsWithOne() {
    CliRun get = cli("get", "users", "nobody");
    assertThat(get.exitCode()).isEqualTo(1);
    // After the memory backend's warning line.
    assertThat(get.err()).endsWith("\nstreams: no item 'nobody' in group 'users'\n");
    assertThat(cli("delete", "users", "nobody").exitCode()).isEqualTo(1);
  }

  @Test
  void badJsonIsAUsageError() {
    CliRun set = cli("set", "users", "u1", "{name: Ann}");
    assertThat(set.exitCode()).isEqualTo(2);
    assertThat(set.err()).contains("\nstreams: the item JSON is not valid JSON: ").doesNotContain("\tat ");
    CliRun array = cli("set", "users", "u1", "[1,2]");
    assertThat(array.exitCode()).isEqualTo(2);
    assertThat(array.err()).endsWith("\nstreams: data must serialise to a JSON object, but was an array\n");
    assertThat(observer.getGroup("users")).isEmpty();
  }

  @Test
  void invalidNamesAndMissingArgumentsAreUsageErrors() {
    CliRun badGroup = cli("get", "a:b", "c");
    assertThat(badGroup.exitCode()).isEqualTo(2);
    assertThat(badGroup.err()).contains("groupId must not contain ':'");
    CliRun missing = cli("get", "users");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required parameter: 'ID'").contains("Try 'streams get --help'");
  }

  @Test
  void deletePrintsTheRemovedItem() {
    cli("set", "users", "u1", "{\"a\":1}");
    CliRun delete = cli("delete", "users", "u1");
    assertThat(delete.exitCode()).isZero();
    assertThat(delete.out()).isEqualTo("{\"a\":1,\"id\":\"u1\"}\n");
    assertThat(observer.get("users", "u1")).isEmpty();
  }

  @Test
  void groupPrintsJsonLinesOrAnAlignedTable() {
    cli("set", "users", "u2", "{\"name\":\"Bo\",\"tags\":[\"x\"]}");
    cli("set", "users", "u1", "{\"name\":\"Ann Long-Name\",\"age\":30}");
    assertThat(cli("group", "users").out()).isEqualTo(
        "{\"name\":\"Ann Long-Name\",\"age\":30,\"id\":\"u1\"}\n{\"name\":\"Bo\",\"tags\":[\"x\"],\"id\":\"u2\"}\n");
    assertThat(cli(true, "", "group", "users").out()).isEqualTo(String.join("\n",
        "id  name           age  tags",
        "u1  Ann Long-Name  30",
        "u2  Bo                  [\"x\"]",
        "(2 items)", ""));
  }

  @Test
  void queryFiltersSortsAndPagesWithJsonOrStringValues() {
    cli("set", "users", "a", "{\"status\":\"active\",\"at\":1,\"n\":1.0}");
    cli("set", "users", "b", "{\"status\":\"inactive\",\"at\":2,\"n\":2}");
    cli("set", "users", "c", "{\"status\":\"active\",\"at\":3,\"n\":\"1\"}");
    CliRun query = cli("query", "users", "--where", "status=active", "--order-by", "at", "--desc",
        "--limit", "1");
    assertThat(query.exitCode()).as(query.err()).isZero();
    assertThat(query.out()).isEqualTo("{\"status\":\"active\",\"at\":3,\"n\":\"1\",\"id\":\"c\"}\n");
    assertThat(cli("query", "users", "--where", "n=1").out()).contains("\"id\":\"a\"").doesNotContain("\"id\":\"c\"");
    assertThat(cli("query", "users", "--where", "n=\"1\"").out()).contains("\"id\":\"c\"").doesNotContain("\"id\":\"a\"");
    assertThat(cli("query", "users", "--offset", "1", "--limit", "1").out()).contains("\"id\":\"b\"");
    assertThat(cli("query", "users", "--where", "oops").exitCode()).isEqualTo(2);
    assertThat(cli("query", "users", "--limit", "-1").err()).contains("limit must be 0 or more, but was -1");
  }

  @Test
  void clearNeedsYesWithoutATerminal() {
    cli("set", "g", "a", "{}");
    CliRun refused = cli("clear", "g");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("add --yes to confirm");
    assertThat(observer.getGroup("g")).hasSize(1);
    CliRun cleared = cli("clear", "g", "--yes");
    assertThat(cleared.out()).isEqualTo("{\"removed\":1}\n");
    assertThat(observer.getGroup("g")).isEmpty();
  }

  @Test
  void migrateCopiesGroupsToTheOtherLayoutOnceAndDeletesTheSourceOnlyWhenAsked() {
    for (int i = 0; i < 12_000; i++) {
      observer.set("big", "i" + i, java.util.Map.of("i", i));
    }
    observer.set("small", "a", java.util.Map.of("a", 1));
    CliRun first = cli("migrate", "--from", "flat", "--to", "hash", "--all");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo(
        "{\"groups\":2,\"items\":12001,\"copied\":12001,\"alreadyThere\":0,\"sourceRemoved\":0}\n");
    assertThat(first.err()).contains("group 'big': 10000 of 12000 items, 10000 copied")
        .contains("group 'big': 12000 of 12000 items, 12000 copied");
    assertThat(cli("--layout", "hash", "get", "small", "a").out()).isEqualTo("{\"a\":1,\"id\":\"a\"}\n");

    CliRun again = cli(true, "", "migrate", "--from", "flat", "--to", "hash", "big", "small");
    assertThat(again.out()).isEqualTo("migrated 2 groups from flat to hash: 12001 items, 0 copied,"
        + " 12001 already there\n");
    assertThat(observer.getGroup("big")).hasSize(12_000);

    CliRun moved = cli("migrate", "--from", "flat", "--to", "hash", "small", "--delete-source");
    assertThat(moved.out()).contains("\"alreadyThere\":1,\"sourceRemoved\":1");
    assertThat(observer.get("small", "a")).isEmpty();
    assertThat(cli("--layout", "HASH", "group", "small").out()).contains("\"a\":1");
  }

  @Test
  void migrateRefusesAMissingChoiceOfGroupsOrAnUnknownLayout() {
    CliRun none = cli("migrate", "--from", "flat", "--to", "hash");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("GROUP names to move, or --all");
    CliRun both = cli("migrate", "--from", "flat", "--to", "hash", "--all", "g");
    assertThat(both.err()).contains("not both");
    CliRun unknown = cli("migrate", "--from", "flat", "--to", "tree", "g");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("--to must be 'flat' or 'hash', but was 'tree'");
    CliRun same = cli("migrate", "--from", "hash", "--to", "hash", "g");
    assertThat(same.err()).contains("different layouts");
    assertThat(cli("--layout", "tree", "get", "g", "a").err()).contains("--layout must be 'flat' or 'hash'");
  }

  @Test
  void clearAsksOnATerminalAndShowsProgressOnLargeGroups() {
    for (int i = 0; i < 2500; i++) {
      observer.set("big", "i" + i, java.util.Map.of("i", i));
    }
    CliRun declined = cli(true, "n\n", "clear", "big");
    assertThat(declined.err()).contains("Remove all 2500 items of group 'big'").contains("nothing removed");
    assertThat(observer.getGroup("big")).hasSize(2500);

    CliRun accepted = cli(true, "y\n", "clear", "big");
    assertThat(accepted.exitCode()).isZero();
    assertThat(accepted.out()).isEqualTo("removed 2500 items from group 'big'\n");
    assertThat(observer.getGroup("big")).isEmpty();
  }

  @Test
  void sendPublishesOnTheGroupOrItemChannel() {
    EventRecorder group = new EventRecorder("group");
    EventRecorder item = new EventRecorder("item");
    observer.subscribe(StreamChannel.group("chat"), group);
    observer.subscribe(StreamChannel.item("chat", "room-1"), item);

    assertThat(cli("send", "chat", "hello").exitCode()).isZero();
    assertThat(cli("send", "chat", "typing", "{\"who\":\"ann\"}").exitCode()).isZero();
    assertThat(cli("send", "chat", "room-1", "joined").exitCode()).isZero();
    assertThat(cli("send", "chat", "room-1", "said", "\"hi\"").exitCode()).isZero();

    assertThat(group.awaitCount(2)).extracting(e -> e.type() + " " + e.data())
        .containsExactly("hello null", "typing {\"who\":\"ann\"}");
    assertThat(item.awaitCount(2)).extracting(e -> e.type() + " " + e.data())
        .containsExactly("joined null", "said \"hi\"");
    assertThat(observer.getGroup("chat")).isEmpty();
  }

  @Test
  void watchPrintsOneLinePerEventUntilTheCount() throws Exception {
    CompletableFuture<CliRun> watch = CompletableFuture.supplyAsync(
        () -> cli("watch", "users", "--count", "2"));
    // The watcher subscribes asynchronously: write until it has seen two events.
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      observer.set("users", "u1", java.util.Map.of("v", 1));
      return watch.isDone();
    });
    CliRun run = watch.get();
    assertThat(run.exitCode()).as(run.err()).isZero();
    String[] lines = run.out().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).matches("\\{\"time\":\"[^\"]+\",\"channel\":\"users\",\"type\":\"(create|update)\",\"id\":\"u1\",\"data\":\\{\"v\":1,\"id\":\"u1\"}}");
    assertThat(lines[1]).contains("\"type\":\"update\"");
  }

  @Test
  void anUnknownBackendIsAUsageErrorListingTheAvailableOnes() {
    CliRun run = CliRun.run("get", "g", "i", "--backend", "nope");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("streams: Streams backend \"nope\" is not on the classpath. Backends on the classpath: [memory");
  }

  @Test
  void aPasswordIsNeverPrinted() {
    String password = "Cli-S3cret-Pw";
    CliRun run = CliRun.run("get", "g", "i", "--backend", "nope", "--password", password,
        "--url", "redis://u:" + password + "@h:notaport");
    assertThat(run.exitCode()).isEqualTo(2);
    // An invalid URL is shown as its scheme and host part only: no user-info, not even masked.
    assertThat(run.out() + run.err()).doesNotContain(password).doesNotContain("u:").contains("'redis://h:notaport'");
  }
}
