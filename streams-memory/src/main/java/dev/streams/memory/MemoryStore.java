package dev.streams.memory;

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
 * One database of an in-JVM "server": a sorted map of keys to JSON text, and the server's channels
 * with listeners.
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

  private final ConcurrentSkipListMap<String, String> data = new ConcurrentSkipListMap<>();
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

  String get(String key) {
    return data.get(key);
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
      String previous = data.get(key);
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
      String value = data.get(key);
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
   */
  void forEachWithPrefix(String prefix, BiConsumer<String, String> action) {
    for (Map.Entry<String, String> entry : tail(prefix).entrySet()) {
      if (!entry.getKey().startsWith(prefix)) {
        return;
      }
      action.accept(entry.getKey(), entry.getValue());
    }
  }

  /** @return the entries whose key starts with {@code prefix}, in key order */
  List<Map.Entry<String, String>> entriesWithPrefix(String prefix) {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    forEachWithPrefix(prefix, (key, value) -> entries.add(Map.entry(key, value)));
    return entries;
  }

  /**
   * Removes every key starting with {@code prefix} that {@code removable} accepts, all under the write
   * lock: {@code onRemove} runs for each just before it is removed; the others are left as they are.
   *
   * @return how many were removed
   */
  long removeWithPrefix(
      String prefix, BiPredicate<String, String> removable, BiConsumer<String, String> onRemove) {
    writeLock.lock();
    try {
      long removed = 0;
      for (Map.Entry<String, String> entry : entriesWithPrefix(prefix)) {
        if (removable.test(entry.getKey(), entry.getValue())) {
          onRemove.accept(entry.getKey(), entry.getValue());
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

  private NavigableMap<String, String> tail(String prefix) {
    return data.tailMap(prefix, true);
  }
}
