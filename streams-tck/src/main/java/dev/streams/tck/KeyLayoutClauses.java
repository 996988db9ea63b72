package dev.streams.tck;

import static dev.streams.tck.DataClauses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamDataException;
import dev.streams.StreamEvent;
import dev.streams.StreamLayout;
import dev.streams.query.Query;
import dev.streams.spi.WireFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** K1–K7: keys, stored bytes, channels, enumeration and foreign data. */
public interface KeyLayoutClauses extends ClauseFamily {

  @Test
  @DisplayName("K1 — the data key is {keyPrefix}{groupId}:{id}, by default motia:stream:users:user-123 (under hash, L2: field {id} of {keyPrefix}{<tag>})")
  default void k1_dataKeyLayout() {
    RawView raw = tck().raw();
    tck().adapter().set("users", "user-123", json("{\"name\":\"John\"}"));
    tck().adapter().set("users", "a:b", json("{}"));
    StreamAdapter custom = tck().openAdapter(s -> s.keyPrefix("myapp:stream:"));
    custom.set("orders", "order-456", json("{}"));
    if (tck().layout() == StreamLayout.FLAT) {
      assertThat(raw.get("motia:stream:users:user-123")).isPresent();
      assertThat(raw.get("motia:stream:users:a:b")).isPresent();
      assertThat(raw.get("myapp:stream:orders:order-456")).isPresent();
      assertThat(raw.get("motia:stream:orders:order-456")).isEmpty();
    } else {
      assertThat(raw.getHash("motia:stream:{users}")).containsOnlyKeys("user-123", "a:b");
      assertThat(raw.getHash("myapp:stream:{orders}")).containsOnlyKeys("order-456");
      assertThat(raw.getHash("motia:stream:{orders}")).isEmpty();
    }
    assertThat(tck().adapter().dataKey("users", "a:b")).isEqualTo(tck().keys().dataKey("users", "a:b"));
  }

  @Test
  @DisplayName("K2 — the stored value is the document as compact UTF-8 JSON, fields in data order, id in place or last")
  default void k2_storedBytes() {
    StreamAdapter streams = tck().adapter();
    streams.set("users", "u1", json("{ \"name\" : \"Zoë 😀\", \"n\" : [1, 2.50, {\"k\": null}] }"));
    streams.set("users", "u2", json("{\"b\":true,\"id\":\"x\",\"a\":\"\\u00e9\\n\"}"));
    assertThat(tck().rawItem("users", "u1"))
        .contains("{\"name\":\"Zoë 😀\",\"n\":[1,2.50,{\"k\":null}],\"id\":\"u1\"}");
    assertThat(tck().rawItem("users", "u2"))
        .contains("{\"b\":true,\"id\":\"u2\",\"a\":\"é\\n\"}");
  }

  @Test
  @DisplayName("K3 — events go to {eventPrefix}{groupId} and {eventPrefix}{groupId}:{id}, by default motia:stream:events: (under hash, L2: {eventPrefix}{<tag>} and {eventPrefix}{<tag>}:{id})")
  default void k3_eventChannels() {
    RawView raw = tck().raw();
    boolean flat = tck().layout() == StreamLayout.FLAT;
    try (RawListener group = raw.listen(flat ? "motia:stream:events:users" : "motia:stream:events:{users}");
        RawListener item = raw.listen(flat ? "motia:stream:events:users:user-123"
            : "motia:stream:events:{users}:user-123");
        RawListener custom = raw.listen(flat ? "app-events:users" : "app-events:{users}")) {
      tck().adapter().set("users", "user-123", json("{}"));
      await().atMost(EventRecorder.patience())
          .until(() -> group.messages().size() == 1 && item.messages().size() == 1);

      // The event prefix is independent of the key prefix.
      StreamAdapter other = tck().openAdapter(s -> s.eventPrefix("app-events:").keyPrefix("app:"));
      other.set("users", "x", json("{}"));
      await().atMost(EventRecorder.patience()).until(() -> custom.messages().size() == 1);
      assertThat(tck().rawItem(tck().keys("app:", "app-events:"), "users", "x")).isPresent();
      assertThat(group.messages()).hasSize(1);
    }
  }

  @Test
  @DisplayName("K4 — no operation writes any key other than the data keys (under hash, L2: the groups' hashes)")
  default void k4_noOtherKeys() {
    RawView raw = tck().raw();
    StreamAdapter streams = tck().adapter();
    EventRecorder events = new EventRecorder("group");
    streams.subscribe(StreamChannel.group("g"), events);
    streams.set("g", "a", json("{\"v\":1}"));
    streams.set("g", "b", json("{\"v\":2}"));
    streams.set("g", "a", json("{\"v\":3}"));
    streams.set("h", "c", json("{}"));
    streams.get("g", "a");
    streams.getGroup("g");
    streams.query("g", Query.builder().where("v", 3).build());
    streams.delete("g", "b");
    streams.send(StreamChannel.item("g", "a"), StreamEvent.of("custom", 1));
    streams.clear("h");
    tck().awaitQuiet(streams, StreamChannel.group("g"), events);

    assertThat(raw.keys()).containsExactly(tck().keys().dataKey("g", "a"));
  }

  @Test
  @DisplayName("K5 — glob characters, spaces and unicode in group names are literal: each group sees only its own items")
  default void k5_globCharactersAreLiteral() {
    StreamAdapter streams = tck().adapter();
    List<String> groups = List.of("a*", "abc", "a", "ab", "a?c", "axc", "a[b]c", "abc]", "[abc]",
        "a\\b", "a\\\\b", "a b", "a*b*", "*", "?", "[", "]", "\\", "ä*", "äbc", "a^", "a-z", "[a-z]");
    for (String group : groups) {
      streams.set(group, "only", json("{\"group\":" + DataClauses.text(
          com.fasterxml.jackson.databind.node.TextNode.valueOf(group)) + "}"));
      streams.set(group, "i:" + group, json("{}"));
    }
    for (String group : groups) {
      List<ObjectNode> items = streams.getGroup(group);
      assertThat(items).as("items of group '%s'", group).hasSize(2);
      assertThat(items.get(1).get("group").asText()).as("group '%s'", group).isEqualTo(group);
      assertThat(streams.query(group, Query.all())).as("query of group '%s'", group).hasSize(2);
    }
    assertThat(streams.clear("a*")).isEqualTo(2);
    for (String group : groups) {
      assertThat(streams.getGroup(group)).as("group '%s' after clear(\"a*\")", group)
          .hasSize(group.equals("a*") ? 0 : 2);
    }
  }

  @Test
  @DisplayName("K5 — a group read while items are written and deleted has each item once, in id order, no holes")
  default void k5_groupReadDuringChanges() throws Exception {
    StreamAdapter writer = tck().adapter();
    StreamAdapter reader = tck().openAdapter();
    for (int i = 0; i < 200; i++) {
      writer.set("busy", String.format("stable-%03d", i), json("{\"stable\":true}"));
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread churn = new Thread(() -> {
      try {
        for (int round = 0; !stop.get() && round < 100_000; round++) {
          String id = "churn-" + (round % 300);
          if (round % 2 == 0) {
            writer.set("busy", id, json("{\"round\":" + round + "}"));
          } else {
            writer.delete("busy", "churn-" + ((round * 7) % 300));
          }
        }
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "tck-k5-churn");
    churn.start();
    try {
      for (int read = 0; read < 20; read++) {
        List<ObjectNode> items = reader.getGroup("busy");
        List<String> ids = new ArrayList<>();
        for (ObjectNode item : items) {
          assertThat(item).as("an item of a group read").isNotNull();
          ids.add(item.get("id").asText());
        }
        assertThat(new HashSet<>(ids)).as("ids of read %d are unique", read).hasSameSizeAs(ids);
        assertThat(ids).as("ids of read %d", read).isSorted();
        assertThat(ids.stream().filter(id -> id.startsWith("stable-")).count())
            .as("stable items in read %d", read).isEqualTo(200);
      }
    } finally {
      stop.set(true);
      churn.join();
    }
    assertThat(failure.get()).as("failure of the writer").isNull();
  }

  @Test
  @DisplayName("K6 — the raw view shows an item under its key and carries messages on the event channels")
  default void k6_rawViewShowsTheLayout() {
    RawView raw = tck().raw();
    StreamAdapter streams = tck().adapter();
    ObjectNode stored = streams.set("users", "u1", json("{\"a\":1}"));
    assertThat(tck().rawItem("users", "u1")).contains(DataClauses.text(stored));
    assertThat(raw.keys()).contains(tck().keys().dataKey("users", "u1"));

    EventRecorder events = new EventRecorder("item channel");
    streams.subscribe(StreamChannel.item("users", "u1"), events);
    raw.publish(tck().keys().itemChannel("users", "u1"), "{\"type\":\"custom\",\"data\":{\"x\":[1]}}");
    List<StreamEvent> received = events.awaitCount(1);
    assertThat(received.get(0).type()).isEqualTo("custom");
    assertThat(DataClauses.text(received.get(0).data())).isEqualTo("{\"x\":[1]}");
  }

  /**
   * Values at a data key that {@code get} refuses, by kind: each is foreign data (K7) on every
   * backend, including those a lenient JSON reader (such as Redis's cjson) would accept.
   */
  static Map<String, String> foreignValues() {
    Map<String, String> foreign = new LinkedHashMap<>();
    foreign.put("not-json", "hello {");
    foreign.put("array", "[1,2]");
    foreign.put("string", "\"text\"");
    foreign.put("number", "42");
    foreign.put("empty", "");
    foreign.put("repeated-name", "{\"a\":1,\"a\":2}");
    foreign.put("repeated-escaped-name", "{\"a\":1,\"\\u0061\":2}");
    foreign.put("hex", "{\"a\":0x10}");
    foreign.put("nan", "{\"a\":nan}");
    foreign.put("inf", "{\"a\":inf}");
    foreign.put("plus", "{\"a\":+1}");
    foreign.put("leading-zero", "{\"a\":01}");
    foreign.put("huge-exponent", "{\"a\":1E89012345678901234567890}");
    foreign.put("trailing-comma", "{\"a\":1,}");
    foreign.put("trailing-text", "{\"a\":1} x");
    foreign.put("form-feed", "\f{\"a\":1}");
    return foreign;
  }

  /**
   * Sends a marker on a group's channel ({@link TckContext#sendMarker}) and waits until the raw
   * listener has every copy: then every message published there before it has arrived too.
   *
   * @return the messages before the marker
   */
  private List<String> rawUntilMarker(StreamAdapter via, String group, RawListener listener) {
    TckContext.Marker marker = tck().sendMarker(via, StreamChannel.group(group));
    await().atMost(EventRecorder.patience()).until(() ->
        listener.messages().stream().filter(m -> m.contains(marker.id())).count() >= marker.copies());
    // Up to the last copy: each copy follows every message its node published before it.
    List<String> messages = new ArrayList<>();
    int copies = 0;
    for (String message : listener.messages()) {
      if (message.contains(marker.id())) {
        if (++copies == marker.copies()) {
          return messages;
        }
      } else {
        messages.add(message);
      }
    }
    return messages;
  }

  @Test
  @DisplayName("K7 — a data key whose value get refuses (not JSON, not an object, repeated names, 0x10, nan, inf, +1, 01 ...) fails get, getGroup, query, set and delete with StreamDataException naming the key; the value stays untouched and no event carries it")
  default void k7_foreignDataFailsEveryOperation() {
    RawView raw = tck().raw();
    StreamAdapter streams = tck().adapter();
    for (Map.Entry<String, String> entry : foreignValues().entrySet()) {
      String group = "foreign-" + entry.getKey();
      String key = tck().keys().dataKey(group, "x");
      ObjectNode fine = streams.set(group, "fine", json("{}"));
      tck().putRawItem(group, "x", entry.getValue());
      try (RawListener channel = raw.listen(tck().keys().groupChannel(group))) {
        assertThatThrownBy(() -> streams.get(group, "x")).as("get at %s", key)
            .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
        assertThatThrownBy(() -> streams.getGroup(group)).as("getGroup over %s", key)
            .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
        assertThatThrownBy(() -> streams.query(group, Query.all())).as("query over %s", key)
            .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
        // Caught first, so that a call that does not fail is reported with its description.
        assertThat(catchThrowable(() -> streams.delete(group, "x"))).as("delete at %s", key)
            .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
        assertThat(catchThrowable(() -> streams.set(group, "x", json("{\"mine\":true}")))).as("set at %s", key)
            .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
        assertThat(tck().rawItem(group, "x")).as("foreign value at %s", key).contains(entry.getValue());
        assertThat(streams.get(group, "fine")).as("the valid item beside %s", key).isPresent();
        // O7: the items are removed, the foreign key is left and named afterwards.
        assertThat(catchThrowable(() -> streams.clear(group))).as("clear over %s", key)
            .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
        assertThat(tck().rawItem(group, "x")).as("foreign value at %s after clear", key)
            .contains(entry.getValue());
        assertThat(tck().rawItem(group, "fine")).as("the item beside %s after clear", key).isEmpty();
        assertThat(rawUntilMarker(streams, group, channel)).as("messages on the channel of %s", group)
            .containsExactly(WireFormat.eventMessage(StreamEvent.DELETE, DataClauses.text(fine)));
      }
    }
  }

  @Test
  @DisplayName("K7 — a value get accepts is an item for every operation, whoever wrote it: escaped lone surrogates, escaped names, insignificant whitespace")
  default void k7_valuesGetAcceptsAreItems() {
    RawView raw = tck().raw();
    StreamAdapter streams = tck().adapter();
    Map<String, String> accepted = new LinkedHashMap<>();
    accepted.put("lone-surrogate", "{\"a\":\"\\ud800\"}");
    accepted.put("escaped-name", "{\"\\u0061\":1,\"b\\n\":2}");
    accepted.put("whitespace", " {\"a\" :\t[1, 2.5e3, -0, {\"b\":null}] }\r\n");
    accepted.put("unicode", "{\"é😀\":\"ü\"}");
    for (Map.Entry<String, String> entry : accepted.entrySet()) {
      String group = "accepted-" + entry.getKey();
      String key = tck().keys().dataKey(group, "x");
      String value = entry.getValue();
      try (RawListener channel = raw.listen(tck().keys().groupChannel(group))) {
        tck().putRawItem(group, "x", value);
        assertThat(streams.get(group, "x")).as("get at %s", key).isPresent();
        assertThat(streams.getGroup(group)).as("getGroup over %s", key).hasSize(1);
        assertThat(streams.delete(group, "x")).as("delete at %s", key).isPresent();
        assertThat(tck().rawItem(group, "x")).as("value at %s after delete", key).isEmpty();

        tck().putRawItem(group, "x", value);
        ObjectNode replaced = streams.set(group, "x", json("{\"mine\":true}"));
        assertThat(tck().rawItem(group, "x")).as("value at %s after set", key)
            .contains(DataClauses.text(replaced));
        streams.delete(group, "x");

        tck().putRawItem(group, "x", value);
        assertThat(streams.clear(group)).as("clear over %s", key).isEqualTo(1);
        assertThat(tck().rawItem(group, "x")).as("value at %s after clear", key).isEmpty();

        assertThat(rawUntilMarker(streams, group, channel)).as("messages on the channel of %s", group)
            .containsExactly(
                WireFormat.eventMessage(StreamEvent.DELETE, value),
                WireFormat.eventMessage(StreamEvent.UPDATE, DataClauses.text(replaced)),
                WireFormat.eventMessage(StreamEvent.DELETE, DataClauses.text(replaced)),
                WireFormat.eventMessage(StreamEvent.DELETE, value));
      }
    }
  }

  @Test
  @DisplayName("K7 — a data key holding another type (a Redis hash; under hash, L2: a string where the group's hash belongs) fails get, getGroup, query, set and delete with StreamDataException naming the key; clear removes the items beside it, then names it; the value stays")
  default void k7_wrongTypeFailsEveryOperation() {
    RawView raw = tck().raw();
    StreamAdapter streams = tck().adapter();
    if (tck().layout() == StreamLayout.HASH) {
      String key = tck().keys().groupKey("typed");
      raw.putForeign(key, "{\"a\":1}");
      org.junit.jupiter.api.Assumptions.assumeTrue(raw.putForeignHash("motia:stream:{probe}", "f", "v"),
          "This clause needs a store with other types than strings (RawView.putForeignHash)");
      assertThatThrownBy(() -> streams.get("typed", "h"))
          .isInstanceOf(StreamDataException.class).hasMessageContaining(key)
          .satisfies(e -> assertThat(((StreamDataException) e).key()).isEqualTo(key));
      assertThatThrownBy(() -> streams.getGroup("typed"))
          .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
      assertThatThrownBy(() -> streams.query("typed", Query.all()))
          .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
      assertThatThrownBy(() -> streams.delete("typed", "h"))
          .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
      assertThatThrownBy(() -> streams.set("typed", "h", json("{}")))
          .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
      assertThatThrownBy(() -> streams.clear("typed"))
          .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
      assertThat(raw.get(key)).contains("{\"a\":1}");
      return;
    }
    String key = "motia:stream:typed:h";
    streams.set("typed", "fine", json("{}"));
    org.junit.jupiter.api.Assumptions.assumeTrue(raw.putForeignHash(key, "field", "value"),
        "This clause needs a store with other types than strings (RawView.putForeignHash)");
    assertThatThrownBy(() -> streams.get("typed", "h"))
        .isInstanceOf(StreamDataException.class).hasMessageContaining(key)
        .satisfies(e -> assertThat(((StreamDataException) e).key()).isEqualTo(key));
    assertThatThrownBy(() -> streams.getGroup("typed"))
        .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
    assertThatThrownBy(() -> streams.query("typed", Query.all()))
        .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
    assertThatThrownBy(() -> streams.delete("typed", "h"))
        .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
    assertThatThrownBy(() -> streams.set("typed", "h", json("{}")))
        .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
    assertThatThrownBy(() -> streams.clear("typed"))
        .isInstanceOf(StreamDataException.class).hasMessageContaining(key);
    assertThat(raw.get("motia:stream:typed:fine")).isEmpty();
    assertThat(raw.getHash(key)).containsExactly(Map.entry("field", "value"));
  }
}
