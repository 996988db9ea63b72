package dev.streams.memory;

import dev.streams.StreamDataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * One database of an in-JVM "server": a sorted map of keys to values, and the server's channels
 * with listeners. A value is a string (text) or, as on Redis, a hash: a sorted map of fields to
 * text, which the {@code hash} layout keeps a group in (L2) and which another program may leave
 * where a string belongs. A command meeting the other type fails as Redis's {@code WRONGTYPE} does,
 * with {@link StreamDataException} naming the key (K7); a hash whose last field goes is removed.
 *
 * <p>As with Redis, whose pub/sub ignores the database number, the channels belong to the server
 * (host and port), not to the database: every database of a server shares them (E8), while each has
 * its own data.
 *
 * <p>Reads take no lock. Every change and every publish happens under the server's one write lock,
 * so a write and its events are one atomic step, and every listener sees all messages of a channel
 * in one order, as with Redis's single command thread.
 */
final class MemoryStore {

  /** Identifies a store, like the address of a server plus a database number. */
  record Address(String host, int port, int database) {}

  /** What the databases of one server share: its channels and its command thread. */
  private record Server(String host, int port) {}

  private static final class Shared {
    final Map<String, List<BiConsumer<String, String>>> listeners = new ConcurrentHashMap<>();
    final ReentrantLock writeLock = new ReentrantLock();
  }

  private static final Map<Address, MemoryStore> STORES = new ConcurrentHashMap<>();
  private static final Map<Server, Shared> SERVERS = new ConcurrentHashMap<>();

  /** String or {@code ConcurrentSkipListMap<String, String>} (a hash) per key. */
  private final ConcurrentSkipListMap<String, Object> data = new ConcurrentSkipListMap<>();
  private final Map<String, List<BiConsumer<String, String>>> listeners;
  private final ReentrantLock writeLock;

  private MemoryStore(Shared server) {
    this.listeners = server.listeners;
    this.writeLock = server.writeLock;
  }

  static MemoryStore at(Address address) {
    return STORES.computeIfAbsent(address, a -> new MemoryStore(
        SERVERS.computeIfAbsent(new Server(a.host(), a.port()), s -> new Shared())));
  }

  /**
   * @return the string at the key, or null
   * @throws StreamDataException if the key holds a hash
   */
  String get(String key) {
    return string(key, data.get(key));
  }

  /**
   * @return the hash at the key, or null; a live view (reads take no lock)
   * @throws StreamDataException if the key holds a string
   */
  NavigableMap<String, String> hash(String key) {
    Object value = data.get(key);
    if (value == null || value instanceof NavigableMap<?, ?>) {
      @SuppressWarnings("unchecked")
      NavigableMap<String, String> hash = (NavigableMap<String, String>) value;
      return hash;
    }
    throw wrongType(key, "string", "hash");
  }

  /** @return the text of a field of the hash at the key, or null */
  String hget(String key, String field) {
    NavigableMap<String, String> hash = hash(key);
    return hash == null ? null : hash.get(field);
  }

  private static String string(String key, Object value) {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw wrongType(key, "hash", "string");
  }

  /** What Redis's WRONGTYPE becomes on every backend (K7). */
  private static StreamDataException wrongType(String key, String found, String wanted) {
    return new StreamDataException(key, "Value at key '" + key + "' is not a stream item: it holds a "
        + (found.equals("hash") ? "Redis hash" : "Redis string") + ", not a " + wanted);
  }

  /**
   * Stores a field of the hash at a key, as {@link #put} stores a string.
   *
   * @return the previous value of the field, or null
   */
  String hput(String key, String field, String value, BiConsumer<String, String> checkPrevious,
      BiConsumer<String, String> onWritten) {
    writeLock.lock();
    try {
      NavigableMap<String, String> hash = hash(key);
      String previous = hash == null ? null : hash.get(field);
      if (previous != null) {
        checkPrevious.accept(field, previous);
      }
      if (hash == null) {
        hash = new ConcurrentSkipListMap<>();
        data.put(key, hash);
      }
      hash.put(field, value);
      onWritten.accept(previous, value);
      return previous;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Removes a field of the hash at a key, as {@link #remove} removes a key; the hash goes with its
   * last field.
   *
   * @return the removed value, or null
   */
  String hremove(String key, String field, BiConsumer<String, String> onRemove) {
    writeLock.lock();
    try {
      NavigableMap<String, String> hash = hash(key);
      String value = hash == null ? null : hash.get(field);
      if (value != null) {
        onRemove.accept(field, value);
        hash.remove(field);
        if (hash.isEmpty()) {
          data.remove(key);
        }
      }
      return value;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Removes every field of the hash at a key that {@code removable} accepts, as
   * {@link #removeWithPrefix} does for keys.
   *
   * @return how many were removed
   */
  long hremoveAll(String key, BiPredicate<String, String> removable, BiConsumer<String, String> onRemove) {
    writeLock.lock();
    try {
      NavigableMap<String, String> hash = hash(key);
      if (hash == null) {
        return 0;
      }
      long removed = 0;
      for (Map.Entry<String, String> entry : List.copyOf(hash.entrySet())) {
        if (removable.test(entry.getKey(), entry.getValue())) {
          onRemove.accept(entry.getKey(), entry.getValue());
          hash.remove(entry.getKey());
          removed++;
        }
      }
      if (hash.isEmpty()) {
        data.remove(key);
      }
      return removed;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Stores each value whose key (flat) or field (hash at {@code hashKey}, if not null) has none, with
   * no event: a migration's copy (L4).
   *
   * @return how many it stored
   */
  long putAbsent(String hashKey, List<Map.Entry<String, String>> entries) {
    writeLock.lock();
    try {
      long stored = 0;
      for (Map.Entry<String, String> entry : entries) {
        if (hashKey == null) {
          stored += data.putIfAbsent(entry.getKey(), entry.getValue()) == null ? 1 : 0;
        } else {
          NavigableMap<String, String> hash = hash(hashKey);
          if (hash == null) {
            hash = new ConcurrentSkipListMap<>();
            data.put(hashKey, hash);
          }
          stored += hash.putIfAbsent(entry.getKey(), entry.getValue()) == null ? 1 : 0;
        }
      }
      return stored;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Holds the server's write lock until the returned handle is closed, as a paused Redis holds its
   * clients' writes: reads go on, every write and publish waits.
   *
   * @return the hold; closing it releases the writes
   */
  AutoCloseable holdWrites() {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // A ReentrantLock is released by the thread that holds it: a thread of its own holds it.
    Thread holder = new Thread(() -> {
      writeLock.lock();
      try {
        held.countDown();
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        writeLock.unlock();
      }
    }, "memory store write hold");
    holder.setDaemon(true);
    holder.start();
    try {
      held.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      release.countDown();
      throw new IllegalStateException("interrupted while holding the writes", e);
    }
    return () -> {
      release.countDown();
      holder.join();
    };
  }

  /**
   * Stores a value. Under the write lock, {@code checkPrevious} runs first on the value being replaced
   * (if it throws, nothing is written), then {@code onWritten}.
   *
   * @return the previous value, or null
   */
  String put(String key, String value, BiConsumer<String, String> checkPrevious,
      BiConsumer<String, String> onWritten) {
    writeLock.lock();
    try {
      String previous = get(key);
      if (previous != null) {
        checkPrevious.accept(key, previous);
      }
      data.put(key, value);
      onWritten.accept(previous, value);
      return previous;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Removes a key. {@code onRemove} runs under the write lock before the removal; if it throws,
   * nothing is removed.
   *
   * @return the removed value, or null
   */
  String remove(String key, BiConsumer<String, String> onRemove) {
    writeLock.lock();
    try {
      String value = get(key);
      if (value != null) {
        onRemove.accept(key, value);
        data.remove(key);
      }
      return value;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Hands each entry whose key starts with {@code prefix} to {@code action}, in key order, without
   * copying them first; takes no lock, so it sees each key as it is when the walk reaches it.
   *
   * @throws StreamDataException at the first such key that holds a hash, as Redis's read does
   */
  void forEachWithPrefix(String prefix, BiConsumer<String, String> action) {
    for (Map.Entry<String, Object> entry : tail(prefix).entrySet()) {
      if (!entry.getKey().startsWith(prefix)) {
        return;
      }
      action.accept(entry.getKey(), string(entry.getKey(), entry.getValue()));
    }
  }

  /** @return the keys starting with {@code prefix}, in order, with their values (strings or hashes) */
  private List<Map.Entry<String, Object>> entriesWithPrefix(String prefix) {
    List<Map.Entry<String, Object>> entries = new ArrayList<>();
    for (Map.Entry<String, Object> entry : tail(prefix).entrySet()) {
      if (!entry.getKey().startsWith(prefix)) {
        break;
      }
      entries.add(Map.entry(entry.getKey(), entry.getValue()));
    }
    return entries;
  }

  /**
   * Removes every key starting with {@code prefix} that {@code removable} accepts, all under the write
   * lock: {@code onRemove} runs for each just before it is removed; the others are left as they are.
   * A key holding a hash is handed to {@code wrongType} and left.
   *
   * @return how many were removed
   */
  long removeWithPrefix(String prefix, BiPredicate<String, String> removable,
      BiConsumer<String, String> onRemove, java.util.function.Consumer<StreamDataException> wrongType) {
    writeLock.lock();
    try {
      long removed = 0;
      for (Map.Entry<String, Object> entry : entriesWithPrefix(prefix)) {
        if (!(entry.getValue() instanceof String text)) {
          wrongType.accept(wrongType(entry.getKey(), "hash", "string"));
        } else if (removable.test(entry.getKey(), text)) {
          onRemove.accept(entry.getKey(), text);
          data.remove(entry.getKey());
          removed++;
        }
      }
      return removed;
    } finally {
      writeLock.unlock();
    }
  }

  /** Stores a value with no event: foreign data planted by a test. */
  void putRaw(String key, String value) {
    writeLock.lock();
    try {
      data.put(key, value);
    } finally {
      writeLock.unlock();
    }
  }

  /** Stores a field of a hash with no event: foreign data planted by a test. */
  void putRawField(String key, String field, String value) {
    writeLock.lock();
    try {
      NavigableMap<String, String> hash = data.get(key) instanceof String ? null : hash(key);
      if (hash == null) {
        hash = new ConcurrentSkipListMap<>();
        data.put(key, hash);
      }
      hash.put(field, value);
    } finally {
      writeLock.unlock();
    }
  }

  /** @return what the key holds: {@code none}, {@code string} or {@code hash}, as Redis's TYPE */
  String type(String key) {
    Object value = data.get(key);
    return value == null ? "none" : value instanceof String ? "string" : "hash";
  }

  void flush() {
    writeLock.lock();
    try {
      data.clear();
    } finally {
      writeLock.unlock();
    }
  }

  List<String> keys() {
    return new ArrayList<>(data.keySet());
  }

  /** Delivers a message to every listener of the channel; call under the write lock or via it. */
  void publish(String channel, String message) {
    writeLock.lock();
    try {
      publishLocked(channel, message);
    } finally {
      writeLock.unlock();
    }
  }

  /** Must be called with the write lock held. */
  void publishLocked(String channel, String message) {
    List<BiConsumer<String, String>> channelListeners = listeners.get(channel);
    if (channelListeners != null) {
      for (BiConsumer<String, String> listener : channelListeners) {
        listener.accept(channel, message);
      }
    }
  }

  void listen(String channel, BiConsumer<String, String> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.compute(channel, (c, list) -> {
      List<BiConsumer<String, String>> result = list == null ? new CopyOnWriteArrayList<>() : list;
      result.add(listener);
      return result;
    });
  }

  void unlisten(String channel, BiConsumer<String, String> listener) {
    listeners.computeIfPresent(channel, (c, list) -> {
      list.remove(listener);
      return list.isEmpty() ? null : list;
    });
  }

  private NavigableMap<String, Object> tail(String prefix) {
    return data.tailMap(prefix, true);
  }
}
