package dev.streams.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamDataException;
import dev.streams.StreamEvent;
import dev.streams.json.StreamJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireFormatTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Test
  void documentAtTheNestingLimitIsWrittenReadAndDeliveredAsAnEvent() {
    ObjectNode root = nested(StreamJson.MAX_NESTING_DEPTH);
    String json = StreamJson.toDocument(root, "i").json();
    assertThat(StreamJson.readObject(json).toString()).isEqualTo(json);
    assertThat(WireFormat.readEvent(WireFormat.eventMessage("create", json)).data().toString()).isEqualTo(json);
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
    assertThat(WireFormat.readEvent(WireFormat.eventMessage("create", json)).data().toString()).isEqualTo(json);
  }
  @ParameterizedTest
  @ValueSource(strings = {"not json", "{", "{\"a\":1", "{'a':1}", "{\"a\":1}x", "{\"a\":1}{\"b\":2}",
      "{\"a\":1,\"a\":2}", "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"b\":5}", "{\"a\":[{\"x\":1,\"x\":1}]}",
      "{a:1}", "{\"a\":NaN}"})
  void readDocumentOfNonJsonFailsNamingTheKey(String text) {
    assertThatThrownBy(() -> WireFormat.readDocument("motia:stream:g:bad", text))
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
    assertThatThrownBy(() -> WireFormat.readDocument("k:1", text))
        .isInstanceOfSatisfying(StreamDataException.class, e -> assertThat(e.key()).isEqualTo("k:1"))
        .hasMessage("Value at key 'k:1' is not a JSON object but " + what);
  }
  @Test
  void eventMessageIsCompactWithTypeFirst() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", "Ann");
    data.put("id", "u1");
    assertThat(WireFormat.eventMessage(StreamEvent.of("create", data)))
        .isEqualTo("{\"type\":\"create\",\"data\":{\"name\":\"Ann\",\"id\":\"u1\"}}");
    assertThat(WireFormat.eventMessage(StreamEvent.of("custom", null)))
        .isEqualTo("{\"type\":\"custom\",\"data\":null}");
    assertThat(WireFormat.eventMessage(StreamEvent.of("n", List.of(1, "a"))))
        .isEqualTo("{\"type\":\"n\",\"data\":[1,\"a\"]}");
    assertThat(WireFormat.eventMessage(StreamEvent.sync("overflow")))
        .isEqualTo("{\"type\":\"sync\",\"data\":{\"reason\":\"overflow\"}}");
    assertThat(WireFormat.eventMessage("update", "{\"id\":\"x\"}"))
        .isEqualTo("{\"type\":\"update\",\"data\":{\"id\":\"x\"}}");
    assertThat(WireFormat.eventMessage("a\"b\\c", "1")).isEqualTo("{\"type\":\"a\\\"b\\\\c\",\"data\":1}");
  }
  @Test
  void eventOfAStoredDocumentCarriesItsExactText() {
    String document = StreamJson.toDocument(StreamJson.readObject(
        "{\"v\":1.10,\"big\":9223372036854775807,\"s\":\"日\"}"), "x").json();
    String message = WireFormat.eventMessage("create", document);
    assertThat(message).isEqualTo("{\"type\":\"create\",\"data\":" + document + "}");
    StreamEvent event = WireFormat.readEvent(message);
    assertThat(event.type()).isEqualTo("create");
    assertThat(StreamJson.write(event.data(), "data")).isEqualTo(document);
    assertThat(WireFormat.eventMessage(event)).isEqualTo(message);
  }
  @Test
  void readEventAcceptsAnyDataAndFieldOrder() {
    StreamEvent event = WireFormat.readEvent("{\"data\":{\"a\":1},\"type\":\"t\",\"extra\":0}");
    assertThat(event.type()).isEqualTo("t");
    assertThat(event.data().toString()).isEqualTo("{\"a\":1}");
    assertThat(WireFormat.readEvent("{\"type\":\"t\",\"data\":null}").data().isNull()).isTrue();
    assertThat(WireFormat.readEvent("{\"type\":\"t\",\"data\":\"s\"}").data().textValue()).isEqualTo("s");
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
    assertThatThrownBy(() -> WireFormat.readEvent(message))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(prefix);
  }
  private static void assertRejectedExactly(String message, String expected) {
    assertThatThrownBy(() -> WireFormat.readEvent(message))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
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
}
