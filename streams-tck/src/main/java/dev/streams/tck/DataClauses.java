package dev.streams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import dev.streams.StreamGroup;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** SPEC.md D1–D5: items, names, documents and exact round trips. */
public interface DataClauses extends TckClauses {

  /**
   * A plain Jackson mapper for expected values, keeping decimals exact: the TCK does not trust the
   * library's own codec.
   */
  ObjectMapper PLAIN = JsonMapper.builder()
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  /**
   * @param json JSON object text
   * @return the parsed object, numbers exact
   */
  static ObjectNode json(String json) {
    try {
      return (ObjectNode) PLAIN.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad JSON in a TCK test: " + json, e);
    }
  }

  /**
   * @param node a JSON tree
   * @return its compact text, as a plain Jackson writes it
   */
  static String text(JsonNode node) {
    try {
      return PLAIN.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("D1 — an item is addressed by group and id: same id in two groups, two ids in one group")
  default void d1_itemsAreAddressedByGroupAndId() {
    StreamAdapter streams = tck().adapter();
    streams.set("users", "a", json("{\"n\":1}"));
    streams.set("users", "b", json("{\"n\":2}"));
    streams.set("orders", "a", json("{\"n\":3}"));

    assertThat(streams.get("users", "a")).map(d -> d.get("n").asInt()).contains(1);
    assertThat(streams.get("users", "b")).map(d -> d.get("n").asInt()).contains(2);
    assertThat(streams.get("orders", "a")).map(d -> d.get("n").asInt()).contains(3);
  }

  @Test
  @DisplayName("D2 — names of exactly 1024 UTF-8 bytes, ids with ':' and glob, space and unicode characters are valid")
  default void d2_validNamesAreAccepted() {
    StreamAdapter streams = tck().adapter();
    String group1024 = "é".repeat(511) + "gg"; // 511 × 2 bytes + 2 = 1024 bytes
    String id1024 = "x".repeat(1021) + "€"; // 1021 + 3 = 1024 bytes
    Map<String, String> names = new LinkedHashMap<>();
    names.put(group1024, id1024);
    names.put("with space", "a:b:c");
    names.put("*?[]\\", "*?[]\\ id");
    names.put("ユーザー 😀", "ключ 😀");
    names.forEach((group, id) -> {
      streams.set(group, id, json("{\"ok\":true}"));
      assertThat(streams.get(group, id))
          .as("item (%s, %s)", group, id)
          .map(d -> d.get("id").asText()).contains(id);
      assertThat(streams.getGroup(group)).hasSize(1);
    });
  }

  @Test
  @DisplayName("D2 — a groupId with ':', empty names and names over 1024 UTF-8 bytes are rejected")
  default void d2_invalidNamesAreRejected() {
    StreamAdapter streams = tck().adapter();
    ObjectNode data = json("{}");
    assertThatThrownBy(() -> streams.set("a:b", "c", data))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupId");
    assertThatThrownBy(() -> streams.set("", "c", data))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupId");
    assertThatThrownBy(() -> streams.set("g", "", data))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
    assertThatThrownBy(() -> streams.set("é".repeat(512) + "g", "c", data))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupId");
    assertThatThrownBy(() -> streams.set("g", "x".repeat(1022) + "€", data))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
    assertThat(streams.getGroup("g")).isEmpty();
  }

  @Test
  @DisplayName("D3 — null arguments and data that is not a JSON object fail with IllegalArgumentException naming the argument, before any write or event")
  default void d3_invalidInputFailsBeforeAnyIo() {
    StreamAdapter streams = tck().adapter();
    EventRecorder events = new EventRecorder("group channel");
    streams.subscribe(StreamChannel.group("g"), events);
    List<String> keysBefore = tck().hasRawView() ? tck().raw().keys() : List.of();

    List<Map.Entry<String, ThrowingCallable>> calls = List.of(
        Map.entry("groupId", () -> streams.set(null, "i", json("{}"))),
        Map.entry("id", () -> streams.set("g", null, json("{}"))),
        Map.entry("data", () -> streams.set("g", "i", null)),
        Map.entry("data", () -> streams.set("g", "i", JsonNodeFactory.instance.nullNode())),
        Map.entry("data", () -> streams.set("g", "i", List.of(1, 2))),
        Map.entry("data", () -> streams.set("g", "i", "a string")),
        Map.entry("data", () -> streams.set("g", "i", 42)),
        Map.entry("data", () -> streams.set("g", "i", JsonNodeFactory.instance.arrayNode())),
        Map.entry("groupId", () -> streams.get(null, "i")),
        Map.entry("id", () -> streams.delete("g", null)),
        Map.entry("groupId", () -> streams.getGroup(null)),
        Map.entry("query", () -> streams.query("g", null)),
        Map.entry("groupId", () -> streams.clear("a:b")),
        Map.entry("channel", () -> streams.send(null, StreamEvent.of("t", 1))),
        Map.entry("event", () -> streams.send(StreamChannel.group("g"), null)),
        Map.entry("handler", () -> streams.subscribe(StreamChannel.group("g"), null)));
    for (int i = 0; i < calls.size(); i++) {
      String argument = calls.get(i).getKey();
      assertThatThrownBy(calls.get(i).getValue())
          .as("call %d, with a bad %s", i, argument)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(argument);
    }

    assertThat(streams.getGroup("g")).as("items written by failed calls").isEmpty();
    if (tck().hasRawView()) {
      assertThat(tck().raw().keys()).as("keys after failed calls").isEqualTo(keysBefore);
    }
    tck().awaitQuiet(streams, StreamChannel.group("g"), events);
    assertThat(TckContext.withoutMarkers(events.events())).as("events sent by failed calls").isEmpty();
  }

  @Test
  @DisplayName("D4 — the stored document is the data with \"id\" set to the item id, in place or last; set returns it")
  default void d4_documentCarriesTheId() {
    StreamAdapter streams = tck().adapter();
    ObjectNode returned = streams.set("users", "u1", json("{\"name\":\"Ann\",\"age\":30}"));
    assertThat(text(returned)).isEqualTo("{\"name\":\"Ann\",\"age\":30,\"id\":\"u1\"}");
    assertThat(streams.get("users", "u1")).map(DataClauses::text).contains(text(returned));

    ObjectNode replaced = streams.set("users", "u2", json("{\"id\":\"other\",\"name\":\"Bo\"}"));
    assertThat(text(replaced)).isEqualTo("{\"id\":\"u2\",\"name\":\"Bo\"}");
    assertThat(streams.get("users", "u2")).map(DataClauses::text).contains(text(replaced));

    Map<String, Object> map = new LinkedHashMap<>();
    map.put("z", 1);
    map.put("a", List.of("x"));
    assertThat(text(streams.set("users", "u3", map))).isEqualTo("{\"z\":1,\"a\":[\"x\"],\"id\":\"u3\"}");
  }

  @Test
  @DisplayName("D5 — 64-bit integers, big integers, decimals, unicode, nesting, explicit nulls and field order round-trip exactly")
  default void d5_roundTripIsExact() {
    StreamAdapter streams = tck().adapter();
    String[] documents = {
        "{\"max\":9223372036854775807,\"min\":-9223372036854775808,\"big\":123456789012345678901234567890,\"id\":\"n\"}",
        "{\"a\":0.1,\"b\":1.10,\"c\":3.141592653589793238462643383279,\"d\":-0.0001,\"e\":100.0,\"id\":\"d\"}",
        "{\"s\":\"héllo wörld ✓ 中文 😀\",\"esc\":\"quote \\\" backslash \\\\ tab \\t nl \\n\",\"id\":\"u\"}",
        "{\"z\":null,\"y\":[1,[2,[3,{\"x\":null}]]],\"x\":{\"b\":{},\"a\":[]},\"id\":\"t\"}",
        "{\"zeta\":1,\"alpha\":2,\"mid\":3,\"id\":\"o\"}",
    };
    for (String document : documents) {
      ObjectNode input = json(document);
      String id = input.get("id").asText();
      streams.set("round-trip", id, input);
      Optional<ObjectNode> back = streams.get("round-trip", id);
      assertThat(back).as("document %s", document).isPresent();
      assertThat(text(back.get())).as("round trip of %s", document).isEqualTo(document);
      assertThat(back.get().get("max") == null || back.get().get("max").longValue() == Long.MAX_VALUE)
          .isTrue();
    }
    ObjectNode decimals = streams.get("round-trip", "d").orElseThrow();
    assertThat(decimals.get("c").decimalValue())
        .isEqualTo(new BigDecimal("3.141592653589793238462643383279"));
  }

  /** An application's own item class, for the typed round trip. */
  record Person(String id, String name, long visits, List<String> tags) {}

  @Test
  @DisplayName("D5 — typed items (a record) round-trip through the typed group view")
  default void d5_typedItemsRoundTrip() {
    StreamGroup<Person> people = tck().adapter().group("people", Person.class);
    Person stored = people.set("p1", new Person(null, "Zoë", Long.MAX_VALUE, List.of("a", "b")));
    assertThat(stored).isEqualTo(new Person("p1", "Zoë", Long.MAX_VALUE, List.of("a", "b")));
    assertThat(people.get("p1")).contains(stored);
    assertThat(people.getAll()).containsExactly(stored);
    assertThat(people.delete("p1")).contains(stored);
    assertThat(people.get("p1")).isEmpty();
  }
}
