package dev.streams.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryTest {

  @Test
  void defaultsMatchEverythingByIdUnpaged() {
    Query query = Query.builder().build();
    assertThat(query.where()).isEmpty();
    assertThat(query.orderBy()).isEmpty();
    assertThat(query.direction()).isEqualTo(SortDirection.ASC);
    assertThat(query.offset()).isZero();
    assertThat(query.limit()).isEmpty();
    assertThat(Query.all()).isEqualTo(query).hasSameHashCodeAs(query);
    assertThat(query).hasToString("Query{where={}, orderBy=null, direction=ASC, offset=0, limit=none}");
  }

  @Test
  void negativeOffsetFailsAtOnceNamingTheOption() {
    Query.Builder builder = Query.builder();
    assertThatThrownBy(() -> builder.offset(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("offset must be 0 or more, but was -1");
    assertThatThrownBy(() -> builder.offset(Integer.MIN_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("offset must be 0 or more, but was " + Integer.MIN_VALUE);
    assertThat(builder.build().offset()).isZero();
  }

  @Test
  void negativeLimitFailsAtOnceNamingTheOption() {
    Query.Builder builder = Query.builder().limit(5);
    assertThatThrownBy(() -> builder.limit(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be 0 or more, but was -1");
    assertThat(builder.build().limit()).hasValue(5);
  }

  @Test
  void limitZeroAndOffsetZeroAreAllowed() {
    Query query = Query.builder().offset(0).limit(0).build();
    assertThat(query.offset()).isZero();
    assertThat(query.limit()).hasValue(0);
    assertThat(Query.builder().limit(3).noLimit().build().limit()).isEmpty();
    assertThat(Query.builder().offset(Integer.MAX_VALUE).limit(Integer.MAX_VALUE).build().limit())
        .hasValue(Integer.MAX_VALUE);
  }

  @Test
  void fieldNamesMustBeNonEmpty() {
    assertThatThrownBy(() -> Query.builder().where(null, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("where field must be a non-empty field name, but was null");
    assertThatThrownBy(() -> Query.builder().where("", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("where field must be a non-empty field name, but was ''");
    assertThatThrownBy(() -> Query.builder().orderBy(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("orderBy must be a non-empty field name, but was null");
    assertThatThrownBy(() -> Query.builder().orderBy("", SortDirection.DESC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("orderBy must be a non-empty field name, but was ''");
    assertThatThrownBy(() -> Query.builder().orderBy("a", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("direction must not be null");
    assertThatThrownBy(() -> Query.builder().direction(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("direction must not be null");
  }

  @Test
  void whereValuesBecomeJsonAndNullIsExplicitNull() {
    Query query = Query.builder()
        .where("n", 1).where("s", "x").where("b", true).where("z", null)
        .where("list", List.of(1, "a")).where("map", Map.of("k", 2))
        .build();
    JsonNodeFactory f = JsonNodeFactory.instance;
    assertThat(query.where().keySet()).containsExactly("n", "s", "b", "z", "list", "map");
    assertThat(query.where().get("n").intValue()).isEqualTo(1);
    assertThat(query.where().get("s")).isEqualTo(f.textNode("x"));
    assertThat(query.where().get("b")).isEqualTo(f.booleanNode(true));
    assertThat(query.where().get("z")).isEqualTo(NullNode.getInstance());
    assertThat(query.where().get("list").toString()).isEqualTo("[1,\"a\"]");
    assertThat(query.where().get("map").toString()).isEqualTo("{\"k\":2}");
  }

  @Test
  void whereMapAddsEachEntryAndLaterValuesReplaceEarlier() {
    Map<String, Object> filters = new LinkedHashMap<>();
    filters.put("a", 1);
    filters.put("b", null);
    Query query = Query.builder().where("a", 0).where(filters).build();
    assertThat(query.where().keySet()).containsExactly("a", "b");
    assertThat(query.where().get("a").intValue()).isEqualTo(1);
    assertThat(query.where().get("b").isNull()).isTrue();
  }

  @Test
  void orderByDefaultsToAscending() {
    Query query = Query.builder().direction(SortDirection.DESC).orderBy("x").build();
    assertThat(query.orderBy()).contains("x");
    assertThat(query.direction()).isEqualTo(SortDirection.ASC);
    assertThat(Query.builder().orderBy("x", SortDirection.DESC).build().direction())
        .isEqualTo(SortDirection.DESC);
  }

  @Test
  void whereIsImmutable() {
    Query query = Query.builder().where("a", 1).build();
    assertThatThrownBy(() -> query.where().put("b", NullNode.getInstance()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> query.where().remove("a"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> query.where().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void laterBuilderChangesDoNotAffectABuiltQuery() {
    Query.Builder builder = Query.builder().where("a", 1).limit(2);
    Query first = builder.build();
    builder.where("b", 2).where("a", 9).limit(7).offset(3).orderBy("c");
    assertThat(first.where().keySet()).containsExactly("a");
    assertThat(first.where().get("a").intValue()).isEqualTo(1);
    assertThat(first.limit()).hasValue(2);
    assertThat(first.offset()).isZero();
    assertThat(first.orderBy()).isEmpty();
  }

  @Test
  void changingTheGivenJsonNodeAfterwardsDoesNotChangeTheQuery() {
    ObjectNode value = JsonNodeFactory.instance.objectNode().put("k", 1);
    Query query = Query.builder().where("o", value).build();
    value.put("k", 2).put("extra", true);
    assertThat(query.where().get("o").toString()).isEqualTo("{\"k\":1}");
  }

  @Test
  void equalsAndHashCodeCoverEveryPart() {
    Query base = Query.builder().where("a", "x").orderBy("b", SortDirection.DESC).offset(1).limit(2).build();
    Query same = Query.builder().where("a", "x").orderBy("b", SortDirection.DESC).offset(1).limit(2).build();
    assertThat(base).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(base).isNotEqualTo(null).isNotEqualTo("query");

    List<Query> different = List.of(
        Query.builder().where("a", "y").orderBy("b", SortDirection.DESC).offset(1).limit(2).build(),
        Query.builder().where("z", "x").orderBy("b", SortDirection.DESC).offset(1).limit(2).build(),
        Query.builder().where("a", "x").orderBy("c", SortDirection.DESC).offset(1).limit(2).build(),
        Query.builder().where("a", "x").orderBy("b", SortDirection.ASC).offset(1).limit(2).build(),
        Query.builder().where("a", "x").orderBy("b", SortDirection.DESC).offset(0).limit(2).build(),
        Query.builder().where("a", "x").orderBy("b", SortDirection.DESC).offset(1).limit(3).build(),
        Query.builder().where("a", "x").orderBy("b", SortDirection.DESC).offset(1).build(),
        Query.builder().orderBy("b", SortDirection.DESC).offset(1).limit(2).build());
    for (Query other : different) {
      assertThat(base).as("vs %s", other).isNotEqualTo(other);
    }
  }

  @Test
  void toStringShowsEveryPart() {
    Query query = Query.builder().where("a", 1).orderBy("b", SortDirection.DESC).offset(3).limit(4).build();
    assertThat(query).hasToString("Query{where={a=1}, orderBy=b, direction=DESC, offset=3, limit=4}");
  }

  @Test
  void whereValueThatCannotBeMappedFailsNamingIt() {
    Object unmappable = new Object();
    assertThatThrownBy(() -> Query.builder().where("a", unmappable))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("where value cannot be mapped to JSON: ");
  }

  @Test
  void whereJsonNodeValueIsKeptAsIs() {
    JsonNode node = JsonNodeFactory.instance.arrayNode().add(1).add("x");
    assertThat(Query.builder().where("a", node).build().where().get("a")).isEqualTo(node).isNotSameAs(node);
  }
}
