package dev.streams.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamDataException;
import dev.streams.StreamEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamJsonTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  record Person(String name, int age) {}

  @Test
  void idIsAddedLastWhenTheDataHasNone() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", "Ann");
    data.put("age", 30);
    StreamJson.Document document = StreamJson.toDocument(data, "u1");
    assertThat(document.json()).isEqualTo("{\"name\":\"Ann\",\"age\":30,\"id\":\"u1\"}");
    assertThat(document.node().toString()).isEqualTo(document.json());
  }

  @Test
  void idKeepsItsPlaceAndIsReplacedWhenTheDataHasOne() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("a", 1);
    data.put("id", 999);
    data.put("b", 2);
    assertThat(StreamJson.toDocument(data, "real").json()).isEqualTo("{\"a\":1,\"id\":\"real\",\"b\":2}");

    ObjectNode first = F.objectNode().put("id", "old").put("x", true);
    assertThat(StreamJson.toDocument(first, "new").json()).isEqualTo("{\"id\":\"new\",\"x\":true}");
  }

  @Test
  void emptyObjectBecomesJustTheId() {
    assertThat(StreamJson.toDocument(Map.of(), "a:b").json()).isEqualTo("{\"id\":\"a:b\"}");
  }

  @Test
  void recordsAndPojosAreWrittenAsObjects() {
    assertThat(StreamJson.toDocument(new Person("Bo", 7), "p").json())
        .isEqualTo("{\"name\":\"Bo\",\"age\":7,\"id\":\"p\"}");
  }

  @Test
  void theGivenJsonNodeIsNotChanged() {
    ObjectNode data = F.objectNode().put("x", 1);
    StreamJson.Document document = StreamJson.toDocument(data, "i");
    assertThat(data.toString()).isEqualTo("{\"x\":1}");
    assertThat(document.node()).isNotSameAs(data);
    document.node().put("y", 2);
    assertThat(data.has("y")).isFalse();
  }

  @Test
  void nonObjectDataFailsNamingData() {
    assertThatThrownBy(() -> StreamJson.toDocument(null, "i"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("data must not be null");
    assertThatThrownBy(() -> StreamJson.toDocument(List.of(1, 2), "i"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data must serialise to a JSON object, but was an array");
    assertThatThrownBy(() -> StreamJson.toDocument(new int[] {1}, "i"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data must serialise to a JSON object, but was an array");
    assertThatThrownBy(() -> StreamJson.toDocument("{\"a\":1}", "i"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data must serialise to a JSON object, but was a string");
    assertThatThrownBy(() -> StreamJson.toDocument(42, "i"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data must serialise to a JSON object, but was a number");
    assertThatThrownBy(() -> StreamJson.toDocument(true, "i"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data must serialise to a JSON object, but was a boolean");
    assertThatThrownBy(() -> StreamJson.toDocument(F.nullNode(), "i"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data must serialise to a JSON object, but was null");
    assertThatThrownBy(() -> StreamJson.toDocument(F.arrayNode(), "i"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data must serialise to a JSON object, but was an array");
  }

  @Test
  void unmappableDataFailsNamingData() {
    assertThatThrownBy(() -> StreamJson.toDocument(new Object(), "i"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("data cannot be mapped to JSON: ");
  }

  @Test
  void invalidUnicodeInDataFailsNamingData() {
    assertThatThrownBy(() -> StreamJson.toDocument(Map.of("s", "a\uD800b"), "i"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data contains a string that is not valid unicode (an unpaired surrogate at index 7"
            + " of its JSON text)");
    assertThatThrownBy(() -> StreamJson.toDocument(Map.of("\uDC00", 1), "i"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("data contains a string that is not valid unicode");
  }

  @Test
  void tooDeepDataFailsNamingData() {
    ObjectNode root = nested(1500);
    assertThatThrownBy(() -> StreamJson.toDocument(root, "i"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data nests objects and arrays more than 500 levels deep");
  }

  @Test
  void documentAtTheNestingLimitIsWrittenReadAndDeliveredAsAnEvent() {
    ObjectNode root = nested(StreamJson.MAX_NESTING_DEPTH);
    String json = StreamJson.toDocument(root, "i").json();
    assertThat(StreamJson.readDocument("k", json).toString()).isEqualTo(json);
    assertThat(StreamJson.readEvent(StreamJson.eventMessage("create", json)).data().toString()).isEqualTo(json);
  }

  @Test
  void everyDocumentThatCanBeStoredCanBeDeliveredAsAnEvent() {
    ObjectNode root = nested(StreamJson.MAX_NESTING_DEPTH + 1);
    String json;
    try {
      json = StreamJson.toDocument(root, "i").json();
    } catch (IllegalArgumentException rejected) {
      return; // rejecting it up front is fine too
    }
    assertThat(StreamJson.readEvent(StreamJson.eventMessage("create", json)).data().toString()).isEqualTo(json);
  }

  /** @return an object with {@code depth} levels of objects, the root included */
  private static ObjectNode nested(int depth) {
    ObjectNode root = F.objectNode();
    ObjectNode current = root;
    for (int i = 1; i < depth; i++) {
      current = current.putObject("a");
    }
    return root;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"min\":-9223372036854775808,\"max\":9223372036854775807,\"id\":\"x\"}",
      "{\"big\":123456789012345678901234567890,\"neg\":-18446744073709551617,\"id\":\"x\"}",
      "{\"a\":0.1,\"b\":1.10,\"c\":3.141592653589793238462643383279,\"d\":-0.000001,\"e\":100.0,\"id\":\"x\"}",
      "{\"a\":1.0E+2,\"b\":1.5E-7,\"id\":\"x\"}",
      "{\"s\":\"üñí©ødé 日本語 😀\",\"esc\":\"q\\\"b\\\\n\\nt\\t\\u0001\",\"id\":\"x\"}",
      "{\"n\":null,\"o\":{\"n\":null,\"a\":[null,{}]},\"id\":\"x\"}",
      "{\"z\":1,\"a\":2,\"m\":{\"y\":1,\"b\":2},\"id\":\"x\"}",
      "{\"id\":\"x\",\"after\":true,\"empty\":[],\"eo\":{}}",
      "{\"deep\":[[[[{\"a\":[1,[2,[3.50]]]}]]]],\"id\":\"x\"}",
      "{\"\":\"empty key\",\"id\":\"x\"}",
  })
  void storedTextRoundTripsExactly(String text) {
    ObjectNode read = StreamJson.readDocument("k", text);
    assertThat(StreamJson.write(read, "value")).isEqualTo(text);
    assertThat(StreamJson.toDocument(read, "x").json()).isEqualTo(text);
    ObjectNode again = StreamJson.readDocument("k", StreamJson.toDocument(read, "x").json());
    assertThat(again).isEqualTo(read);
  }

  @Test
  void numbersKeepTheirExactValueAndKind() {
    ObjectNode read = StreamJson.readDocument("k",
        "{\"max\":9223372036854775807,\"big\":18446744073709551616,\"pi\":3.141592653589793238462643383279,"
            + "\"tenth\":0.1}");
    assertThat(read.get("max").longValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(read.get("max").isIntegralNumber()).isTrue();
    assertThat(read.get("big").bigIntegerValue()).isEqualTo(new BigInteger("18446744073709551616"));
    assertThat(read.get("pi").decimalValue()).isEqualTo(new BigDecimal("3.141592653589793238462643383279"));
    assertThat(read.get("tenth").decimalValue()).isEqualTo(new BigDecimal("0.1"));
  }

  @Test
  void javaNumbersAreWrittenExactly() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("l", Long.MIN_VALUE);
    data.put("bd", new BigDecimal("1.10"));
    data.put("bi", new BigInteger("123456789012345678901234567890"));
    data.put("d", 0.1d);
    assertThat(StreamJson.toDocument(data, "i").json()).isEqualTo(
        "{\"l\":-9223372036854775808,\"bd\":1.10,\"bi\":123456789012345678901234567890,\"d\":0.1,\"id\":\"i\"}");
  }

  @Test
  void nonFiniteNumbersAreRejectedNamingData() {
    assertThatThrownBy(() -> StreamJson.toDocument(Map.of("x", Double.NaN), "i"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("data ");
    assertThatThrownBy(() -> StreamJson.toDocument(Map.of("x", Double.POSITIVE_INFINITY), "i"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("data ");
  }

  @Test
  void unicodeIsWrittenUnescaped() {
    String json = StreamJson.toDocument(Map.of("s", "é日😀"), "ü").json();
    assertThat(json).isEqualTo("{\"s\":\"é日😀\",\"id\":\"ü\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "{", "{\"a\":1", "{'a':1}", "{\"a\":1}x", "{\"a\":1}{\"b\":2}",
      "{\"a\":1,\"a\":2}", "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"b\":5}", "{\"a\":[{\"x\":1,\"x\":1}]}",
      "{a:1}", "{\"a\":NaN}"})
  void readDocumentOfNonJsonFailsNamingTheKey(String text) {
    assertThatThrownBy(() -> StreamJson.readDocument("motia:stream:g:bad", text))
        .isInstanceOfSatisfying(StreamDataException.class,
            e -> assertThat(e.key()).isEqualTo("motia:stream:g:bad"))
        .hasMessageStartingWith("Value at key 'motia:stream:g:bad' is not JSON: ");
  }

  @Test
  void readDocumentOfNonObjectsFailsNamingTheKeyAndWhatItWas() {
    assertNotObject("[1,2]", "an array");
    assertNotObject("\"text\"", "a string");
    assertNotObject("42", "a number");
    assertNotObject("true", "a boolean");
    assertNotObject("null", "null");
    assertNotObject("", "empty");
    assertNotObject("   ", "empty");
  }

  private static void assertNotObject(String text, String what) {
    assertThatThrownBy(() -> StreamJson.readDocument("k:1", text))
        .isInstanceOfSatisfying(StreamDataException.class, e -> assertThat(e.key()).isEqualTo("k:1"))
        .hasMessage("Value at key 'k:1' is not a JSON object but " + what);
  }

  @Test
  void eventMessageIsCompactWithTypeFirst() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", "Ann");
    data.put("id", "u1");
    assertThat(StreamJson.eventMessage(StreamEvent.of("create", data)))
        .isEqualTo("{\"type\":\"create\",\"data\":{\"name\":\"Ann\",\"id\":\"u1\"}}");
    assertThat(StreamJson.eventMessage(StreamEvent.of("custom", null)))
        .isEqualTo("{\"type\":\"custom\",\"data\":null}");
    assertThat(StreamJson.eventMessage(StreamEvent.of("n", List.of(1, "a"))))
        .isEqualTo("{\"type\":\"n\",\"data\":[1,\"a\"]}");
    assertThat(StreamJson.eventMessage(StreamEvent.sync("overflow")))
        .isEqualTo("{\"type\":\"sync\",\"data\":{\"reason\":\"overflow\"}}");
    assertThat(StreamJson.eventMessage("update", "{\"id\":\"x\"}"))
        .isEqualTo("{\"type\":\"update\",\"data\":{\"id\":\"x\"}}");
    assertThat(StreamJson.eventMessage("a\"b\\c", "1")).isEqualTo("{\"type\":\"a\\\"b\\\\c\",\"data\":1}");
  }

  @Test
  void eventOfAStoredDocumentCarriesItsExactText() {
    String document = StreamJson.toDocument(StreamJson.readDocument("k",
        "{\"v\":1.10,\"big\":9223372036854775807,\"s\":\"日\"}"), "x").json();
    String message = StreamJson.eventMessage("create", document);
    assertThat(message).isEqualTo("{\"type\":\"create\",\"data\":" + document + "}");
    StreamEvent event = StreamJson.readEvent(message);
    assertThat(event.type()).isEqualTo("create");
    assertThat(StreamJson.write(event.data(), "data")).isEqualTo(document);
    assertThat(StreamJson.eventMessage(event)).isEqualTo(message);
  }

  @Test
  void readEventAcceptsAnyDataAndFieldOrder() {
    StreamEvent event = StreamJson.readEvent("{\"data\":{\"a\":1},\"type\":\"t\",\"extra\":0}");
    assertThat(event.type()).isEqualTo("t");
    assertThat(event.data().toString()).isEqualTo("{\"a\":1}");
    assertThat(StreamJson.readEvent("{\"type\":\"t\",\"data\":null}").data().isNull()).isTrue();
    assertThat(StreamJson.readEvent("{\"type\":\"t\",\"data\":\"s\"}").data().textValue()).isEqualTo("s");
  }

  @Test
  void readEventRejectsGarbage() {
    assertRejected("garbage", "not JSON: ");
    assertRejected("{\"type\":\"t\",\"data\":1", "not JSON: ");
    assertRejected("{\"type\":\"t\",\"data\":1} trailing", "not JSON: ");
    assertRejected("{\"type\":\"t\",\"type\":\"u\",\"data\":1}", "not JSON: ");
    assertRejected("{\"type\":\"t\",\"data\":{\"a\":{\"b\":1,\"b\":1}}}", "not JSON: ");
    assertRejectedExactly("", "not a JSON object but empty");
    assertRejectedExactly("[1]", "not a JSON object but an array");
    assertRejectedExactly("\"create\"", "not a JSON object but a string");
    assertRejectedExactly("7", "not a JSON object but a number");
    assertRejectedExactly("null", "not a JSON object but null");
    assertRejectedExactly("{}", "no non-empty string field \"type\"");
    assertRejectedExactly("{\"type\":1,\"data\":{}}", "no non-empty string field \"type\"");
    assertRejectedExactly("{\"type\":null,\"data\":{}}", "no non-empty string field \"type\"");
    assertRejectedExactly("{\"type\":\"\",\"data\":{}}", "no non-empty string field \"type\"");
    assertRejectedExactly("{\"type\":\"create\"}", "no field \"data\"");
  }

  private static void assertRejected(String message, String prefix) {
    assertThatThrownBy(() -> StreamJson.readEvent(message))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(prefix);
  }

  private static void assertRejectedExactly(String message, String expected) {
    assertThatThrownBy(() -> StreamJson.readEvent(message))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
  }

  @Test
  void toJsonValueMapsNullAndCopiesNodes() {
    assertThat(StreamJson.toJsonValue(null, "x").isNull()).isTrue();
    ObjectNode node = F.objectNode().put("a", 1);
    JsonNode copy = StreamJson.toJsonValue(node, "x");
    assertThat(copy).isEqualTo(node).isNotSameAs(node);
    assertThat(StreamJson.toJsonValue(Arrays.asList(1, null), "x").toString()).isEqualTo("[1,null]");
  }

  @Test
  void objectMapperIsShared() {
    assertThat(StreamJson.objectMapper()).isSameAs(StreamJson.objectMapper());
  }
}
