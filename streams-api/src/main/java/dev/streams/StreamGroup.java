package dev.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.internal.Names;
import dev.streams.query.Query;
import dev.streams.json.StreamJson;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A typed view of one group: items are the caller's own class (a record, a bean), mapped with
 * Jackson. Obtained from {@link StreamAdapter#group(String, Class)}, or from
 * {@link #of(StreamAdapter, String, Class, ObjectMapper)} to use an application's own
 * {@link ObjectMapper} (modules, naming strategy). A stored document that does not map to the item
 * type is data of the group that is not an item of this view: reading it fails with
 * {@link StreamDataException} naming its key, as foreign data does.
 *
 * <pre>{@code
 * record User(String id, String name, String status) {}
 * StreamGroup<User> users = adapter.group("users", User.class);
 * users.set("u1", new User(null, "Ann", "active"));   // stored with "id":"u1"
 * Optional<User> ann = users.get("u1");
 * }</pre>
 *
 * @param <T> the item type
 */
public final class StreamGroup<T> {

  private final StreamAdapter adapter;
  private final String groupId;
  private final Class<T> type;
  private final ObjectMapper mapper;

  private StreamGroup(StreamAdapter adapter, String groupId, Class<T> type, ObjectMapper mapper) {
    this.adapter = Objects.requireNonNull(adapter, "adapter");
    this.groupId = Names.requireGroupId(groupId);
    this.type = Objects.requireNonNull(type, "type");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /**
   * A view with the library's default mapper (which registers the Jackson modules found on the
   * classpath).
   *
   * @param adapter the adapter
   * @param groupId the group
   * @param type the item class
   * @param <T> the item type
   * @return the view
   */
  public static <T> StreamGroup<T> of(StreamAdapter adapter, String groupId, Class<T> type) {
    return new StreamGroup<>(adapter, groupId, type, StreamJson.objectMapper());
  }

  /**
   * @param adapter the adapter
   * @param groupId the group
   * @param type the item class
   * @param mapper maps items to and from JSON trees
   * @param <T> the item type
   * @return the view
   */
  public static <T> StreamGroup<T> of(
      StreamAdapter adapter, String groupId, Class<T> type, ObjectMapper mapper) {
    return new StreamGroup<>(adapter, groupId, type, mapper);
  }

  /** @return the group this view reads and writes */
  public String groupId() {
    return groupId;
  }

  /**
   * @param id the item id
   * @param item the item
   * @return the stored item, as read back from the stored document
   * @see StreamAdapter#set(String, String, Object)
   */
  public T set(String id, T item) {
    if (item == null) {
      throw new IllegalArgumentException("item must not be null");
    }
    JsonNode tree = mapper.valueToTree(item);
    return decode(adapter.set(groupId, id, tree));
  }

  /**
   * @param id the item id
   * @return the item, or empty
   * @throws StreamDataException naming the key if the stored document does not map to the item type
   */
  public Optional<T> get(String id) {
    return adapter.get(groupId, id).map(this::decode);
  }

  /**
   * @param id the item id
   * @return the removed item, or empty
   */
  public Optional<T> delete(String id) {
    return adapter.delete(groupId, id).map(this::decode);
  }

  /** @return every item of the group, ordered by id */
  public List<T> getAll() {
    return adapter.getGroup(groupId).stream().map(this::decode).toList();
  }

  /**
   * @param query the query
   * @return the matching items
   */
  public List<T> query(Query query) {
    return adapter.query(groupId, query).stream().map(this::decode).toList();
  }

  /** @return how many items were removed */
  public long clear() {
    return adapter.clear(groupId);
  }

  /**
   * Maps event data (a stored document) to the item type, for use in an {@link EventHandler}.
   *
   * @param data the data of a {@code create}, {@code update} or {@code delete} event
   * @return the item
   * @throws IllegalArgumentException if the data does not map to the item type
   */
  public T decode(JsonNode data) {
    try {
      return mapper.treeToValue(data, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot map a document of group '" + groupId + "' to " + type.getName() + ": "
              + e.getOriginalMessage(), e);
    }
  }

  /**
   * Maps a stored document: one that does not fit the item type is stored data that is not an item
   * of this view, so it fails as foreign data does (K7), naming its key.
   */
  private T decode(ObjectNode document) {
    try {
      return mapper.treeToValue(document, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String id = document.path("id").asText();
      String key = adapter.dataKey(groupId, id);
      String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
      throw new StreamDataException(key, "Value at key '" + key + "' does not map to "
          + type.getName() + ": " + reason, e);
    }
  }
}
