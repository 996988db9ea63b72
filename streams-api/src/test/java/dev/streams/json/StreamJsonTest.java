package dev.streams.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    ObjectNode read = StreamJson.readObject(text);
    assertThat(StreamJson.write(read, "value")).isEqualTo(text);
    assertThat(StreamJson.toDocument(read, "x").json()).isEqualTo(text);
    ObjectNode again = StreamJson.readObject(StreamJson.toDocument(read, "x").json());
    assertThat(again).isEqualTo(read);
  }
  @Test
  void numbersKeepTheirExactValueAndKind() {
    ObjectNode read = StreamJson.readObject(
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

  /**
   * @param levels how many objects or arrays nest below the top-level object
   * @param kind "objects", "arrays" or "alternating"
   */
  private static ObjectNode nestedBelowTop(int levels, String kind) {
    ObjectNode root = F.objectNode();
    JsonNode current = root;
    for (int level = 1; level <= levels; level++) {
      boolean array = kind.equals("arrays") || (kind.equals("alternating") && level % 2 == 1);
      JsonNode child = array ? F.arrayNode() : F.objectNode();
      if (current instanceof ObjectNode object) {
        object.set("n", child);
      } else {
        ((com.fasterxml.jackson.databind.node.ArrayNode) current).add(child);
      }
      current = child;
    }
    return root;
  }

  @ParameterizedTest
  @ValueSource(strings = {"objects", "arrays", "alternating"})
  void oneNestingLimitWhateverNests(String kind) {
    StreamJson.Document atLimit = StreamJson.toDocument(nestedBelowTop(StreamJson.MAX_NESTING_DEPTH, kind), "i");
    assertThat(StreamJson.readObject(atLimit.json())).isEqualTo(atLimit.node());
    String event = dev.streams.spi.WireFormat.eventMessage("create", atLimit.json());
    assertThat(StreamJson.write(dev.streams.spi.WireFormat.readEvent(event).data(), "data"))
        .isEqualTo(atLimit.json());

    assertThatThrownBy(() -> StreamJson.toDocument(nestedBelowTop(StreamJson.MAX_NESTING_DEPTH + 1, kind), "i"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data nests objects and arrays more than 500 levels deep");
    assertThatThrownBy(() -> StreamJson.write(nestedBelowTop(StreamJson.MAX_NESTING_DEPTH + 1, kind), "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("v nests objects and arrays more than 500 levels deep");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"z\":-0.0,\"id\":\"x\"}",
      "{\"a\":-0.00,\"b\":-0,\"c\":-0E+2,\"d\":[-0.0,{\"e\":-0.0}],\"f\":0.0,\"g\":0,\"id\":\"x\"}",
  })
  void negativeZeroKeepsItsSign(String text) {
    ObjectNode read = StreamJson.readObject(text);
    assertThat(StreamJson.write(read, "value")).isEqualTo(text);
    assertThat(StreamJson.toDocument(read, "x").json()).isEqualTo(text);
    assertThat(read.get(read.has("z") ? "z" : "a").doubleValue()).isEqualTo(-0.0d);
    String event = dev.streams.spi.WireFormat.eventMessage("create", text);
    assertThat(StreamJson.write(dev.streams.spi.WireFormat.readEvent(event).data(), "data")).isEqualTo(text);
  }

  @Test
  void negativeZeroIsNumericallyZero() {
    ObjectNode read = StreamJson.readObject("{\"z\":-0.0}");
    assertThat(read.get("z").isNumber()).isTrue();
    assertThat(read.get("z").decimalValue()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(read.get("z").asText()).isEqualTo("-0.0");
    assertThat(read).isEqualTo(StreamJson.readObject("{\"z\":-0.00}"))
        .hasSameHashCodeAs(StreamJson.readObject("{\"z\":-0.00}"))
        .isNotEqualTo(StreamJson.readObject("{\"z\":0.0}"));
  }

  @Test
  void javaNegativeZerosFloatsAndDoublesAreWrittenAsTheirShortestText() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("d", -0.0d);
    data.put("f", -0.0f);
    data.put("tenth", 0.1f);
    data.put("third", 1f / 3);
    data.put("max", Float.MAX_VALUE);
    data.put("list", List.of(-0.0d, 0.1f));
    // Java 17's Double.toString gives 2.82879384806159008E17: not the shortest.
    data.put("double", 2.82879384806159E17);
    StreamJson.Document document = StreamJson.toDocument(data, "i");
    assertThat(document.json()).isEqualTo("{\"d\":-0.0,\"f\":-0.0,\"tenth\":0.1,\"third\":0.33333334,"
        + "\"max\":3.4028235E+38,\"list\":[-0.0,0.1],\"double\":2.82879384806159E+17,\"id\":\"i\"}");
    // The tree returned by set is the tree get reads back from the text.
    assertThat(document.node()).isEqualTo(StreamJson.readObject(document.json()));
    assertThat(document.node().toString()).isEqualTo(document.json());
    assertThat(StreamJson.toJsonValue(0.1f, "v").toString()).isEqualTo("0.1");
    assertThat(StreamJson.toJsonValue(-0.0d, "v").toString()).isEqualTo("-0.0");
    // The same for doubles and floats in a given tree.
    ObjectNode tree = F.objectNode().put("d", 2.82879384806159E17).put("f", 0.1f).put("z", -0.0d);
    assertThat(StreamJson.toDocument(tree, "i").json())
        .isEqualTo("{\"d\":2.82879384806159E17,\"f\":0.1,\"z\":-0.0,\"id\":\"i\"}");
  }
}
