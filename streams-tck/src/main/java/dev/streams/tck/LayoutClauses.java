package dev.streams.tck;

import static dev.streams.tck.DataClauses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.StreamDataException;
import dev.streams.StreamEvent;
import dev.streams.StreamLayout;
import dev.streams.query.Query;
import dev.streams.spi.KeyLayout;
import dev.streams.spi.StreamMigration;
import dev.streams.spi.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** L1, L2, L4: the layout option, the hash layout's names, and moving groups between layouts. */
public interface LayoutClauses extends ClauseFamily {

  /** Group ids whose hash tag needs care (L2): braces anywhere, the escape character, glob text. */
  static List<String> awkwardGroups() {
    return List.of("users", "a{b", "a}b", "}x", "{x}", "{", "}", "{}", "}{", "%", "%7D", "%25", "a%7Db",
        "*", "a b", "é😀", "x}}y{{z");
  }

  /** A migration opens its adapters by the backend's name: skipped where S1 finds no provider. */
  private void requireRegisteredProvider() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Discovery.registered(tck().backendName()).isPresent(),
        "This clause needs the backend's provider registered for ServiceLoader, which S1 found it is not");
  }

  @Test
  @DisplayName("L1 — layout is an option: flat by default, hash on request (any case), anything else refused naming it; both layouts live side by side on one store without seeing each other's items")
  default void l1_layoutOption() {
    assertThat(StreamConfig.defaults().layout()).isEqualTo(StreamLayout.FLAT);
    assertThat(StreamConfig.builder().layout("HASH").build().layout()).isEqualTo(StreamLayout.HASH);
    assertThat(StreamConfig.builder().layout("hash").build().toString()).contains("layout=hash");
    assertThatThrownBy(() -> StreamConfig.builder().layout("tree"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layout").hasMessageContaining("tree");
    assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("STREAMS_LAYOUT", "tree")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STREAMS_LAYOUT");
    assertThat(StreamConfig.fromEnvironment(Map.of("STREAMS_LAYOUT", "hash")).layout())
        .isEqualTo(StreamLayout.HASH);

    StreamAdapter flat = tck().openAdapter(s -> s.layout(StreamLayout.FLAT));
    StreamAdapter hash = tck().openAdapter(s -> s.layout(StreamLayout.HASH));
    flat.set("g", "a", json("{\"in\":\"flat\"}"));
    hash.set("g", "b", json("{\"in\":\"hash\"}"));
    assertThat(flat.getGroup("g")).extracting(d -> d.get("id").asText()).containsExactly("a");
    assertThat(hash.getGroup("g")).extracting(d -> d.get("id").asText()).containsExactly("b");
    assertThat(flat.get("g", "b")).isEmpty();
    assertThat(hash.get("g", "a")).isEmpty();
    assertThat(hash.clear("g")).isEqualTo(1);
    assertThat(flat.get("g", "a")).isPresent();
  }

  @Test
  @DisplayName("L1 — under hash, a prefix containing { or } is refused when the configuration is built, naming the option")
  default void l1_bracesInPrefixesAreRefusedUnderHash() {
    assertThatThrownBy(() -> StreamConfig.builder().layout(StreamLayout.HASH).keyPrefix("app:{x}:").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix")
        .hasMessageContaining("app:{x}:");
    assertThatThrownBy(() -> StreamConfig.builder().eventPrefix("ev}:").layout(StreamLayout.HASH).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventPrefix");
    assertThat(StreamConfig.builder().keyPrefix("app:{x}:").build().keyPrefix()).isEqualTo("app:{x}:");
  }

  @Test
  @DisplayName("L2 — under hash a group is the hash {keyPrefix}{<tag>} (field = id, value = the K2 document), its channels {eventPrefix}{<tag>} and {eventPrefix}{<tag>}:{id}, <tag> the group with % as %25 and } as %7D, for every legal group id")
  default void l2_hashLayoutNames() {
    RawView raw = tck().raw();
    StreamAdapter streams = tck().openAdapter(s -> s.layout(StreamLayout.HASH));
    org.junit.jupiter.api.Assumptions.assumeTrue(raw.putForeignHash("motia:stream:{probe}", "f", "v"),
        "This clause needs a raw view with hashes (RawView.putForeignHash)");
    for (String group : awkwardGroups()) {
      String tag = group.replace("%", "%25").replace("}", "%7D");
      String hashKey = "motia:stream:{" + tag + "}";
      String groupChannel = "motia:stream:events:{" + tag + "}";
      String itemChannel = groupChannel + ":i{d}";
      try (RawListener groupListener = raw.listen(groupChannel, StreamLayout.HASH);
          RawListener itemListener = raw.listen(itemChannel, StreamLayout.HASH)) {
        ObjectNode stored = streams.set(group, "i{d}", json("{\"g\":1}"));
        String document = DataClauses.text(stored);
        assertThat(raw.getHash(hashKey)).as("hash of group '%s'", group)
            .containsExactly(Map.entry("i{d}", document));
        assertThat(streams.dataKey(group, "i{d}")).isEqualTo(hashKey);
        String message = WireFormat.eventMessage(StreamEvent.CREATE, document);
        await().atMost(EventRecorder.patience()).until(() ->
            groupListener.messages().contains(message) && itemListener.messages().contains(message));
      }
      assertThat(streams.getGroup(group)).as("group '%s'", group).hasSize(1);
    }
    List<String> expected = new ArrayList<>(List.of("motia:stream:{probe}"));
    for (String group : awkwardGroups()) {
      expected.add("motia:stream:{" + KeyLayout.hashTag(group) + "}");
    }
    assertThat(raw.keys()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  @DisplayName("L2 — under hash, get, getGroup, query, set, delete and clear work on the one hash; a foreign field fails them naming the key and the field, and the hash goes with its last item")
  default void l2_operationsOnTheHash() {
    RawView raw = tck().raw();
    StreamAdapter streams = tck().openAdapter(s -> s.layout(StreamLayout.HASH));
    for (int i = 0; i < 1_500; i++) {
      streams.set("big", String.format("i%04d", i), json("{\"n\":" + i + "}"));
    }
    assertThat(streams.getGroup("big")).hasSize(1_500);
    assertThat(streams.query("big", Query.builder().where("n", 4).build()))
        .extracting(d -> d.get("id").asText()).containsExactly("i0004");
    assertThat(streams.query("big", Query.builder().offset(1_000).limit(2).build()))
        .extracting(d -> d.get("id").asText()).containsExactly("i1000", "i1001");
    org.junit.jupiter.api.Assumptions.assumeTrue(raw.putForeignHash("motia:stream:{big}", "x", "[1]"),
        "This clause needs a raw view with hashes (RawView.putForeignHash)");
    assertThatThrownBy(() -> streams.get("big", "x")).isInstanceOf(StreamDataException.class)
        .hasMessageContaining("motia:stream:{big}").hasMessageContaining("'x'")
        .satisfies(e -> assertThat(((StreamDataException) e).field()).isEqualTo("x"));
    assertThatThrownBy(() -> streams.clear("big")).isInstanceOf(StreamDataException.class)
        .hasMessageContaining("motia:stream:{big}").hasMessageContaining("'x'");
    assertThat(raw.getHash("motia:stream:{big}")).containsExactly(Map.entry("x", "[1]"));
    streams.set("small", "only", json("{}"));
    assertThat(streams.delete("small", "only")).isPresent();
    assertThat(raw.keys()).containsExactly("motia:stream:{big}");
  }

  @Test
  @DisplayName("L4 — a migration copies every group from flat to hash byte for byte without events, a second run changes nothing, the source stays until asked, and back again")
  default void l4_migrationCopiesIdempotently() {
    requireRegisteredProvider();
    StreamAdapter flat = tck().openAdapter(s -> s.layout(StreamLayout.FLAT));
    StreamAdapter hash = tck().openAdapter(s -> s.layout(StreamLayout.HASH));
    for (int i = 0; i < 250; i++) {
      flat.set("a", "i" + i, json("{\"n\":" + i + ",\"d\":1.50}"));
    }
    flat.set("b{}", "x:y", json("{\"b\":true}"));
    hash.set("a", "i7", json("{\"newer\":true}"));
    EventRecorder events = new EventRecorder("hash group channel");
    hash.subscribe(dev.streams.StreamChannel.group("a"), events);
    StreamConfig config = tck().connection(s -> s).toBuilder().backend(tck().backendName()).build();
    List<StreamMigration.Progress> progress = new ArrayList<>();

    StreamMigration.Summary first = StreamMigration.of(config, StreamLayout.FLAT, StreamLayout.HASH)
        .allGroups().batchSize(100).onProgress(progress::add).run();
    assertThat(first).isEqualTo(new StreamMigration.Summary(2, 251, 250, 1, 0));
    assertThat(progress).last().isEqualTo(new StreamMigration.Progress("b{}", 1, 1, 1));
    assertThat(progress).filteredOn(p -> p.groupId().equals("a")).extracting(StreamMigration.Progress::done)
        .containsExactly(100L, 200L, 250L);
    assertThat(hash.getGroup("a")).extracting(DataClauses::text)
        .containsExactlyElementsOf(flat.getGroup("a").stream()
            .map(d -> d.get("id").asText().equals("i7") ? "{\"newer\":true,\"id\":\"i7\"}" : DataClauses.text(d))
            .toList());
    assertThat(hash.get("b{}", "x:y")).isPresent();
    assertThat(flat.getGroup("a")).hasSize(250);

    assertThat(StreamMigration.of(config, StreamLayout.FLAT, StreamLayout.HASH).allGroups().run())
        .isEqualTo(new StreamMigration.Summary(2, 251, 0, 251, 0));
    tck().awaitQuiet(hash, dev.streams.StreamChannel.group("a"), events);
    assertThat(TckContext.withoutMarkers(events.events())).as("events of the copy").isEmpty();

    StreamMigration.Summary back = StreamMigration.of(config, StreamLayout.HASH, StreamLayout.FLAT)
        .groups(List.of("a")).deleteSource(true).run();
    assertThat(back).isEqualTo(new StreamMigration.Summary(1, 250, 0, 250, 250));
    assertThat(hash.getGroup("a")).isEmpty();
    assertThat(flat.get("a", "i7")).map(DataClauses::text).contains("{\"n\":7,\"d\":1.50,\"id\":\"i7\"}");
  }

  @Test
  @DisplayName("L4 — a migration stopped part-way is finished by running it again; --delete-source then removes the source; a foreign source value stops it naming the key")
  default void l4_interruptedMigrationIsFinishedByARerun() {
    requireRegisteredProvider();
    StreamAdapter flat = tck().openAdapter(s -> s.layout(StreamLayout.FLAT));
    StreamAdapter hash = tck().openAdapter(s -> s.layout(StreamLayout.HASH));
    for (int i = 0; i < 1_000; i++) {
      flat.set("big", String.format("i%04d", i), json("{\"n\":" + i + "}"));
    }
    StreamConfig config = tck().connection(s -> s).toBuilder().backend(tck().backendName()).build();
    AtomicLong seen = new AtomicLong();
    assertThatThrownBy(() -> StreamMigration.of(config, StreamLayout.FLAT, StreamLayout.HASH)
        .groups(List.of("big")).batchSize(300).deleteSource(true).onProgress(p -> {
          seen.set(p.done());
          throw new IllegalStateException("stopped after " + p.done());
        }).run()).isInstanceOf(IllegalStateException.class).hasMessage("stopped after 300");
    assertThat(hash.getGroup("big")).hasSize(300);
    assertThat(flat.getGroup("big")).as("the source, kept when the run stops").hasSize(1_000);

    StreamMigration.Summary rerun = StreamMigration.of(config, StreamLayout.FLAT, StreamLayout.HASH)
        .groups(List.of("big")).deleteSource(true).run();
    assertThat(rerun).isEqualTo(new StreamMigration.Summary(1, 1_000, 700, 300, 1_000));
    assertThat(hash.getGroup("big")).hasSize(1_000);
    assertThat(flat.getGroup("big")).isEmpty();

    if (tck().hasRawView()) {
      flat.set("bad", "fine", json("{}"));
      tck().raw().putForeign("motia:stream:bad:x", "[1]");
      assertThatThrownBy(() -> StreamMigration.of(config, StreamLayout.FLAT, StreamLayout.HASH)
          .groups(List.of("bad")).run()).isInstanceOf(StreamDataException.class)
          .hasMessageContaining("motia:stream:bad:x");
      assertThat(hash.getGroup("bad")).isEmpty();
    }
  }
}
