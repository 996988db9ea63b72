package dev.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The one evaluator of Q1–Q4 that every backend uses: filter, sort, offset, limit.
 *
 * <p>Documents can be fed one at a time as a backend reads them ({@link #select(Query)}): each is
 * looked at once for the filter and dropped at once if it does not match; of a page ({@code limit})
 * only the best {@code offset + limit} matches seen so far are kept, so memory follows the page, not
 * the group.
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
    Selection selection = select(query);
    for (ObjectNode document : documents) {
      selection.offer(null, document);
    }
    return selection.page();
  }

  /**
   * @param query the query
   * @return an empty selection to feed a group's documents to
   */
  public static Selection select(Query query) {
    return new Selection(query);
  }

  /**
   * The matches of one query among documents fed one at a time; not thread-safe.
   *
   * <p>The result is the one a stable sort of all matches in feeding order would give: documents
   * that compare equal keep the order they were offered in.
   */
  public static final class Selection {

    private final Query query;
    private final Comparator<Ranked> order;
    /** How many of the best matches can end up in the page; the rest are dropped as they come. */
    private final long wanted;
    /** Unbounded query: every match in feeding order. */
    private final List<Ranked> all;
    /** Bounded query: the best {@code wanted} matches so far, the worst of them at the head. */
    private final PriorityQueue<Ranked> best;
    /** The item keys of the matches kept, to keep an item offered twice once. */
    private final Set<String> keptKeys = new HashSet<>();
    private long offered;

    private Selection(Query query) {
      this.query = query;
      Comparator<ObjectNode> byQuery = comparator(query);
      this.order = (a, b) -> {
        int c = byQuery.compare(a.document(), b.document());
        return c != 0 ? c : Long.compare(a.position(), b.position());
      };
      if (query.limit().isPresent()) {
        this.wanted = (long) query.offset() + query.limit().getAsInt();
        this.all = null;
        this.best = new PriorityQueue<>(order.reversed());
      } else {
        this.wanted = Long.MAX_VALUE;
        this.all = new ArrayList<>();
        this.best = null;
      }
    }

    /**
     * Offers one document. A backend's read may report a key twice (SCAN does), the item possibly
     * changed in between: while an earlier copy is among the kept matches, the later one is ignored;
     * otherwise (the earlier copy did not match, or fell out of a full page) the later copy is
     * weighed like any document, so the item appears at most once.
     *
     * @param itemKey identifies the item (its data key), or null if every offer is a distinct item
     * @param document a document of the group
     */
    public void offer(String itemKey, ObjectNode document) {
      if (!matches(query.where(), document) || (itemKey != null && keptKeys.contains(itemKey))) {
        return;
      }
      Ranked ranked = new Ranked(itemKey, document, offered++);
      if (all != null) {
        keep(ranked);
        all.add(ranked);
      } else if (best.size() < wanted) {
        keep(ranked);
        best.add(ranked);
      } else if (wanted > 0 && order.compare(ranked, best.peek()) < 0) {
        Ranked dropped = best.poll();
        if (dropped.itemKey() != null) {
          keptKeys.remove(dropped.itemKey());
        }
        keep(ranked);
        best.add(ranked);
      }
    }

    private void keep(Ranked ranked) {
      if (ranked.itemKey() != null) {
        keptKeys.add(ranked.itemKey());
      }
    }

    /** @return the page of the matches offered so far, in query order */
    public List<ObjectNode> page() {
      List<Ranked> kept = new ArrayList<>(all != null ? all : best);
      kept.sort(order);
      int from = Math.min(query.offset(), kept.size());
      // wanted is offset + limit, so to >= from.
      int to = (int) Math.min(wanted, kept.size());
      List<ObjectNode> page = new ArrayList<>(to - from);
      for (Ranked ranked : kept.subList(from, to)) {
        page.add(ranked.document());
      }
      return page;
    }

    /** A match and its feeding position, the last tie-break. */
    private record Ranked(String itemKey, ObjectNode document, long position) {}
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
