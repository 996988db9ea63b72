package dev.streams.tck;

import static dev.streams.tck.DataClauses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Q1–Q5: filter, sort, offset, limit. */
public interface QueryClauses extends ClauseFamily {

  private static List<String> ids(List<ObjectNode> documents) {
    return documents.stream().map(d -> d.get("id").asText()).toList();
  }

  private static List<String> query(StreamAdapter streams, Query query) {
    return ids(streams.query("q", query));
  }

  @Test
  @DisplayName("Q1 — where matches items that have every given top-level field with an equal value")
  default void q1_whereMatchesEveryField() {
    StreamAdapter streams = tck().adapter();
    streams.set("q", "a", json("{\"status\":\"active\",\"role\":\"admin\"}"));
    streams.set("q", "b", json("{\"status\":\"active\",\"role\":\"user\"}"));
    streams.set("q", "c", json("{\"status\":\"active\"}"));
    streams.set("q", "d", json("{\"status\":\"inactive\",\"role\":\"admin\"}"));
    streams.set("q", "e", json("{\"nested\":{\"status\":\"active\"}}"));

    assertThat(query(streams, Query.builder().where("status", "active").build()))
        .containsExactly("a", "b", "c");
    assertThat(query(streams, Query.builder().where("status", "active").where("role", "admin").build()))
        .containsExactly("a");
    assertThat(query(streams, Query.builder().where("role", "nobody").build())).isEmpty();
    assertThat(query(streams, Query.builder().where("id", "d").build())).containsExactly("d");
    assertThat(query(streams, Query.all())).containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  @DisplayName("Q2 — JSON equality: numbers by value, large longs exact, null only matches an explicit null, objects and arrays deeply")
  default void q2_jsonEquality() {
    StreamAdapter streams = tck().adapter();
    streams.set("q", "int", json("{\"v\":1}"));
    streams.set("q", "dec", json("{\"v\":1.0}"));
    streams.set("q", "str", json("{\"v\":\"1\"}"));
    streams.set("q", "true", json("{\"v\":true}"));
    streams.set("q", "big", json("{\"v\":9007199254740993}"));
    streams.set("q", "big2", json("{\"v\":9007199254740992}"));
    streams.set("q", "null", json("{\"v\":null}"));
    streams.set("q", "missing", json("{}"));
    streams.set("q", "obj", json("{\"v\":{\"a\":1,\"b\":[1,2]}}"));
    streams.set("q", "arr", json("{\"v\":[1,{\"x\":2}]}"));

    assertThat(query(streams, Query.builder().where("v", 1).build())).containsExactly("dec", "int");
    assertThat(query(streams, Query.builder().where("v", json("{\"x\":1.00}").get("x")).build()))
        .containsExactly("dec", "int");
    assertThat(query(streams, Query.builder().where("v", "1").build())).containsExactly("str");
    assertThat(query(streams, Query.builder().where("v", true).build())).containsExactly("true");
    assertThat(query(streams, Query.builder().where("v", 9007199254740993L).build()))
        .containsExactly("big");
    assertThat(query(streams, Query.builder().where("v", null).build())).containsExactly("null");
    assertThat(query(streams, Query.builder().where("v", json("{\"b\":[1,2.0],\"a\":1}")).build()))
        .containsExactly("obj");
    assertThat(query(streams, Query.builder().where("v", json("{\"v\":[1,{\"x\":2}]}").get("v")).build()))
        .containsExactly("arr");
    assertThat(query(streams, Query.builder().where("v", json("{\"v\":[{\"x\":2},1]}").get("v")).build()))
        .isEmpty();
  }

  @Test
  @DisplayName("Q3 — without orderBy items come by ascending id whatever the direction; orderBy sorts asc by default, or desc")
  default void q3_defaultAndExplicitOrder() {
    StreamAdapter streams = tck().adapter();
    streams.set("q", "b", json("{\"age\":1}"));
    streams.set("q", "c", json("{\"age\":3}"));
    streams.set("q", "a", json("{\"age\":2}"));

    assertThat(query(streams, Query.all())).containsExactly("a", "b", "c");
    assertThat(query(streams, Query.builder().direction(SortDirection.DESC).build()))
        .containsExactly("a", "b", "c");
    assertThat(query(streams, Query.builder().orderBy("age").build())).containsExactly("b", "a", "c");
    assertThat(query(streams, Query.builder().orderBy("age", SortDirection.DESC).build()))
        .containsExactly("c", "a", "b");
  }

  @Test
  @DisplayName("Q4 — orderBy sorts missing < null < false < true < numbers (numerically) < strings < arrays < objects, desc reverses, ties by ascending id")
  default void q4_orderOfValues() {
    StreamAdapter streams = tck().adapter();
    String[][] items = {
        {"o2", "{\"v\":{\"b\":1}}"}, {"o1", "{\"v\":{\"a\":2}}"}, {"a2", "{\"v\":[2]}"},
        {"a1", "{\"v\":[1,5]}"}, {"s2", "{\"v\":\"b\"}"}, {"s1", "{\"v\":\"B\"}"},
        {"s3", "{\"v\":\"10\"}"}, {"n3", "{\"v\":10}"}, {"n2", "{\"v\":9.5}"},
        {"n1", "{\"v\":-9223372036854775808}"}, {"n4", "{\"v\":123456789012345678901234567890}"},
        {"t", "{\"v\":true}"}, {"f", "{\"v\":false}"}, {"z", "{\"v\":null}"}, {"m", "{}"},
        {"tie-b", "{\"v\":9.50}"}, {"tie-a", "{\"v\":9.5}"}, {"m0", "{\"w\":1}"}};
    for (String[] item : items) {
      streams.set("q", item[0], json(item[1]));
    }
    List<String> ascending = List.of("m", "m0", "z", "f", "t", "n1", "n2", "tie-a", "tie-b", "n3", "n4",
        "s3", "s1", "s2", "a1", "a2", "o1", "o2");
    assertThat(query(streams, Query.builder().orderBy("v").build()))
        .containsExactlyElementsOf(ascending);
    List<String> descending = List.of("o2", "o1", "a2", "a1", "s2", "s1", "s3", "n4", "n3", "n2",
        "tie-a", "tie-b", "n1", "t", "f", "z", "m", "m0");
    assertThat(query(streams, Query.builder().orderBy("v", SortDirection.DESC).build()))
        .containsExactlyElementsOf(descending);
  }

  @Test
  @DisplayName("Q4 — pages of a sorted query with many ties never overlap or skip")
  default void q4_pagesNeitherOverlapNorSkip() {
    StreamAdapter streams = tck().adapter();
    for (int i = 0; i < 40; i++) {
      streams.set("q", String.format("i%02d", (i * 17) % 40), json("{\"v\":" + (i % 3) + "}"));
    }
    for (SortDirection direction : SortDirection.values()) {
      List<String> all = query(streams, Query.builder().orderBy("v", direction).build());
      List<String> paged = new ArrayList<>();
      for (int offset = 0; offset < 45; offset += 7) {
        paged.addAll(query(streams, Query.builder().orderBy("v", direction).offset(offset).limit(7).build()));
      }
      assertThat(paged).as("pages of 7, %s", direction).containsExactlyElementsOf(all);
      Set<String> unique = new HashSet<>(paged);
      assertThat(unique).hasSize(40);
    }
  }

  @Test
  @DisplayName("Q5 — offset skips, limit bounds, limit 0 returns nothing, an offset past the end returns nothing; negatives fail when the query is built")
  default void q5_offsetAndLimit() {
    StreamAdapter streams = tck().adapter();
    for (String id : List.of("a", "b", "c", "d", "e")) {
      streams.set("q", id, json("{}"));
    }
    assertThat(query(streams, Query.builder().offset(1).limit(2).build())).containsExactly("b", "c");
    assertThat(query(streams, Query.builder().offset(3).build())).containsExactly("d", "e");
    assertThat(query(streams, Query.builder().limit(0).build())).isEmpty();
    assertThat(query(streams, Query.builder().offset(9).limit(3).build())).isEmpty();
    assertThat(query(streams, Query.builder().limit(Integer.MAX_VALUE).offset(4).build()))
        .containsExactly("e");
    assertThatThrownBy(() -> Query.builder().offset(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset").hasMessageContaining("-1");
    assertThatThrownBy(() -> Query.builder().limit(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit").hasMessageContaining("-1");
  }

  @Test
  @DisplayName("Q1–Q5 — random queries over random items answer exactly as the TCK's reference evaluator (seeded; the seed is printed on failure)")
  default void q1to5_randomQueriesMatchTheReference() {
    StreamAdapter streams = tck().adapter();
    long seed = RandomItems.seed();
    RandomItems random = new RandomItems(seed);
    for (int group = 0; group < 4; group++) {
      String groupId = "prop-" + group;
      List<ObjectNode> stored = new ArrayList<>();
      int size = 5 + random.nextInt(40);
      for (int i = 0; i < size; i++) {
        stored.add(streams.set(groupId, "item-" + random.nextInt(1000), random.item()));
      }
      // A later set of the same id replaces the earlier one.
      java.util.Map<String, ObjectNode> byId = new java.util.TreeMap<>();
      stored.forEach(d -> byId.put(d.get("id").asText(), d));
      List<ObjectNode> items = new ArrayList<>(byId.values());
      for (int q = 0; q < 60; q++) {
        Query query = random.query(items);
        List<String> expected = ReferenceQuery.evaluate(query, items).stream()
            .map(DataClauses::text).toList();
        List<String> actual = streams.query(groupId, query).stream().map(DataClauses::text).toList();
        assertThat(actual)
            .as("%s over %d items of %s; %s", query, items.size(), groupId, RandomItems.replayHint(seed))
            .containsExactlyElementsOf(expected);
      }
    }
  }
}
