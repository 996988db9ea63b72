package dev.streams.tck;

import java.util.List;
import java.util.Optional;

/**
 * The store beneath the adapters, seen without the adapter: what {@code redis-cli} shows of a Redis.
 * The TCK uses it to check the key layout (K1–K7) and the wire format of events (E1, E6).
 */
public interface RawView {

  /**
   * @param key a key
   * @return the string stored at it, or empty
   */
  Optional<String> get(String key);

  /** @return every key of the store */
  List<String> keys();

  /**
   * Stores a string at a key bypassing the adapter, as another program would (no event).
   *
   * @param key the key
   * @param value the string
   */
  void putForeign(String key, String value);

  /**
   * Stores one field of a hash at a key (Redis {@code HSET}: added to the hash there), bypassing
   * the adapter, as another program would (no event): a value of another type than a string for the
   * flat layout (K7), an item or a foreign value in a group's hash for the hash layout (L2).
   *
   * @param key the key
   * @param field the hash field
   * @param value its value
   * @return whether the store has hashes; a store of strings only returns false, and the clauses
   *     that need them (K7's other type, the hash layout's raw checks) are then skipped
   */
  default boolean putForeignHash(String key, String field, String value) {
    return false;
  }

  /**
   * @param key a key
   * @return the fields and values of the hash at the key, empty if there is none; a store of strings
   *     only keeps this default, and the clauses that need it are skipped
   */
  default java.util.Map<String, String> getHash(String key) {
    throw new UnsupportedOperationException("this store has no hashes");
  }

  /**
   * Publishes a message as is, bypassing the adapter.
   *
   * @param channel the channel name
   * @param message the text
   */
  void publish(String channel, String message);

  /**
   * Publishes a message as is, on classic pub/sub, from every node that publishes events of the
   * store, so that once a subscriber has every copy, it has every event any node published before:
   * what the TCK's markers need where events come by several routes ({@link
   * TckStore#ordersGroupEvents}). The default publishes once.
   *
   * @param channel the channel name
   * @param message the text
   * @return how many copies a subscriber of the channel receives
   */
  default int publishFromEveryNode(String channel, String message) {
    publish(channel, message);
    return 1;
  }

  /**
   * Starts listening on a channel; established when this returns.
   *
   * @param channel the channel name
   * @return the listener; the TCK closes it
   */
  RawListener listen(String channel);

  /**
   * Starts listening on a channel of the given layout, for a clause that opens an adapter of
   * another layout than its run's. A store where the layouts' events travel apart (a Redis Cluster,
   * where {@code hash} events are sharded, L3) listens as that layout's events travel; the default is
   * {@link #listen(String)}.
   *
   * @param channel the channel name
   * @param layout the layout of the adapter that publishes on it
   * @return the listener; the TCK closes it
   */
  default RawListener listen(String channel, dev.streams.StreamLayout layout) {
    return listen(channel);
  }
}
