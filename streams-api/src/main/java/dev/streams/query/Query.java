package dev.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streams.json.StreamJson;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A query over the items of one group: equality filters, one sort field, and a page (Q1–Q5).
 * Applied in this order: filter, sort, offset, limit.
 *
 * <pre>{@code
 * Query query = Query.builder()
 *     .where("status", "active")
 *     .orderBy("createdAt", SortDirection.DESC)
 *     .limit(10)
 *     .build();
 * }</pre>
 *
 * <p>Immutable; invalid values fail with {@link IllegalArgumentException} while it is built (Q5).
 */
public final class Query {

  private static final Query ALL = builder().build();

  private final Map<String, JsonNode> where;
  private final String orderBy;
  private final SortDirection direction;
  private final int offset;
  private final Integer limit;

  private Query(Builder b) {
    this.where = Collections.unmodifiableMap(new LinkedHashMap<>(b.where));
    this.orderBy = b.orderBy;
    this.direction = b.direction;
    this.offset = b.offset;
    this.limit = b.limit;
  }

  /** @return a query that matches every item, ordered by id */
  public static Query all() {
    return ALL;
  }

  /** @return a builder for a query that matches every item, ordered by id, unpaged */
  public static Builder builder() {
    return new Builder();
  }

  /** @return top-level field → the value it must equal (Q1, Q2); empty matches every item */
  public Map<String, JsonNode> where() {
    return where;
  }

  /** @return the top-level field to sort by, or empty to sort by id (Q3) */
  public Optional<String> orderBy() {
    return Optional.ofNullable(orderBy);
  }

  /** @return the sort direction */
  public SortDirection direction() {
    return direction;
  }

  /** @return how many matching items to skip, 0 or more */
  public int offset() {
    return offset;
  }

  /** @return the most items to return, or empty for no limit */
  public OptionalInt limit() {
    return limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Query q && where.equals(q.where) && Objects.equals(orderBy, q.orderBy)
        && direction == q.direction && offset == q.offset && Objects.equals(limit, q.limit);
  }

  @Override
  public int hashCode() {
    return Objects.hash(where, orderBy, direction, offset, limit);
  }

  @Override
  public String toString() {
    return "Query{where=" + where + ", orderBy=" + orderBy + ", direction=" + direction
        + ", offset=" + offset + ", limit=" + (limit == null ? "none" : limit) + "}";
  }

  /** Builds a {@link Query}; each setter validates its value at once. */
  public static final class Builder {

    private final Map<String, JsonNode> where = new LinkedHashMap<>();
    private String orderBy;
    private SortDirection direction = SortDirection.ASC;
    private int offset;
    private Integer limit;

    private Builder() {}

    /**
     * Adds an equality filter: an item matches when it has the top-level field and its value is
     * JSON-equal to {@code value} (numbers by numeric value, {@code null} only an explicit null).
     *
     * @param field a top-level field name
     * @param value a {@link JsonNode}, {@code null}, or any value Jackson maps to JSON
     * @return this builder
     */
    public Builder where(String field, Object value) {
      where.put(requireField("where field", field), StreamJson.toJsonValue(value, "where value"));
      return this;
    }

    /**
     * @param filters field → value, as {@link #where(String, Object)} each
     * @return this builder
     */
    public Builder where(Map<String, ?> filters) {
      Objects.requireNonNull(filters, "filters");
      filters.forEach(this::where);
      return this;
    }

    /**
     * @param field the top-level field to sort by, ascending
     * @return this builder
     */
    public Builder orderBy(String field) {
      return orderBy(field, SortDirection.ASC);
    }

    /**
     * @param field the top-level field to sort by
     * @param direction the direction
     * @return this builder
     */
    public Builder orderBy(String field, SortDirection direction) {
      this.orderBy = requireField("orderBy", field);
      return direction(direction);
    }

    /**
     * @param direction the direction of {@link #orderBy(String)}; without an orderBy, items come
     *     by ascending id whatever the direction (Q3)
     * @return this builder
     */
    public Builder direction(SortDirection direction) {
      if (direction == null) {
        throw new IllegalArgumentException("direction must not be null");
      }
      this.direction = direction;
      return this;
    }

    /**
     * @param offset how many matching items to skip, 0 or more
     * @return this builder
     */
    public Builder offset(int offset) {
      if (offset < 0) {
        throw new IllegalArgumentException("offset must be 0 or more, but was " + offset);
      }
      this.offset = offset;
      return this;
    }

    /**
     * @param limit the most items to return, 0 or more
     * @return this builder
     */
    public Builder limit(int limit) {
      if (limit < 0) {
        throw new IllegalArgumentException("limit must be 0 or more, but was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /** @return this builder, with no limit */
    public Builder noLimit() {
      this.limit = null;
      return this;
    }

    /** @return the query */
    public Query build() {
      return new Query(this);
    }

    private static String requireField(String what, String field) {
      if (field == null || field.isEmpty()) {
        throw new IllegalArgumentException(what + " must be a non-empty field name, but was "
            + (field == null ? "null" : "''"));
      }
      return field;
    }
  }
}
