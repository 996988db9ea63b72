package dev.streams.tck;

import java.util.List;
import java.util.Optional;

/**
 * The store beneath the adapters, seen without the adapter: what {@code redis-cli} shows of a Redis.
 * The TCK uses it to check the key layout (SPEC.md K1–K7) and the wire format of events (E1, E6).
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
   * Publishes a message as is, bypassing the adapter.
   *
   * @param channel the channel name
   * @param message the text
   */
  void publish(String channel, String message);

  /**
   * Starts listening on a channel; established when this returns.
   *
   * @param channel the channel name
   * @return the listener; the TCK closes it
   */
  RawListener listen(String channel);
}
