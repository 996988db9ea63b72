package dev.streams.redis.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One copy of each classic pub/sub message for a subscriber that listens on every primary of a Redis
 * Cluster (L3). A cluster relays each PUBLISH from the node that ran it to every other node over its
 * bus, so messages run on different nodes (the flat layout's items live on every primary) may reach
 * one node out of the order they were published in (E3). Listening on every primary and taking each
 * publication's first copy, which is the one of the node that ran it (delivered before the writer's
 * reply, the others take a bus hop more), keeps that order; the later copies are dropped.
 *
 * <p>A publication is told from its copies by counting: the k-th copy of one text on a channel from
 * a node is a new publication when no node has given more than k - 1 of that text yet. A text is
 * forgotten once every node gave the same count, or after {@link #RETENTION_NANOS} if a copy never
 * comes (a node subscribed after the publication, or lost). Thread-safe.
 */
public final class BroadcastCopies {

  /** How long a publication some node has not given a copy of yet is remembered. */
  static final long RETENTION_NANOS = 30_000_000_000L;

  private final LongSupplier clock;
  private final Set<Object> sources = new HashSet<>();
  private final Map<Text, Counts> pending = new HashMap<>();

  /** Copies counted with {@link System#nanoTime()}. */
  public BroadcastCopies() {
    this(System::nanoTime);
  }

  /** For tests: {@code clock} gives nanoseconds. */
  BroadcastCopies(LongSupplier clock) {
    this.clock = clock;
  }

  /** @param source a node connection that now gives copies */
  public synchronized void addSource(Object source) {
    sources.add(source);
  }

  /**
   * @param source a node connection that gives no more copies; texts it alone still owed are
   *     forgotten
   */
  public synchronized void removeSource(Object source) {
    sources.remove(source);
    pending.values().removeIf(counts -> {
      counts.bySource.remove(source);
      return counts.complete(sources);
    });
  }

  /**
   * @param source the node connection the copy came on
   * @param channel its channel
   * @param message its text
   * @return whether this copy is a publication's first, to deliver; false for a later copy and for
   *     a source not added (or removed)
   */
  public synchronized boolean firstCopy(Object source, String channel, String message) {
    if (!sources.contains(source)) {
      return false;
    }
    if (sources.size() == 1) {
      return true;
    }
    Text text = new Text(channel, message);
    Counts counts = pending.computeIfAbsent(text, t -> new Counts(clock.getAsLong()));
    int count = counts.bySource.merge(source, 1, Integer::sum);
    boolean first = count > counts.delivered;
    if (first) {
      counts.delivered = count;
    }
    if (counts.complete(sources)) {
      pending.remove(text);
    }
    return first;
  }

  /** Forgets publications older than the retention whose copies did not all come. */
  public synchronized void expire() {
    long now = clock.getAsLong();
    for (Iterator<Counts> it = pending.values().iterator(); it.hasNext(); ) {
      if (now - it.next().since > RETENTION_NANOS) {
        it.remove();
      }
    }
  }

  /** @return how many texts wait for copies, for tests */
  synchronized int pending() {
    return pending.size();
  }

  private record Text(String channel, String message) {}

  private static final class Counts {
    final long since;
    final Map<Object, Integer> bySource = new HashMap<>();
    int delivered;

    Counts(long since) {
      this.since = since;
    }

    boolean complete(Set<Object> sources) {
      for (Object source : sources) {
        if (bySource.getOrDefault(source, 0) != delivered) {
          return false;
        }
      }
      return true;
    }
  }
}
