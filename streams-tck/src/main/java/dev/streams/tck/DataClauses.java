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
import dev.streams.StreamConfig;
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

/** D1–D6: items, names, documents, exact round trips and the limits. */
public interface DataClauses extends ClauseFamily {

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

  @Test
  @DisplayName("D5 — -0.0 keeps its sign and a Java float is stored as its shortest text: in the stored bytes, set's result, get, getGroup and events")
  default void d5_negativeZeroAndFloatsRoundTrip() {
    StreamAdapter streams = tck().adapter();
    EventRecorder events = new EventRecorder("group channel");
    streams.subscribe(StreamChannel.group("numbers"), events);
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("z", -0.0d);
    map.put("zf", -0.0f);
    map.put("f", 0.1f);
    map.put("d", 0.1d);
    ObjectNode tree = JsonNodeFactory.instance.objectNode().put("z", -0.0d).put("f", 0.1f);
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("map", "{\"z\":-0.0,\"zf\":-0.0,\"f\":0.1,\"d\":0.1,\"id\":\"map\"}");
    expected.put("tree", "{\"z\":-0.0,\"f\":0.1,\"id\":\"tree\"}");

    assertThat(text(streams.set("numbers", "map", map))).as("set's result").isEqualTo(expected.get("map"));
    assertThat(text(streams.set("numbers", "tree", tree))).as("set's result").isEqualTo(expected.get("tree"));
    // What get returns goes back in unchanged: read, then written again.
    ObjectNode again = streams.get("numbers", "map").orElseThrow().put("id", "again");
    assertThat(text(streams.set("numbers", "again", again))).as("set's result of a document read back")
        .isEqualTo(expected.get("map").replace("\"map\"", "\"again\""));
    expected.put("again", expected.get("map").replace("\"map\"", "\"again\""));
    if (tck().hasRawView()) {
      // Negative zeros as another writer may spell them: each comes back as it is stored.
      String spelled = "{\"a\":-0.0,\"b\":-0.00,\"c\":-0,\"d\":-0E+2,\"e\":[-0.0,{\"f\":-0.0}],\"id\":\"spelled\"}";
      tck().putRawItem("numbers", "spelled", spelled);
      expected.put("spelled", spelled);
      expected.forEach((id, document) -> assertThat(tck().rawItem("numbers", id))
          .as("stored bytes of %s", id).contains(document));
    }

    expected.forEach((id, document) -> assertThat(streams.get("numbers", id)).map(DataClauses::text)
        .as("get of %s", id).contains(document));
    assertThat(streams.getGroup("numbers")).extracting(DataClauses::text).as("getGroup")
        .containsExactlyElementsOf(new java.util.TreeMap<>(expected).values());
    tck().awaitQuiet(streams, StreamChannel.group("numbers"), events);
    tck().assertGroupEvents(TckContext.withoutMarkers(events.events()).stream().map(e -> text(e.data())).toList(),
        List.of(expected.get("map"), expected.get("tree"), expected.get("again")), "events");
  }

  /**
   * @param levels how many objects or arrays nest below the top-level object
   * @param kind "objects", "arrays" or "alternating" (an array inside an object inside an array ...)
   * @return the document, without id
   */
  static ObjectNode nested(int levels, String kind) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    JsonNode current = root;
    for (int level = 1; level <= levels; level++) {
      boolean array = kind.equals("arrays") || (kind.equals("alternating") && level % 2 == 1);
      JsonNode child = array ? JsonNodeFactory.instance.arrayNode() : JsonNodeFactory.instance.objectNode();
      if (current instanceof ObjectNode object) {
        object.set("n", child);
      } else {
        ((com.fasterxml.jackson.databind.node.ArrayNode) current).add(child);
      }
      current = child;
    }
    return root;
  }

  @Test
  @DisplayName("D6 — one nesting limit whatever nests: MAX_NESTING_DEPTH levels of objects, arrays or both alternating below the top object are stored, read back and delivered as events; one more fails with IllegalArgumentException before any I/O")
  default void d6_oneNestingLimitWhateverNests() {
    StreamAdapter streams = tck().adapter();
    EventRecorder events = new EventRecorder("group channel");
    streams.subscribe(StreamChannel.group("deep"), events);
    int limit = dev.streams.json.StreamJson.MAX_NESTING_DEPTH;
    List<String> kinds = List.of("objects", "arrays", "alternating");
    List<String> stored = new java.util.ArrayList<>();
    for (String kind : kinds) {
      ObjectNode atLimit = nested(limit, kind);
      String expected = text(atLimit.deepCopy().put("id", kind));
      assertThat(text(streams.set("deep", kind, atLimit))).as("set of %d levels of %s", limit, kind)
          .isEqualTo(expected);
      assertThat(streams.get("deep", kind)).map(DataClauses::text).as("get of %d levels of %s", limit, kind)
          .contains(expected);
      stored.add(expected);

      assertThatThrownBy(() -> streams.set("deep", kind + "-over", nested(limit + 1, kind)))
          .as("set of %d levels of %s", limit + 1, kind)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data");
    }
    // The same limit for data given as Java maps and lists.
    Object javaData = "leaf";
    for (int level = limit; level >= 1; level--) {
      javaData = level % 2 == 1 ? List.of(javaData) : Map.of("n", javaData);
    }
    Object overLimit = List.of(javaData);
    String expectedJava = text(streams.set("deep", "java", Map.of("n", javaData)));
    stored.add(expectedJava);
    assertThat(streams.get("deep", "java")).map(DataClauses::text).as("get of Java data at the limit")
        .contains(expectedJava);
    assertThatThrownBy(() -> streams.set("deep", "java-over", Map.of("n", overLimit)))
        .as("set of Java data one level over the limit")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data");

    assertThat(streams.getGroup("deep")).extracting(d -> d.get("id").asText()).as("items of the group")
        .containsExactly("alternating", "arrays", "java", "objects");
    tck().awaitQuiet(streams, StreamChannel.group("deep"), events);
    tck().assertGroupEvents(TckContext.withoutMarkers(events.events()).stream().map(e -> text(e.data())).toList(),
        stored, "events: one per accepted document, none for those refused");
  }

  /**
   * @param bytes the UTF-8 length of the document's text, 20 or more
   * @return data whose stored document {@code {"s":"...","id":"<one character>"}} is exactly that long,
   *     with two-byte characters, so that a check counting chars instead of bytes lets it through
   */
  static ObjectNode dataOfDocumentBytes(int bytes) {
    int padding = bytes - "{\"s\":\"\",\"id\":\"x\"}".length();
    return JsonNodeFactory.instance.objectNode()
        .put("s", "é".repeat(padding / 2) + "a".repeat(padding % 2));
  }

  @Test
  @DisplayName("D6 — one size limit: a document of maxDocumentBytes UTF-8 bytes is stored, one byte more fails with IllegalArgumentException naming maxDocumentBytes and the size, before any I/O; send's data likewise")
  default void d6_oneSizeLimit() {
    StreamAdapter streams = tck().openAdapter(settings -> settings.maxDocumentBytes(200));
    EventRecorder events = new EventRecorder("group channel");
    streams.subscribe(StreamChannel.group("sized"), events);
    List<String> keysBefore = tck().hasRawView() ? tck().raw().keys() : List.of();

    ObjectNode atLimit = streams.set("sized", "a", dataOfDocumentBytes(200));
    assertThat(text(atLimit).getBytes(java.nio.charset.StandardCharsets.UTF_8)).as("bytes of the document").hasSize(200);
    assertThat(streams.get("sized", "a")).map(DataClauses::text).contains(text(atLimit));
    assertThatThrownBy(() -> streams.set("sized", "b", dataOfDocumentBytes(201)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDocumentBytes").hasMessageContaining("200").hasMessageContaining("201");

    ObjectNode sendAtLimit = dataOfDocumentBytes(200 + ",\"id\":\"x\"".length());
    assertThat(text(sendAtLimit).getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(200);
    streams.send(StreamChannel.group("sized"), new StreamEvent("big", sendAtLimit));
    ObjectNode sendOver = dataOfDocumentBytes(201 + ",\"id\":\"x\"".length());
    assertThatThrownBy(() -> streams.send(StreamChannel.group("sized"), new StreamEvent("big", sendOver)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDocumentBytes").hasMessageContaining("201");

    assertThat(streams.getGroup("sized")).extracting(d -> d.get("id").asText()).containsExactly("a");
    if (tck().hasRawView()) {
      assertThat(tck().raw().keys()).as("keys after the refused set")
          .containsExactlyInAnyOrderElementsOf(concat(keysBefore, tck().keys().dataKey("sized", "a")));
    }
    tck().awaitQuiet(streams, StreamChannel.group("sized"), events);
    tck().assertGroupEvents(TckContext.withoutMarkers(events.events()).stream().map(StreamEvent::type).toList(),
        List.of(StreamEvent.CREATE, "big"), "events: the accepted set and send only");
  }

  private static List<String> concat(List<String> list, String element) {
    List<String> result = new java.util.ArrayList<>(list);
    result.add(element);
    return result;
  }

  @Test
  @DisplayName("D6 — by default maxDocumentBytes is StreamConfig.DEFAULT_MAX_DOCUMENT_BYTES: a document of that many bytes is stored, one byte more is refused")
  default void d6_defaultSizeLimit() {
    StreamAdapter streams = tck().adapter();
    int limit = StreamConfig.DEFAULT_MAX_DOCUMENT_BYTES;
    assertThat(StreamConfig.defaults().maxDocumentBytes()).isEqualTo(limit);
    ObjectNode atLimit = streams.set("sized", "a", dataOfDocumentBytes(limit));
    assertThat(streams.get("sized", "a")).map(d -> d.get("s").asText().length())
        .contains(atLimit.get("s").asText().length());
    assertThatThrownBy(() -> streams.set("sized", "b", dataOfDocumentBytes(limit + 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDocumentBytes");
    assertThat(streams.get("sized", "b")).isEmpty();
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
