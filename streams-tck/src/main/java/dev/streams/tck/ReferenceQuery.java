package dev.streams.tck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain, independent evaluator of the contract's Q1–Q5 (docs/CONTRACT.md) that the TCK compares
 * every backend's answers with. Written for obviousness, not speed; it shares no code with the library's evaluator.
 */
final class ReferenceQuery {

  private ReferenceQuery() {}

  /**
   * @param query the query
   * @param items the items of a group
   * @return what the contract says the query returns
   */
  public static List<ObjectNode> evaluate(Query query, List<ObjectNode> items) {
    List<ObjectNode> matching = new ArrayList<>();
    for (ObjectNode item : items) {
      boolean all = true;
      for (Map.Entry<String, JsonNode> filter : query.where().entrySet()) {
        JsonNode value = item.get(filter.getKey());
        if (value == null || !canonical(value).equals(canonical(filter.getValue()))) {
          all = false;
        }
      }
      if (all) {
        matching.add(item);
      }
    }
    // Insertion sort: obviously stable, obviously using only compare().
    List<ObjectNode> sorted = new ArrayList<>();
    for (ObjectNode item : matching) {
      int at = sorted.size();
      while (at > 0 && compare(query, sorted.get(at - 1), item) > 0) {
        at--;
      }
      sorted.add(at, item);
    }
    List<ObjectNode> page = new ArrayList<>();
    int limit = query.limit().isPresent() ? query.limit().getAsInt() : Integer.MAX_VALUE;
    for (int i = query.offset(); i < sorted.size() && page.size() < limit; i++) {
      page.add(sorted.get(i));
    }
    return page;
  }

  private static int compare(Query query, ObjectNode a, ObjectNode b) {
    int byField = 0;
    if (query.orderBy().isPresent()) {
      String field = query.orderBy().get();
      byField = compareValues(a.get(field), b.get(field));
      if (query.direction() == SortDirection.DESC) {
        byField = -byField;
      }
    }
    return byField != 0 ? byField : a.get("id").asText().compareTo(b.get("id").asText());
  }

  /** Q4, spelled out: a rank per kind, then within the kind. */
  static int compareValues(JsonNode a, JsonNode b) {
    int rankA = rank(a);
    int rankB = rank(b);
    if (rankA != rankB) {
      return rankA < rankB ? -1 : 1;
    }
    if (rankA == 2) {
      return Boolean.compare(a.asBoolean(), b.asBoolean());
    }
    if (rankA == 3) {
      return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
    }
    if (rankA == 4) {
      return a.asText().compareTo(b.asText());
    }
    if (rankA >= 5) {
      return DataClauses.text(a).compareTo(DataClauses.text(b));
    }
    return 0;
  }

  private static int rank(JsonNode value) {
    if (value == null) {
      return 0;
    }
    if (value.isNull()) {
      return 1;
    }
    if (value.isBoolean()) {
      return 2;
    }
    if (value.isNumber()) {
      return 3;
    }
    if (value.isTextual()) {
      return 4;
    }
    return value.isArray() ? 5 : 6;
  }

  /**
   * Q2 by canonical text: numbers as their stripped decimal value, objects with sorted keys.
   */
  private static String canonical(JsonNode value) {
    if (value.isNumber()) {
      BigDecimal number = new BigDecimal(value.asText());
      return number.signum() == 0 ? "n:0" : "n:" + number.stripTrailingZeros().toString();
    }
    if (value.isArray()) {
      StringBuilder out = new StringBuilder("[");
      for (JsonNode element : value) {
        out.append(canonical(element)).append(',');
      }
      return out.append(']').toString();
    }
    if (value.isObject()) {
      TreeMap<String, String> fields = new TreeMap<>();
      for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        fields.put(name, canonical(value.get(name)));
      }
      return "{" + fields + "}";
    }
    return value.getNodeType() + ":" + DataClauses.text(value);
  }
}
