package dev.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The one evaluator of SPEC.md Q1–Q4 that every backend uses: filter, sort, offset, limit.
 *
 * <p>Each document is looked at once for the filter; only the matches are sorted, and of a small
 * page of many matches only the page's candidates.
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
    Comparator<ObjectNode> order = comparator(query);
    if (query.limit().isPresent()) {
      long wanted = (long) query.offset() + query.limit().getAsInt();
      if (wanted < matches.size() / 4) {
        // A small page of many matches: keep only the first offset + limit, in O(n log k).
        matches = firstInOrder(matches, (int) wanted, order);
      }
    }
    matches.sort(order);
    int from = Math.min(query.offset(), matches.size());
    int to = query.limit().isPresent()
        ? (int) Math.min((long) from + query.limit().getAsInt(), matches.size())
        : matches.size();
    return new ArrayList<>(matches.subList(from, to));
  }

  /**
   * The first {@code count} elements of {@code list} in the order a stable sort by {@code order}
   * would give (elements that compare equal keep their list order), not yet sorted.
   */
  private static List<ObjectNode> firstInOrder(List<ObjectNode> list, int count, Comparator<ObjectNode> order) {
    if (count == 0) {
      return new ArrayList<>();
    }
    // Ranked by order, then by position, as the stable sort does; the head of the heap is the last kept.
    Comparator<Integer> byRank = (a, b) -> {
      int c = order.compare(list.get(a), list.get(b));
      return c != 0 ? c : Integer.compare(a, b);
    };
    PriorityQueue<Integer> kept = new PriorityQueue<>(count + 1, byRank.reversed());
    for (int i = 0; i < list.size(); i++) {
      if (kept.size() < count) {
        kept.add(i);
      } else if (byRank.compare(i, kept.peek()) < 0) {
        kept.poll();
        kept.add(i);
      }
    }
    // Back in list order, so the stable sort that follows breaks ties exactly as before.
    int[] positions = kept.stream().mapToInt(Integer::intValue).sorted().toArray();
    List<ObjectNode> first = new ArrayList<>(positions.length);
    for (int position : positions) {
      first.add(list.get(position));
    }
    return first;
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
