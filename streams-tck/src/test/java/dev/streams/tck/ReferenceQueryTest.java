package dev.streams.tck;

import static dev.streams.tck.DataClauses.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference evaluator the property test trusts is itself right on hand-checked cases. */
class ReferenceQueryTest {

  private static final List<ObjectNode> ITEMS = List.of(
      json("{\"v\":10,\"s\":\"x\",\"id\":\"a\"}"),
      json("{\"v\":9.5,\"s\":\"x\",\"id\":\"b\"}"),
      json("{\"v\":\"10\",\"id\":\"c\"}"),
      json("{\"v\":null,\"s\":\"y\",\"id\":\"d\"}"),
      json("{\"s\":\"x\",\"id\":\"e\"}"),
      json("{\"v\":1.0,\"id\":\"f\"}"),
      json("{\"v\":1,\"id\":\"g\"}"),
      json("{\"v\":[1],\"id\":\"h\"}"),
      json("{\"v\":{\"k\":1},\"id\":\"i\"}"),
      json("{\"v\":false,\"id\":\"j\"}"));

  private static List<String> ids(Query query) {
    return ReferenceQuery.evaluate(query, ITEMS).stream().map(d -> d.get("id").asText()).toList();
  }

  @Test
  void filtersByNumericValueAndExplicitNull() {
    assertThat(ids(Query.builder().where("v", 1).build())).containsExactly("f", "g");
    assertThat(ids(Query.builder().where("v", null).build())).containsExactly("d");
    assertThat(ids(Query.builder().where("s", "x").build())).containsExactly("a", "b", "e");
  }

  @Test
  void sortsByKindThenValueThenId() {
    assertThat(ids(Query.builder().orderBy("v").build()))
        .containsExactly("e", "d", "j", "f", "g", "b", "a", "c", "h", "i");
    assertThat(ids(Query.builder().orderBy("v", SortDirection.DESC).build()))
        .containsExactly("i", "h", "c", "a", "b", "f", "g", "j", "d", "e");
  }

  @Test
  void pagesAfterSorting() {
    assertThat(ids(Query.builder().orderBy("v").offset(2).limit(3).build())).containsExactly("j", "f", "g");
    assertThat(ids(Query.builder().limit(0).build())).isEmpty();
  }
}
