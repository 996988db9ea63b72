package dev.streams.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.StreamDataException;
import dev.streams.spi.RawEntry;
import dev.streams.spi.KeyLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The group read against a scripted fake: pages, repeats, keys deleted meanwhile, wrong types. */
class GroupOperationsTest {

  /** Serves fixed SCAN pages; values from a map; counts round trips. */
  private static final class FakeCommands extends RefusingCommands {
    final List<List<String>> pages;
    final Map<String, String> strings = new TreeMap<>();
    final Map<String, String> types = new HashMap<>();
    final List<String> patterns = new ArrayList<>();
    /** "send NAME" and "await NAME" of each step, shared by the primaries of a fake cluster. */
    List<String> steps = new ArrayList<>();
    String name = "node";
    int roundTrips;

    FakeCommands(List<List<String>> pages) {
      this.pages = pages;
    }

    @Override
    public ScanPage scan(String cursor, String matchPattern, int count) {
      roundTrips++;
      return page(cursor, matchPattern);
    }

    private ScanPage page(String cursor, String matchPattern) {
      patterns.add(matchPattern);
      int index = Integer.parseInt(cursor);
      String next = index + 1 == pages.size() ? ScanPage.START : Integer.toString(index + 1);
      return new ScanPage(next, pages.get(index));
    }

    @Override
    public List<String> mget(List<String> keys) {
      roundTrips++;
      return keys.stream().map(strings::get).toList();
    }

    /** Sent steps not yet awaited: the read must await each before it sends the next. */
    int inFlight;

    @Override
    public PendingStep sendScanAndMget(String cursor, String pattern, int count, List<List<String>> batches) {
      assertThat(inFlight).as("steps in flight when another is sent").isZero();
      inFlight++;
      roundTrips++;
      steps.add("send " + name);
      List<String> values = new ArrayList<>();
      for (List<String> batch : batches) {
        assertThat(batch).hasSizeBetween(1, GroupOperations.MGET_BATCH);
        batch.forEach(key -> values.add(strings.get(key)));
      }
      ScanStep step = new ScanStep(cursor == null ? null : page(cursor, pattern), values);
      return new PendingStep() {
        private boolean awaited;

        @Override
        public ScanStep await() {
          awaited = true;
          inFlight--;
          steps.add("await " + name);
          return step;
        }

        @Override
        public void close() {
          if (!awaited) {
            abandoned++;
            inFlight--;
          }
        }
      };
    }

    /** Steps closed without being awaited. */
    int abandoned;

    @Override
    public String type(String key) {
      // A TYPE while a step holds its connection would wait on a second one from the same pool.
      assertThat(inFlight).as("steps in flight during TYPE").isZero();
      roundTrips++;
      return types.getOrDefault(key, strings.containsKey(key) ? "string" : "none");
    }

    /** The primaries of a fake cluster; none for a single server. */
    final List<FakeCommands> nodes = new ArrayList<>();

    @Override
    public List<? extends RedisCommands> primaries() {
      return nodes.isEmpty() ? List.of(this) : nodes;
    }
  }

  @Test
  @DisplayName("L3 — on a cluster the group is read and its groups listed from every primary, each scanned on its own node")
  void everyPrimaryIsScanned() {
    FakeCommands cluster = new FakeCommands(List.of());
    FakeCommands first = new FakeCommands(List.of(List.of("p:g:1"), List.of("p:g:2")));
    FakeCommands second = new FakeCommands(List.of(List.of("p:g:3")));
    first.strings.put("p:g:1", "{}");
    first.strings.put("p:g:2", "{}");
    second.strings.put("p:g:3", "{}");
    cluster.nodes.addAll(List.of(first, second));
    assertThat(read(cluster, "g")).extracting(RawEntry::key).containsExactlyInAnyOrder("p:g:1", "p:g:2", "p:g:3");
    List<String> groups = new ArrayList<>();
    GroupOperations.listGroups(cluster, new KeyLayout("p:", "e:"), groups::add);
    assertThat(groups).containsExactly("g", "g", "g");
    // The cluster's routed commands themselves never scan: that would reach one node only.
    assertThat(cluster.patterns).isEmpty();
  }

  @Test
  @DisplayName("L3 — every primary's step is sent before any reply is awaited, in reads and in the SCAN that clears and group lists share")
  void primariesAreScannedAtOnce() {
    FakeCommands cluster = new FakeCommands(List.of());
    for (String name : List.of("a", "b", "c")) {
      FakeCommands node = new FakeCommands(List.of(List.of("p:g:" + name)));
      node.name = name;
      node.steps = cluster.steps;
      node.strings.put("p:g:" + name, "{}");
      cluster.nodes.add(node);
    }
    assertThat(read(cluster, "g")).extracting(RawEntry::key).containsExactlyInAnyOrder("p:g:a", "p:g:b", "p:g:c");
    // The first pages, then each page's values: three nodes at a time.
    List<String> round = List.of("send a", "send b", "send c", "await a", "await b", "await c");
    assertThat(cluster.steps).containsExactlyElementsOf(
        java.util.stream.Stream.of(round, round).flatMap(List::stream).toList());
    cluster.steps.clear();
    GroupOperations.listGroups(cluster, new KeyLayout("p:", "e:"), group -> { });
    assertThat(cluster.steps).containsExactlyElementsOf(round);
  }

  @Test
  @DisplayName("K5 — pages are read with the escaped pattern, values fetched with the next page, gone keys skipped")
  void readsPages() {
    FakeCommands commands = new FakeCommands(List.of(
        List.of("p:a*:1", "p:a*:2"), List.of(), List.of("p:a*:2", "p:a*:gone"), List.of("p:a*:3")));
    commands.strings.put("p:a*:1", "{\"id\":\"1\"}");
    commands.strings.put("p:a*:2", "{\"id\":\"2\"}");
    commands.strings.put("p:a*:3", "{\"id\":\"3\"}");
    List<RawEntry> entries = read(commands, "a*");
    assertThat(entries).extracting(RawEntry::key).containsExactly("p:a*:1", "p:a*:2", "p:a*:2", "p:a*:3");
    assertThat(commands.patterns).containsOnly("p:a\\*:*");
    // The first SCAN, 3 steps that each carry a page's MGET with the next SCAN, the last page's
    // MGET alone, and a TYPE for the gone key.
    assertThat(commands.roundTrips).isEqualTo(6);
  }

  @Test
  @DisplayName("K5 — a page larger than one MGET batch is fetched in batches, all in one step")
  void largePage() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      keys.add("p:g:" + i);
    }
    FakeCommands commands = new FakeCommands(List.of(keys));
    keys.forEach(k -> commands.strings.put(k, "{}"));
    assertThat(read(commands, "g")).hasSize(2500);
    // The fake checks that no batch exceeds MGET_BATCH; the SCAN and one step carrying 3 MGETs.
    assertThat(commands.roundTrips).isEqualTo(2);
  }

  @Test
  @DisplayName("K5 — a page's values are handed on while the next page and its values are on their way")
  void readingOverlapsTheNextRequest() {
    FakeCommands commands = new FakeCommands(List.of(List.of("p:g:a"), List.of("p:g:b"), List.of("p:g:c")));
    List.of("a", "b", "c").forEach(id -> commands.strings.put("p:g:" + id, "{}"));
    List<Integer> inFlightAtEachEntry = new ArrayList<>();
    GroupOperations.read(commands, new KeyLayout("p:", "e:"), "g",
        entry -> inFlightAtEachEntry.add(commands.inFlight));
    // a and b are parsed while the next step is out; c, the last, after everything arrived.
    assertThat(inFlightAtEachEntry).containsExactly(1, 1, 0);
  }

  @Test
  @DisplayName("K5 — a failing consumer ends the read: the step in flight is abandoned, no further page is requested")
  void consumerFailureStopsTheRead() {
    FakeCommands commands = new FakeCommands(
        List.of(List.of("p:g:1"), List.of("p:g:2"), List.of("p:g:3"), List.of("p:g:4")));
    commands.strings.put("p:g:1", "{}");
    assertThatThrownBy(() -> GroupOperations.read(commands, new KeyLayout("p:", "e:"), "g", entry -> {
      throw new IllegalStateException("stop");
    })).hasMessage("stop");
    // The first SCAN, the step for page 2, the step for page 3 during which page 1 failed.
    assertThat(commands.patterns).hasSize(3);
    assertThat(commands.abandoned).isEqualTo(1);
    assertThat(commands.inFlight).isZero();
  }

  private static List<RawEntry> read(FakeCommands commands, String groupId) {
    List<RawEntry> entries = new ArrayList<>();
    GroupOperations.read(commands, new KeyLayout("p:", "e:"), groupId, entries::add);
    return entries;
  }

  @Test
  @DisplayName("K7 — a key of another type fails the read with StreamDataException naming it")
  void wrongType() {
    FakeCommands commands = new FakeCommands(List.of(List.of("p:g:1", "p:g:h")));
    commands.strings.put("p:g:1", "{}");
    commands.types.put("p:g:h", "hash");
    assertThatThrownBy(() -> read(commands, "g"))
        .isInstanceOf(StreamDataException.class).hasMessageContaining("p:g:h").hasMessageContaining("hash");
  }
}
