package dev.streams.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamDataException;
import dev.streams.StreamEvent;
import dev.streams.json.StreamJson;

/**
 * What a backend stores and publishes, as text: a stored document read back (K2, K7) and the wire
 * text of events (E1). Every backend uses it, so every backend publishes the same event text and
 * judges foreign data by the same rule.
 */
public final class WireFormat {

  private WireFormat() {}

  /**
   * Reads a stored value back (K7): this is the one rule that decides whether a value is an item.
   *
   * @param key the key it was read from, for the error message
   * @param json the stored text
   * @return the document
   * @throws StreamDataException naming the key if the text is not a JSON object
   */
  public static ObjectNode readDocument(String key, String json) {
    return readDocument(key, null, json);
  }

  /**
   * Reads a stored value back (K7), as {@link #readDocument(String, String)}, from a field of a hash
   * (L2).
   *
   * @param key the key it was read from
   * @param field the field of the hash at the key, or null for a string key
   * @param json the stored text
   * @return the document
   * @throws StreamDataException naming the key and the field if the text is not a JSON object
   */
  public static ObjectNode readDocument(String key, String field, String json) {
    JsonNode tree;
    try {
      tree = StreamJson.readTree(json);
    } catch (IllegalArgumentException e) {
      throw new StreamDataException(key, field, location(key, field) + " is not JSON: "
          + e.getMessage(), e.getCause());
    }
    if (tree instanceof ObjectNode document) {
      return document;
    }
    throw new StreamDataException(key, field,
        location(key, field) + " is not a JSON object but " + StreamJson.describe(tree), null);
  }

  /**
   * @param key a key
   * @param field a field of the hash at it, or null
   * @return {@code Value at key '<key>'}, and {@code field '<field>' of hash '<key>'} for a field, as
   *     messages about foreign data begin
   */
  public static String location(String key, String field) {
    return field == null ? "Value at key '" + key + "'"
        : "Value of field '" + field + "' at key '" + key + "'";
  }

  /**
   * The wire text of an event (E1): {@code {"type":<type>,"data":<data>}}, compact.
   *
   * @param type the event type
   * @param dataJson the compact JSON text of the data
   * @return the message text
   */
  public static String eventMessage(String type, String dataJson) {
    String head = switch (type) {
      // The types every write sends: their text is fixed, no need to run the generator.
      case StreamEvent.CREATE -> "{\"type\":\"create\",\"data\":";
      case StreamEvent.UPDATE -> "{\"type\":\"update\",\"data\":";
      case StreamEvent.DELETE -> "{\"type\":\"delete\",\"data\":";
      default -> "{\"type\":" + StreamJson.write(
          StreamJson.objectMapper().getNodeFactory().textNode(type), "event type") + ",\"data\":";
    };
    return head + dataJson + "}";
  }

  /**
   * @param event an event
   * @return its wire text (E1)
   * @throws IllegalArgumentException if the data cannot be written as JSON
   */
  public static String eventMessage(StreamEvent event) {
    return eventMessage(event.type(), StreamJson.write(event.data(), "event data"));
  }

  /**
   * Reads an event off a channel.
   *
   * @param message the wire text
   * @return the event
   * @throws IllegalArgumentException if the text is not an event of E1
   */
  public static StreamEvent readEvent(String message) {
    JsonNode tree;
    try {
      tree = StreamJson.readTree(message);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e.getCause());
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new IllegalArgumentException("not a JSON object but " + StreamJson.describe(tree));
    }
    JsonNode type = object.get("type");
    if (type == null || !type.isTextual() || type.asText().isEmpty()) {
      throw new IllegalArgumentException("no non-empty string field \"type\"");
    }
    JsonNode data = object.get("data");
    if (data == null) {
      throw new IllegalArgumentException("no field \"data\"");
    }
    return new StreamEvent(type.asText(), data);
  }
}
