package dev.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The one evaluator of SPEC.md Q1–Q4 that every backend uses: filter, sort, offset, limit.
 *
 * <p>Each document is looked at once for the filter; only the matches are sorted.
 */
public final class QueryEvaluator {

  private static final Comparator<ObjectNode> BY_ID =
      Comparator.comparing(QueryEvaluator::idOf);

  private QueryEvaluator() {}

  /**
   * @param query the query
   * @param documents the documents of one group, in any order
   * @return the page of matching documents, in query order
   */
  public static List<ObjectNode> apply(Query query, Collection<ObjectNode> documents) {
    List<ObjectNode> matches = new ArrayList<>(documents.size());
    for (ObjectNode document : documents) {
      if (matches(query.where(), document)) {
        matches.add(document);
      }
    }
    matches.sort(comparator(query));
    int from = Math.min(query.offset(), matches.size());
    int to = query.limit().isPresent()
        ? (int) Math.min((long) from + query.limit().getAsInt(), matches.size())
        : matches.size();
    return new ArrayList<>(matches.subList(from, to));
  }

  /**
   * @param where field → required value
   * @param document a document
   * @return whether the document has every field with a JSON-equal value (Q1, Q2)
   */
  public static boolean matches(Map<String, JsonNode> where, ObjectNode document) {
    for (Map.Entry<String, JsonNode> filter : where.entrySet()) {
      JsonNode actual = document.get(filter.getKey());
      if (actual == null || !JsonValues.equal(actual, filter.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param query the query
   * @return the order of its results: by the orderBy field in its direction, ties by ascending id;
   *     without orderBy, by ascending id (Q3, Q4)
   */
  public static Comparator<ObjectNode> comparator(Query query) {
    if (query.orderBy().isEmpty()) {
      return BY_ID;
    }
    String field = query.orderBy().get();
    Comparator<ObjectNode> byField = (a, b) -> JsonValues.compare(a.get(field), b.get(field));
    if (query.direction() == SortDirection.DESC) {
      byField = byField.reversed();
    }
    return byField.thenComparing(BY_ID);
  }

  private static String idOf(ObjectNode document) {
    JsonNode id = document.get("id");
    return id == null ? "" : id.asText();
  }
}
