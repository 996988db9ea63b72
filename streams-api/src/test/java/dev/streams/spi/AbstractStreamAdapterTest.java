package dev.streams.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamConfig;
import dev.streams.StreamDataException;
import dev.streams.StreamGroup;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What every backend gets from the base class: group reads that keep a repeated key once. */
class AbstractStreamAdapterTest {

  /** A backend whose group read reports fixed entries, repeats included, as SCAN may. */
  private static final class ScriptedBackend extends AbstractStreamAdapter {
    private final List<RawEntry> entries = new ArrayList<>();

    ScriptedBackend() {
      super(StreamConfig.builder().build(), "scripted", sink -> new ChannelTransport() {
        @Override
        public void subscribe(String channel) {}

        @Override
        public void unsubscribe(String channel) {}
      });
    }

    /** What removeGroup reports as foreign, in order. */
    private final List<String> foreignKeys = new ArrayList<>();

    ScriptedBackend entry(String id, String json) {
      entries.add(new RawEntry(layout().dataKey("g", id), json));
      return this;
    }

    ScriptedBackend foreign(String id) {
      foreignKeys.add(layout().dataKey("g", id));
      return this;
    }

    @Override
    protected void writeItem(ItemKeys item, String document) {
      throw new UnsupportedOperationException();
    }

    @Override
    protected Optional<String> readItem(ItemKeys item) {
      return entries.stream().filter(e -> e.key().equals(item.key())).map(RawEntry::value).findFirst();
    }

    @Override
    protected Optional<String> removeItem(ItemKeys item) {
      throw new UnsupportedOperationException();
    }

    @Override
    protected void readGroup(String groupId, Consumer<RawEntry> sink) {
      entries.forEach(sink);
    }

    @Override
    protected long removeGroup(String groupId, Consumer<StreamDataException> foreign) {
      foreignKeys.forEach(key -> foreign.accept(new StreamDataException(key, "not an item: " + key)));
      return entries.size();
    }

    @Override
    protected void publish(String channel, String message) {
      throw new UnsupportedOperationException();
    }

    @Override
    protected void closeBackend() {}
  }

  private static List<String> versions(List<ObjectNode> documents) {
    return documents.stream().map(d -> d.get("id").asText() + "@" + d.get("v").asInt()).toList();
  }

  @Test
  void getGroupKeepsTheFirstCopyOfARepeatedKeyInIdOrder() {
    try (ScriptedBackend backend = new ScriptedBackend()
        .entry("b", "{\"id\":\"b\",\"v\":1}")
        .entry("a", "{\"id\":\"a\",\"v\":1}")
        .entry("b", "{\"id\":\"b\",\"v\":2}")
        .entry("c", "{\"id\":\"c\",\"v\":1}")
        .entry("a", "{\"id\":\"a\",\"v\":2}")) {
      assertThat(versions(backend.getGroup("g"))).containsExactly("a@1", "b@1", "c@1");
    }
  }

  @Test
  void queryKeepsARepeatedKeyOnceWithOrWithoutALimit() {
    try (ScriptedBackend backend = new ScriptedBackend()
        .entry("b", "{\"id\":\"b\",\"v\":1}")
        .entry("a", "{\"id\":\"a\",\"v\":3}")
        .entry("b", "{\"id\":\"b\",\"v\":1}")
        .entry("c", "{\"id\":\"c\",\"v\":2}")) {
      assertThat(versions(backend.query("g", Query.builder().orderBy("v", SortDirection.DESC).build())))
          .containsExactly("a@3", "c@2", "b@1");
      assertThat(versions(backend.query("g", Query.builder().orderBy("v").limit(2).build())))
          .containsExactly("b@1", "c@2");
    }
  }

  @Test
  @DisplayName("O7 — clear reports the foreign keys the backend left, each once, after the items are removed")
  void clearReportsEveryForeignKeyOnce() {
    try (ScriptedBackend backend = new ScriptedBackend().entry("a", "{}").entry("b", "{}")
        .foreign("x").foreign("y").foreign("x")) {
      assertThatThrownBy(() -> backend.clear("g"))
          .isInstanceOf(StreamDataException.class)
          .hasMessageContaining("removed 2 items and left 2 keys untouched")
          .hasMessageContaining("'motia:stream:g:x', 'motia:stream:g:y'.")
          .satisfies(e -> assertThat(((StreamDataException) e).key()).isEqualTo("motia:stream:g:x"));
    }
  }

  @Test
  @DisplayName("O7 — clear over many foreign keys names the first ten and counts the rest")
  void clearNamesTheFirstForeignKeysAndCountsTheRest() {
    ScriptedBackend many = new ScriptedBackend();
    for (int i = 0; i < 25; i++) {
      many.foreign("f" + i);
    }
    try (ScriptedBackend backend = many) {
      assertThatThrownBy(() -> backend.clear("g"))
          .isInstanceOf(StreamDataException.class)
          .hasMessageContaining("left 25 keys untouched")
          .hasMessageContaining("'motia:stream:g:f9' and 15 more")
          .hasMessageNotContaining("'motia:stream:g:f10'");
    }
  }

  /** An item class the stored documents below do not fit. */
  record Counter(String id, int count) {}

  @Test
  @DisplayName("K7 — a stored document that does not fit a typed view's class fails with StreamDataException naming its key")
  void typedViewOfADocumentThatDoesNotFit() {
    try (ScriptedBackend backend = new ScriptedBackend().entry("c", "{\"count\":\"many\",\"id\":\"c\"}")) {
      StreamGroup<Counter> counters = backend.group("g", Counter.class);
      assertThatThrownBy(() -> counters.get("c"))
          .isInstanceOf(StreamDataException.class)
          .hasMessageContaining("motia:stream:g:c").hasMessageContaining(Counter.class.getName())
          .satisfies(e -> assertThat(((StreamDataException) e).key()).isEqualTo("motia:stream:g:c"));
      assertThatThrownBy(counters::getAll)
          .isInstanceOf(StreamDataException.class).hasMessageContaining("motia:stream:g:c");
      assertThatThrownBy(() -> counters.query(Query.all()))
          .isInstanceOf(StreamDataException.class).hasMessageContaining("motia:stream:g:c");
    }
  }
}
