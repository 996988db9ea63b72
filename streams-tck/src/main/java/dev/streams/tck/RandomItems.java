package dev.streams.tck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import java.math.BigDecimal;
import java.util.List;
import java.util.Random;

/**
 * Seeded generators of items and queries for the TCK's property tests. Values are drawn from small
 * pools so that filters match and sorts meet ties, mixed kinds, and numbers equal in value but not in
 * text ({@code 1}, {@code 1.0}, {@code 1.00}).
 */
final class RandomItems {

  /** The system property that replays a failing property test. */
  public static final String SEED_PROPERTY = "streams.tck.seed";

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final List<String> FIELDS = List.of("status", "n", "mixed", "flag", "tags", "opt");

  private final Random random;

  /**
   * @param seed the seed
   */
  public RandomItems(long seed) {
    this.random = new Random(seed);
  }

  /** @return the seed of this run: the property {@value #SEED_PROPERTY}, or a fresh one */
  public static long seed() {
    String replay = System.getProperty(SEED_PROPERTY);
    return replay != null ? Long.parseLong(replay.trim()) : System.nanoTime();
  }

  /**
   * @param seed the seed of the failing run
   * @return how to replay it, for failure messages
   */
  public static String replayHint(long seed) {
    return "seed=" + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")";
  }

  /** @return a random item; some fields are missing, some explicitly null */
  public ObjectNode item() {
    ObjectNode item = NODES.objectNode();
    if (random.nextInt(10) > 0) {
      item.put("status", pick("active", "inactive", "Active", "pending"));
    }
    if (random.nextInt(8) > 0) {
      item.set("n", number());
    }
    if (random.nextInt(6) > 0) {
      item.set("mixed", anyValue());
    }
    if (random.nextInt(5) > 0) {
      item.put("flag", random.nextBoolean());
    }
    if (random.nextInt(4) > 0) {
      ArrayNode tags = item.putArray("tags");
      for (int i = random.nextInt(3); i > 0; i--) {
        tags.add(pick("a", "b"));
      }
    }
    if (random.nextBoolean()) {
      item.putNull("opt");
    }
    return item;
  }

  /**
   * @param items the items the query runs over, to draw filter values that match
   * @return a random query
   */
  public Query query(List<ObjectNode> items) {
    Query.Builder query = Query.builder();
    for (int filters = random.nextInt(3); filters > 0; filters--) {
      String field = FIELDS.get(random.nextInt(FIELDS.size()));
      JsonNode value;
      if (!items.isEmpty() && random.nextInt(4) > 0) {
        value = items.get(random.nextInt(items.size())).get(field);
        value = value == null ? anyValue() : value;
      } else {
        value = anyValue();
      }
      query.where(field, value);
    }
    if (random.nextInt(4) > 0) {
      List<String> sortable = List.of("status", "n", "mixed", "flag", "tags", "opt", "id", "absent");
      query.orderBy(sortable.get(random.nextInt(sortable.size())),
          random.nextBoolean() ? SortDirection.ASC : SortDirection.DESC);
    } else if (random.nextBoolean()) {
      query.direction(SortDirection.DESC);
    }
    if (random.nextBoolean()) {
      query.offset(random.nextInt(6));
    }
    if (random.nextInt(3) > 0) {
      query.limit(random.nextInt(8));
    }
    return query.build();
  }

  /**
   * @param bound exclusive
   * @return a random int in [0, bound)
   */
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  private JsonNode number() {
    return switch (random.nextInt(7)) {
      case 0 -> NODES.numberNode(random.nextInt(5));
      case 1 -> NODES.numberNode(new BigDecimal(pick("1.0", "1.00", "2.5", "-0.5", "0.0", "1E+1")));
      case 2 -> NODES.numberNode(pick(Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE, 9007199254740993L));
      case 3 -> NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
      case 4 -> NODES.numberNode(random.nextInt(3) - 1);
      default -> NODES.numberNode(new BigDecimal(random.nextInt(20) - 10).movePointLeft(1));
    };
  }

  private JsonNode anyValue() {
    return switch (random.nextInt(8)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2, 3 -> number();
      case 4 -> NODES.textNode(pick("a", "b", "A", "é", "", "10", "9"));
      case 5 -> NODES.arrayNode().add(random.nextInt(2)).add(pick("x", "y"));
      case 6 -> NODES.objectNode().put("k", random.nextInt(2));
      default -> NODES.objectNode().put("k", random.nextInt(2)).put("j", 1);
    };
  }

  @SafeVarargs
  private <T> T pick(T... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
