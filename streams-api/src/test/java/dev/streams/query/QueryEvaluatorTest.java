package dev.streams.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.json.StreamJson;
import dev.streams.testing.TestSeed;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryEvaluatorTest {

  private static ObjectNode doc(String json) {
    return StreamJson.readObject(json);
  }

  private static List<ObjectNode> docs(String... json) {
    List<ObjectNode> list = new ArrayList<>();
    for (String text : json) {
      list.add(doc(text));
    }
    return list;
  }

  private static List<String> ids(List<ObjectNode> documents) {
    return documents.stream().map(d -> d.get("id").asText()).toList();
  }

  private static List<String> run(Query query, List<ObjectNode> documents) {
    return ids(QueryEvaluator.apply(query, documents));
  }

  @Test
  void noOrderByGivesAscendingIdWhateverTheDirection() {
    List<ObjectNode> documents = docs(
        "{\"id\":\"b\",\"x\":1}", "{\"id\":\"a10\",\"x\":3}", "{\"id\":\"a2\",\"x\":2}", "{\"id\":\"B\",\"x\":0}");
    assertThat(run(Query.all(), documents)).containsExactly("B", "a10", "a2", "b");
    assertThat(run(Query.builder().direction(SortDirection.DESC).build(), documents))
        .containsExactly("B", "a10", "a2", "b");
  }

  @Test
  void applyDoesNotChangeItsInputAndReturnsANewList() {
    List<ObjectNode> documents = docs("{\"id\":\"b\"}", "{\"id\":\"a\"}");
    List<ObjectNode> result = QueryEvaluator.apply(Query.all(), documents);
    assertThat(ids(documents)).containsExactly("b", "a");
    result.clear();
    assertThat(documents).hasSize(2);
  }

  @Test
  void whereMatchesEqualValuesByTheNumericRule() {
    List<ObjectNode> documents = docs(
        "{\"id\":\"i1\",\"n\":1}",
        "{\"id\":\"i2\",\"n\":1.0}",
        "{\"id\":\"i3\",\"n\":\"1\"}",
        "{\"id\":\"i4\",\"n\":true}",
        "{\"id\":\"i5\",\"n\":1.0000000000000000001}",
        "{\"id\":\"i6\"}");
    assertThat(run(Query.builder().where("n", 1).build(), documents)).containsExactly("i1", "i2");
    assertThat(run(Query.builder().where("n", 1.0).build(), documents)).containsExactly("i1", "i2");
    assertThat(run(Query.builder().where("n", new BigDecimal("1.000")).build(), documents))
        .containsExactly("i1", "i2");
    assertThat(run(Query.builder().where("n", "1").build(), documents)).containsExactly("i3");
    assertThat(run(Query.builder().where("n", true).build(), documents)).containsExactly("i4");
  }

  @Test
  void largeLongsMatchExactly() {
    List<ObjectNode> documents = docs(
        "{\"id\":\"a\",\"n\":9007199254740993}",
        "{\"id\":\"b\",\"n\":9007199254740992}",
        "{\"id\":\"c\",\"n\":18446744073709551617}",
        "{\"id\":\"d\",\"n\":18446744073709551616}");
    assertThat(run(Query.builder().where("n", 9007199254740993L).build(), documents)).containsExactly("a");
    assertThat(run(Query.builder().where("n", 9007199254740992L).build(), documents)).containsExactly("b");
    assertThat(run(Query.builder().where("n", new java.math.BigInteger("18446744073709551617")).build(),
        documents)).containsExactly("c");
  }

  @Test
  void nullMatchesOnlyExplicitNullAndMissingNeverMatches() {
    List<ObjectNode> documents = docs(
        "{\"id\":\"a\",\"x\":null}", "{\"id\":\"b\"}", "{\"id\":\"c\",\"x\":0}", "{\"id\":\"d\",\"x\":\"\"}");
    assertThat(run(Query.builder().where("x", null).build(), documents)).containsExactly("a");
    assertThat(run(Query.builder().where("y", null).build(), documents)).isEmpty();
    assertThat(run(Query.builder().where("x", 0).build(), documents)).containsExactly("c");
    assertThat(run(Query.builder().where("x", false).build(), documents)).isEmpty();
  }

  @Test
  void whereComparesNestedValuesDeeplyIgnoringKeyOrder() {
    List<ObjectNode> documents = docs(
        "{\"id\":\"a\",\"o\":{\"x\":1,\"y\":[1,{\"z\":2.0}]}}",
        "{\"id\":\"b\",\"o\":{\"y\":[1.0,{\"z\":2}],\"x\":1.00}}",
        "{\"id\":\"c\",\"o\":{\"x\":1,\"y\":[{\"z\":2},1]}}",
        "{\"id\":\"d\",\"o\":{\"x\":1,\"y\":[1,{\"z\":2}],\"w\":null}}",
        "{\"id\":\"e\",\"o\":[1,2]}");
    Query query = Query.builder()
        .where("o", Map.of("y", List.of(1, Map.of("z", 2)), "x", 1)).build();
    assertThat(run(query, documents)).containsExactly("a", "b");
    assertThat(run(Query.builder().where("o", List.of(1.0, 2)).build(), documents)).containsExactly("e");
  }

  @Test
  void everyWhereFieldMustMatch() {
    List<ObjectNode> documents = docs(
        "{\"id\":\"a\",\"s\":\"on\",\"t\":1}", "{\"id\":\"b\",\"s\":\"on\",\"t\":2}", "{\"id\":\"c\",\"s\":\"off\",\"t\":1}");
    assertThat(run(Query.builder().where("s", "on").where("t", 1).build(), documents)).containsExactly("a");
    assertThat(run(Query.builder().where("s", "on").build(), documents)).containsExactly("a", "b");
    assertThat(run(Query.builder().where("id", "c").build(), documents)).containsExactly("c");
  }

  @Test
  void whereOnlyLooksAtTopLevelFields() {
    List<ObjectNode> documents = docs("{\"id\":\"a\",\"o\":{\"x\":1}}");
    assertThat(run(Query.builder().where("x", 1).build(), documents)).isEmpty();
    assertThat(run(Query.builder().where("o.x", 1).build(), documents)).isEmpty();
  }

  @Test
  void orderByFollowsTheTypeOrderAndDescReversesIt() {
    List<ObjectNode> documents = docs(
        "{\"id\":\"obj\",\"v\":{\"a\":1}}",
        "{\"id\":\"str\",\"v\":\"x\"}",
        "{\"id\":\"arr\",\"v\":[1]}",
        "{\"id\":\"n10\",\"v\":10}",
        "{\"id\":\"n9\",\"v\":9.5}",
        "{\"id\":\"true\",\"v\":true}",
        "{\"id\":\"false\",\"v\":false}",
        "{\"id\":\"null\",\"v\":null}",
        "{\"id\":\"missing\"}");
    assertThat(run(Query.builder().orderBy("v").build(), documents))
        .containsExactly("missing", "null", "false", "true", "n9", "n10", "str", "arr", "obj");
    assertThat(run(Query.builder().orderBy("v", SortDirection.DESC).build(), documents))
        .containsExactly("obj", "arr", "str", "n10", "n9", "true", "false", "null", "missing");
  }

  @Test
  void numbersSortNumericallyAndStringsByStringOrder() {
    List<ObjectNode> documents = docs(
        "{\"id\":\"a\",\"n\":10,\"s\":\"10\"}",
        "{\"id\":\"b\",\"n\":9,\"s\":\"9\"}",
        "{\"id\":\"c\",\"n\":-1.5,\"s\":\"B\"}",
        "{\"id\":\"d\",\"n\":9223372036854775807,\"s\":\"a\"}",
        "{\"id\":\"e\",\"n\":9223372036854775808,\"s\":\"é\"}");
    assertThat(run(Query.builder().orderBy("n").build(), documents)).containsExactly("c", "b", "a", "d", "e");
    assertThat(run(Query.builder().orderBy("s").build(), documents)).containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  void tiesAreBrokenByAscendingIdInBothDirections() {
    List<ObjectNode> documents = docs(
        "{\"id\":\"c\",\"v\":1}", "{\"id\":\"a\",\"v\":1.0}", "{\"id\":\"b\",\"v\":2}",
        "{\"id\":\"e\"}", "{\"id\":\"d\"}", "{\"id\":\"f\",\"v\":2}");
    assertThat(run(Query.builder().orderBy("v").build(), documents))
        .containsExactly("d", "e", "a", "c", "b", "f");
    assertThat(run(Query.builder().orderBy("v", SortDirection.DESC).build(), documents))
        .containsExactly("b", "f", "a", "c", "d", "e");
  }

  @Test
  void filterThenSortThenOffsetThenLimit() {
    List<ObjectNode> documents = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      documents.add(doc("{\"id\":\"i" + i + "\",\"k\":" + (i % 2) + ",\"r\":" + (10 - i) + "}"));
    }
    Query query = Query.builder().where("k", 0).orderBy("r").offset(1).limit(2).build();
    // k=0: i0 (r10), i2 (r8), i4 (r6), i6 (r4), i8 (r2) → by r: i8 i6 i4 i2 i0 → skip 1, take 2
    assertThat(run(query, documents)).containsExactly("i6", "i4");
  }

  @Test
  void limitZeroIsEmptyAndOffsetPastTheEndIsEmpty() {
    List<ObjectNode> documents = docs("{\"id\":\"a\"}", "{\"id\":\"b\"}");
    assertThat(run(Query.builder().limit(0).build(), documents)).isEmpty();
    assertThat(run(Query.builder().offset(2).build(), documents)).isEmpty();
    assertThat(run(Query.builder().offset(Integer.MAX_VALUE).limit(Integer.MAX_VALUE).build(), documents))
        .isEmpty();
    assertThat(run(Query.builder().offset(1).limit(Integer.MAX_VALUE).build(), documents)).containsExactly("b");
    assertThat(run(Query.builder().limit(5).build(), documents)).containsExactly("a", "b");
    assertThat(run(Query.all(), List.of())).isEmpty();
  }

  @Test
  void anItemOfferedTwiceIsKeptOnceAsItsFirstCopyWhetherPagedOrNot() {
    for (Query query : List.of(Query.builder().orderBy("x").build(),
        Query.builder().orderBy("x").limit(2).build())) {
      QueryEvaluator.Selection selection = QueryEvaluator.select(query);
      selection.offer("k:a", doc("{\"id\":\"a\",\"x\":1,\"v\":\"first\"}"));
      selection.offer("k:b", doc("{\"id\":\"b\",\"x\":2}"));
      selection.offer("k:a", doc("{\"id\":\"a\",\"x\":0,\"v\":\"second\"}"));
      List<ObjectNode> page = selection.page();
      assertThat(ids(page)).as("%s", query).containsExactly("a", "b");
      assertThat(page.get(0).get("v").asText()).isEqualTo("first");
    }
  }

  @Test
  void anItemDroppedFromAFullPageMayComeBackAsALaterBetterCopy() {
    QueryEvaluator.Selection selection = QueryEvaluator.select(Query.builder().orderBy("x").limit(1).build());
    selection.offer("k:a", doc("{\"id\":\"a\",\"x\":5}"));
    selection.offer("k:b", doc("{\"id\":\"b\",\"x\":3}"));
    selection.offer("k:a", doc("{\"id\":\"a\",\"x\":1}"));
    assertThat(ids(selection.page())).containsExactly("a");
  }

  @Test
  void feedingOneAtATimeGivesWhatApplyGivesForRandomQueries() {
    long seed = TestSeed.seed();
    Random random = new Random(seed);
    for (int round = 0; round < 300; round++) {
      List<ObjectNode> documents = new ArrayList<>();
      int size = random.nextInt(60);
      for (int i = 0; i < size; i++) {
        documents.add(doc("{\"id\":\"i" + random.nextInt(1000) + "-" + i + "\",\"s\":\""
            + (random.nextBoolean() ? "on" : "off") + "\",\"n\":" + random.nextInt(8) + "}"));
      }
      Query.Builder builder = Query.builder().orderBy("n")
          .direction(random.nextBoolean() ? SortDirection.ASC : SortDirection.DESC)
          .offset(random.nextInt(5));
      if (random.nextBoolean()) {
        builder.where("s", "on");
      }
      if (random.nextBoolean()) {
        builder.limit(random.nextInt(6));
      }
      Query query = builder.build();
      QueryEvaluator.Selection selection = QueryEvaluator.select(query);
      documents.forEach(d -> selection.offer("k:" + d.get("id").asText(), d));
      assertThat(ids(selection.page())).as("seed %d round %d: %s", seed, round, query)
          .containsExactlyElementsOf(ids(referenceApply(query, documents)));
    }
  }

  /** Filter, stable sort, offset, limit: the plain definition. */
  private static List<ObjectNode> referenceApply(Query query, List<ObjectNode> documents) {
    List<ObjectNode> matches = new ArrayList<>();
    for (ObjectNode d : documents) {
      if (QueryEvaluator.matches(query.where(), d)) {
        matches.add(d);
      }
    }
    matches.sort(QueryEvaluator.comparator(query));
    int from = Math.min(query.offset(), matches.size());
    int to = query.limit().isPresent() ? Math.min(from + query.limit().getAsInt(), matches.size()) : matches.size();
    return matches.subList(from, to);
  }

  @Test
  void matchesWithEmptyWhereMatchesEverything() {
    assertThat(QueryEvaluator.matches(Map.of(), doc("{\"id\":\"a\"}"))).isTrue();
  }

  // ---- property: paging a random group never overlaps or skips, and the order is Q4's ----

  private static final String[] VALUES = {
      null, "null", "false", "true", "0", "-0", "0.0", "1", "1.0", "-1", "2.5", "9007199254740992",
      "9007199254740993", "9223372036854775807", "18446744073709551616", "1e3", "0.1", "\"\"", "\"a\"",
      "\"A\"", "\"ab\"", "\"10\"", "\"9\"", "\"é\"", "[]", "[1]", "[1,2]", "[\"a\"]", "{}", "{\"a\":1}",
      "{\"b\":[null]}"};

  @Test
  void pagesNeverOverlapOrSkipAndFollowTheSpecOrder() {
    long seed = TestSeed.seed();
    Random random = new Random(seed);
    for (int round = 0; round < 200; round++) {
      int size = random.nextInt(40);
      List<ObjectNode> documents = new ArrayList<>();
      Set<String> usedIds = new HashSet<>();
      while (documents.size() < size) {
        String id = Integer.toString(random.nextInt(100), random.nextBoolean() ? 10 : 36);
        if (!usedIds.add(id)) {
          continue;
        }
        String value = VALUES[random.nextInt(VALUES.length)];
        String kind = VALUES[random.nextInt(4) + 1];
        documents.add(doc("{" + (value == null ? "" : "\"v\":" + value + ",")
            + "\"k\":" + kind + ",\"id\":\"" + id + "\"}"));
      }
      Collections.shuffle(documents, random);
      SortDirection direction = random.nextBoolean() ? SortDirection.ASC : SortDirection.DESC;
      boolean ordered = random.nextInt(5) != 0;
      boolean filtered = random.nextInt(3) == 0;
      Query.Builder builder = Query.builder();
      if (ordered) {
        builder.orderBy("v", direction);
      } else {
        builder.direction(direction);
      }
      if (filtered) {
        builder.where("k", true);
      }
      Query whole = builder.build();

      List<ObjectNode> expected = new ArrayList<>();
      for (ObjectNode document : documents) {
        if (!filtered || (document.get("k").isBoolean() && document.get("k").booleanValue())) {
          expected.add(document);
        }
      }
      expected.sort(referenceOrder(ordered, direction));
      List<String> all = run(whole, documents);
      assertThat(all).as("seed=%d round=%d %s", seed, round, whole).isEqualTo(ids(expected));

      int pageSize = 1 + random.nextInt(7);
      List<String> paged = new ArrayList<>();
      for (int offset = 0; offset <= all.size(); offset += pageSize) {
        List<String> page = run(builder.offset(offset).limit(pageSize).build(), documents);
        assertThat(page.size()).as("seed=%d round=%d page at %d", seed, round, offset)
            .isEqualTo(Math.min(pageSize, all.size() - offset));
        paged.addAll(page);
      }
      assertThat(paged).as("seed=%d round=%d pages of %d by %s", seed, round, pageSize, whole)
          .isEqualTo(all);
    }
  }

  /** Q3/Q4 written out independently of JsonValues. */
  private static Comparator<ObjectNode> referenceOrder(boolean ordered, SortDirection direction) {
    Comparator<ObjectNode> byId = Comparator.comparing(d -> d.get("id").textValue());
    if (!ordered) {
      return byId;
    }
    Comparator<ObjectNode> byValue = (a, b) -> referenceCompare(a.get("v"), b.get("v"));
    if (direction == SortDirection.DESC) {
      byValue = byValue.reversed();
    }
    return byValue.thenComparing(byId);
  }

  private static int referenceCompare(JsonNode a, JsonNode b) {
    int ra = referenceRank(a);
    int rb = referenceRank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    switch (ra) {
      case 0:
      case 1:
        return 0;
      case 2:
        return Boolean.compare(a.asBoolean(), b.asBoolean());
      case 3:
        return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
      case 4:
        return a.textValue().compareTo(b.textValue());
      default:
        return a.toString().compareTo(b.toString());
    }
  }

  private static int referenceRank(JsonNode value) {
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
}
