package dev.streams.memory;

import dev.streams.StreamConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The store underneath memory adapters, as a compatibility kit sees a Redis server through a plain
 * client: the raw text at a key, the list of keys, and the channels (K6).
 *
 * <p>For tests. Reading is harmless; {@link #putForeign} and {@link #publish} bypass the adapter to
 * plant the foreign data and garbage messages that K7 and E6 are about.
 */
public final class MemoryRawView {

  private final MemoryStore store;

  private MemoryRawView(MemoryStore store) {
    this.store = store;
  }

  /**
   * @param config selects the store by host, port and database, as adapters do
   * @return the view of that store
   */
  public static MemoryRawView of(StreamConfig config) {
    return new MemoryRawView(MemoryStore.at(
        new MemoryStore.Address(config.host(), config.port(), config.database())));
  }

  /**
   * @param key a key
   * @return the text stored there, or empty (also where the key holds a hash)
   */
  public Optional<String> get(String key) {
    return "string".equals(store.type(key)) ? Optional.ofNullable(store.get(key)) : Optional.empty();
  }

  /**
   * @param key a key
   * @return the fields and values of the hash there, in field order; empty if there is none
   */
  public Map<String, String> getHash(String key) {
    if (!"hash".equals(store.type(key))) {
      return Map.of();
    }
    NavigableMap<String, String> hash = store.hash(key);
    return hash == null ? Map.of() : new LinkedHashMap<>(hash);
  }

  /**
   * Stores text in a field of the hash at a key, without any event (a key holding a string becomes
   * a hash), as another program writing to Redis would.
   *
   * @param key the key
   * @param field the field
   * @param value the text
   */
  public void putForeignField(String key, String field, String value) {
    store.putRawField(key, field, value);
  }

  /** @return every key of the store, sorted */
  public List<String> keys() {
    return store.keys();
  }

  /**
   * Stores text at a key without any event, as another program writing to Redis would.
   *
   * @param key the key
   * @param value the text
   */
  public void putForeign(String key, String value) {
    store.putRaw(key, value);
  }

  /**
   * Holds every write of this store's server (set, delete, clear, send, on every database) until
   * the returned handle is closed, as a paused Redis would; reads go on. For tests that keep calls
   * in flight (A2).
   *
   * @return the hold; close it to let the writes through
   */
  public AutoCloseable holdWrites() {
    return store.holdWrites();
  }

  /**
   * Removes every key of the store, without events, like Redis's {@code FLUSHDB}: resets shared
   * state between unit tests.
   */
  public void flush() {
    store.flush();
  }

  /**
   * @param channel a channel name
   * @param message the text, published as is
   */
  public void publish(String channel, String message) {
    store.publish(channel, message);
  }

  /**
   * @param channel a channel name
   * @param listener receives {@code (channel, message)} on the publisher's thread; keep it short
   * @return closes the registration
   */
  public AutoCloseable listen(String channel, BiConsumer<String, String> listener) {
    store.listen(channel, listener);
    return () -> store.unlisten(channel, listener);
  }
}
