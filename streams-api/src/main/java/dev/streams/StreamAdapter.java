package dev.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.query.Query;
import java.util.List;
import java.util.Optional;

/**
 * Grouped JSON items with change events, shared by every adapter connected to the same store.
 *
 * <p>An item is a JSON object addressed by {@code (groupId, id)} (D1). {@code groupId} is
 * non-empty, at most 1024 UTF-8 bytes and contains no {@code ':'}; {@code id} is non-empty and at
 * most 1024 UTF-8 bytes (D2). The stored document is the data with its {@code "id"} field set to the
 * item's id (D4).
 *
 * <p>Untyped use works with Jackson's {@link ObjectNode}; {@link #group(String, Class)} gives a typed
 * view over one group that maps documents to and from the caller's own classes.
 *
 * <p>Adapters are thread-safe. Every method throws {@link IllegalStateException} once the adapter is
 * closed, {@link IllegalArgumentException} for invalid arguments (before any I/O: nothing is written
 * and no event is sent), {@link StreamConnectionException} when the store cannot be reached, and
 * {@link StreamDataException} when a key under the layout holds foreign data.
 *
 * <p>Open one with {@link Streams#open(StreamConfig)}.
 */
public interface StreamAdapter extends AutoCloseable {

  /**
   * Stores an item and publishes one {@code create} or {@code update} event on the group channel and
   * on the item channel, atomically with the write (O1, O2).
   *
   * @param groupId the group
   * @param id the item id
   * @param data a {@link com.fasterxml.jackson.databind.JsonNode} object, a map, or any object that
   *     Jackson serialises to a JSON object
   * @return the stored document: the data with {@code "id"} set to {@code id}
   * @throws IllegalArgumentException if a name is invalid, the data is not a JSON object, nests
   *     deeper than {@link dev.streams.json.StreamJson#MAX_NESTING_DEPTH} levels, or makes a document
   *     of more than {@link StreamConfig#maxDocumentBytes()} UTF-8 bytes (D6)
   */
  ObjectNode set(String groupId, String id, Object data);

  /**
   * @param groupId the group
   * @param id the item id
   * @return the stored document, or empty if there is none (O3)
   */
  Optional<ObjectNode> get(String groupId, String id);

  /**
   * Removes an item; if it existed, publishes one {@code delete} event with the removed document on
   * both channels, atomically with the removal (O4).
   *
   * @param groupId the group
   * @param id the item id
   * @return the removed document, or empty if there was none
   */
  Optional<ObjectNode> delete(String groupId, String id);

  /**
   * @param groupId the group
   * @return every item of the group ordered by id; empty for an unknown group (O5)
   */
  List<ObjectNode> getGroup(String groupId);

  /**
   * Filters, sorts and pages the items of a group (O6, Q1–Q5).
   *
   * @param groupId the group
   * @param query the query; {@link Query#all()} returns the whole group ordered by id
   * @return the matching items
   */
  List<ObjectNode> query(String groupId, Query query);

  /**
   * Removes every item of a group, publishing one {@code delete} event per removed item on both
   * channels (O7).
   *
   * @param groupId the group
   * @return how many items were removed
   */
  long clear(String groupId);

  /**
   * Publishes an event on exactly the given channel; stores nothing (O8).
   *
   * @param channel the channel
   * @param event the event
   * @throws IllegalArgumentException if the event's data, as JSON text, is more than
   *     {@link StreamConfig#maxDocumentBytes()} UTF-8 bytes (D6), like a document
   */
  void send(StreamChannel channel, StreamEvent event);

  /**
   * Delivers the events of a channel to a handler, from this and every other adapter on the same
   * store, until the returned subscription is closed (O9, E1–E7). When this method returns, the
   * subscription is established: events published afterwards reach the handler.
   *
   * @param channel the channel
   * @param handler receives the events one at a time, off the writer's thread
   * @return the subscription; close it to stop delivery to this handler
   */
  Subscription subscribe(StreamChannel channel, EventHandler handler);

  /**
   * Ends every subscription of this adapter on the channel (O9).
   *
   * @param channel the channel
   */
  void unsubscribe(StreamChannel channel);

  /**
   * The key an item is stored under (K1), as a {@link StreamDataException} about it names it:
   * under the {@code hash} layout the group's hash, whose field {@code id} holds the item (L2).
   *
   * @param groupId the group
   * @param id the item
   * @return its data key; the default, for an adapter without a key layout, is {@code groupId:id}
   * @throws IllegalArgumentException if the group or id is invalid
   */
  default String dataKey(String groupId, String id) {
    return groupId + ":" + id;
  }

  /**
   * A typed view of one group that maps documents to and from {@code type} with Jackson.
   *
   * @param groupId the group
   * @param type the class of the items, e.g. a record
   * @param <T> the item type
   * @return the view; it shares this adapter's connections and life cycle
   * @throws IllegalStateException if this adapter is closed (O10); an implementation that does not
   *     extend {@code AbstractStreamAdapter} checks it itself before calling this default
   */
  default <T> StreamGroup<T> group(String groupId, Class<T> type) {
    return StreamGroup.of(this, groupId, type);
  }

  /**
   * The non-blocking twin of this adapter: the same operations, each returning a
   * {@link java.util.concurrent.CompletionStage} at once (A1, A2). It shares this adapter's
   * connections and life cycle: once this adapter is closed, its calls fail their stages with
   * {@link IllegalStateException}. Every adapter built on
   * {@link dev.streams.spi.AbstractStreamAdapter} has one.
   *
   * @return the asynchronous view of this adapter
   * @throws UnsupportedOperationException if this adapter has none (the default)
   */
  default AsyncStreamAdapter async() {
    throw new UnsupportedOperationException(getClass().getName() + " has no asynchronous API");
  }

  /**
   * What this adapter tells about itself for metrics and health checks: attach a
   * {@link StreamObserver}, read its queued events, probe the store. Every adapter built on
   * {@link dev.streams.spi.AbstractStreamAdapter} has one.
   *
   * @return the monitor of this adapter
   * @throws UnsupportedOperationException if this adapter has none (the default)
   */
  default StreamMonitor monitor() {
    throw new UnsupportedOperationException(getClass().getName() + " has no monitor");
  }

  /**
   * Ends all subscriptions and connections. Idempotent; every other call afterwards throws
   * {@link IllegalStateException} (O10).
   */
  @Override
  void close();
}
