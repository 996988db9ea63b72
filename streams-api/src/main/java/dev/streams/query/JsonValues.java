package dev.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.streams.json.StreamJson;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Map;

/**
 * JSON equality (Q2) and the total order of JSON values (Q4) used by queries.
 *
 * <p>Order: missing &lt; null &lt; booleans (false &lt; true) &lt; numbers (numeric) &lt; strings
 * ({@link String#compareTo}) &lt; arrays &lt; objects; arrays and objects among themselves by their
 * compact JSON text. Equality: numbers by numeric value ({@code 1} equals {@code 1.0}), objects and
 * arrays deeply with the same number rule, {@code null} only equal to null.
 */
public final class JsonValues {

  /** Orders values as Q4 says; {@code null} (a Java null) stands for a missing field. */
  public static final Comparator<JsonNode> ORDER = JsonValues::compare;

  private JsonValues() {}

  /**
   * @param a a value, or {@code null} for missing
   * @param b a value, or {@code null} for missing
   * @return negative, zero or positive as {@code a} sorts before, with or after {@code b}
   */
  public static int compare(JsonNode a, JsonNode b) {
    int rankA = rank(a);
    int rankB = rank(b);
    if (rankA != rankB) {
      return Integer.compare(rankA, rankB);
    }
    return switch (rankA) {
      case 0, 1 -> 0;
      case 2 -> Boolean.compare(a.booleanValue(), b.booleanValue());
      case 3 -> compareNumbers(a, b);
      case 4 -> a.textValue().compareTo(b.textValue());
      default -> StreamJson.write(a, "value").compareTo(StreamJson.write(b, "value"));
    };
  }

  /**
   * @param a a value
   * @param b a value
   * @return whether they are JSON-equal (Q2)
   */
  public static boolean equal(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    JsonNodeType type = a.getNodeType();
    if (type != b.getNodeType()) {
      return false;
    }
    switch (type) {
      case NUMBER:
        return compareNumbers(a, b) == 0;
      case ARRAY:
        if (a.size() != b.size()) {
          return false;
        }
        for (int i = 0; i < a.size(); i++) {
          if (!equal(a.get(i), b.get(i))) {
            return false;
          }
        }
        return true;
      case OBJECT:
        if (a.size() != b.size()) {
          return false;
        }
        for (Map.Entry<String, JsonNode> field : a.properties()) {
          if (!equal(field.getValue(), b.get(field.getKey()))) {
            return false;
          }
        }
        return true;
      default:
        return a.equals(b);
    }
  }

  private static int rank(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return 0;
    }
    return switch (value.getNodeType()) {
      case NULL -> 1;
      case BOOLEAN -> 2;
      case NUMBER -> 3;
      case STRING -> 4;
      case ARRAY -> 5;
      // Objects and anything else Jackson might hold (POJO, binary) sort last, by their text.
      default -> 6;
    };
  }

  private static int compareNumbers(JsonNode a, JsonNode b) {
    if (a.isIntegralNumber() && b.isIntegralNumber() && a.canConvertToLong() && b.canConvertToLong()) {
      return Long.compare(a.longValue(), b.longValue());
    }
    return decimal(a).compareTo(decimal(b));
  }

  private static BigDecimal decimal(JsonNode number) {
    if (number.isIntegralNumber()) {
      return new BigDecimal(number.bigIntegerValue());
    }
    if (number.isBigDecimal()) {
      return number.decimalValue();
    }
    double d = number.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      // Not JSON; only reachable through a hand-built tree. Clamp to the extremes.
      return d > 0 ? BigDecimal.valueOf(Double.MAX_VALUE) : BigDecimal.valueOf(-Double.MAX_VALUE);
    }
    // Through the double's shortest text, so 0.1 (a double) equals 0.1 (a decimal).
    return new BigDecimal(Double.toString(d));
  }
}
