package dev.streams.redis.internal;

import dev.streams.StreamDataException;
import dev.streams.spi.RawEntry;
import dev.streams.spi.KeyLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Reading and clearing a group on Redis (K5, O5, O7): {@code SCAN} with an escaped
 * {@code MATCH} pattern, never {@code KEYS}, on every primary of a cluster at once (L3); a page's
 * values in {@code MGET} batches requested with the next page, while the previous page's values are
 * handed on; clears in atomic per-slot batches. A read holds the values of at most two pages per
 * primary, a clear one page of keys per primary.
 */
public final class GroupOperations {

  /** The SCAN COUNT hint: keys looked at per step on the server. */
  public static final int SCAN_COUNT = 1000;
  /** The most keys fetched by one MGET. */
  public static final int MGET_BATCH = 1000;
  /** The most keys removed by one clear script (one atomic step, so it blocks the server briefly). */
  public static final int CLEAR_BATCH = 500;

  private GroupOperations() {}

  /**
   * Reads every entry of a group, handing each page's values to {@code entries} while the next page
   * is fetched. A key may appear twice (SCAN may report it twice; the adapter keeps it once); a key
   * deleted while the scan runs is left out.
   *
   * @param commands the connection
   * @param layout the key layout
   * @param groupId the group
   * @param entries takes each entry
   * @throws StreamDataException naming the key if a key of the group holds another Redis type
   */
  public static void read(
      RedisCommands commands, KeyLayout layout, String groupId, Consumer<RawEntry> entries) {
    String pattern = layout.groupScanPattern(groupId);
    List<NodeRead> reads = new ArrayList<>();
    for (RedisCommands node : commands.primaries()) {
      reads.add(new NodeRead(node, pattern));
    }
    try {
      List<NodeRead> active = reads;
      while (!active.isEmpty()) {
        // Every primary's step goes out before any reply is awaited, so the primaries of a cluster
        // scan at once (L3); the earlier values are parsed while they answer.
        for (NodeRead read : active) {
          read.send();
        }
        for (NodeRead read : active) {
          read.handOn(entries);
        }
        for (NodeRead read : active) {
          read.receive();
        }
        active = active.stream().filter(read -> !read.isDone()).toList();
      }
    } finally {
      for (NodeRead read : reads) {
        read.close();
      }
    }
  }

  /**
   * One primary's part of a read: each step carries the MGETs of the last page and the SCAN of the
   * next; the values of the step before are held until they are handed on.
   */
  private static final class NodeRead implements AutoCloseable {
    private final RedisCommands node;
    private final String pattern;
    private boolean started;
    /** The page whose values the next step fetches; null once the last page's were requested. */
    private RedisCommands.ScanPage page;
    private List<String> heldKeys = List.of();
    private List<String> heldValues = List.of();
    private List<String> nilKeys = List.of();
    private RedisCommands.PendingStep step;
    private boolean done;

    NodeRead(RedisCommands node, String pattern) {
      this.node = node;
      this.pattern = pattern;
    }

    void send() {
      if (!started) {
        started = true;
        step = node.sendScanAndMget(RedisCommands.ScanPage.START, pattern, SCAN_COUNT, List.of());
        return;
      }
      String next = page == null || page.isLast() ? null : page.cursor();
      List<String> keys = page == null ? List.of() : page.keys();
      if (next != null || !keys.isEmpty()) {
        step = node.sendScanAndMget(next, pattern, SCAN_COUNT, batches(keys));
      }
    }

    void handOn(Consumer<RawEntry> entries) {
      nilKeys = collect(heldKeys, heldValues, entries);
      heldKeys = List.of();
      heldValues = List.of();
    }

    void receive() {
      if (step == null) {
        requireStrings(node, nilKeys);
        done = true;
        return;
      }
      RedisCommands.ScanStep answer = step.await();
      step = null;
      // Keys that came back nil are looked at only once this node's step is in: no command waits on
      // a second connection to the same node meanwhile.
      requireStrings(node, nilKeys);
      heldKeys = page == null ? List.of() : page.keys();
      heldValues = answer.values();
      page = answer.page();
    }

    boolean isDone() {
      return done;
    }

    @Override
    public void close() {
      if (step != null) {
        step.close();
        step = null;
      }
    }
  }

  private static List<List<String>> batches(List<String> keys) {
    List<List<String>> batches = new ArrayList<>((keys.size() + MGET_BATCH - 1) / MGET_BATCH);
    for (int from = 0; from < keys.size(); from += MGET_BATCH) {
      batches.add(keys.subList(from, Math.min(from + MGET_BATCH, keys.size())));
    }
    return batches;
  }

  /**
   * Removes every item of a group in per-slot batches, each one atomic script that also publishes the
   * batch's {@code delete} events. Keys holding foreign data are left untouched and handed to
   * {@code foreign} (a key SCAN reports twice may be handed over twice); the clear goes on past them.
   *
   * @param commands the connection
   * @param layout the key layout
   * @param groupId the group
   * @param foreign takes the failure of each key that holds foreign data
   * @return how many items were removed
   */
  public static long clear(RedisCommands commands, KeyLayout layout, String groupId,
      Consumer<StreamDataException> foreign) {
    long[] removed = {0};
    scanEveryPrimary(commands, layout.groupScanPattern(groupId), (node, keys) -> {
      for (List<String> batch : RedisSlots.batchesBySlot(keys, CLEAR_BATCH)) {
        removed[0] += StreamScripts.clearBatch(node, layout, groupId, batch, foreign);
      }
    });
    return removed[0];
  }

  /**
   * The most fields one {@code HSCAN} step asks for when a whole group is read (L2): its result holds
   * every item anyway, so the steps are large, and a group of up to this many items usually comes in
   * one round trip (a small hash always does: Redis returns it whole, whatever the COUNT).
   */
  public static final int HSCAN_WHOLE_COUNT = 10_000;

  /**
   * Reads every field of a group's hash (L2), page by page with {@code HSCAN}: a small hash comes in
   * one reply, as {@code HGETALL} would bring it; a large one in pages of about {@code count} fields,
   * so that a query holds one page at a time. A field may appear twice (the adapter keeps it once).
   *
   * @param commands the connection
   * @param layout the key layout, {@code hash}
   * @param groupId the group
   * @param count the COUNT hint: {@link #SCAN_COUNT} for a query, {@link #HSCAN_WHOLE_COUNT} for a
   *     whole group
   * @param entries takes each entry
   * @throws StreamDataException naming the key if it holds another Redis type
   */
  public static void readHash(RedisCommands commands, KeyLayout layout, String groupId, int count,
      Consumer<RawEntry> entries) {
    String key = layout.groupKey(groupId);
    String cursor = RedisCommands.ScanPage.START;
    do {
      RedisCommands.HashPage page;
      try {
        page = commands.hscan(key, cursor, count);
      } catch (RedisErrorReply e) {
        throw RedisErrors.forKey(e, key, "hash");
      }
      for (java.util.Map.Entry<String, String> entry : page.entries()) {
        entries.accept(new RawEntry(key, entry.getKey(), entry.getValue()));
      }
      cursor = page.cursor();
    } while (!RedisCommands.ScanPage.START.equals(cursor));
  }

  /**
   * Removes every item of a group's hash (L2) in batches of {@link #CLEAR_BATCH} fields, each one
   * atomic script with its {@code delete} events, so that a large group never blocks the server in
   * one step. Foreign fields are left and handed to {@code foreign}.
   *
   * @param commands the connection
   * @param layout the key layout, {@code hash}
   * @param groupId the group
   * @param foreign takes the failure of each field that holds foreign data
   * @return how many items were removed
   * @throws StreamDataException naming the key if it holds another Redis type
   */
  public static long clearHash(RedisCommands commands, KeyLayout layout, String groupId,
      Consumer<StreamDataException> foreign) {
    String key = layout.groupKey(groupId);
    long removed = 0;
    String cursor = RedisCommands.ScanPage.START;
    do {
      RedisCommands.HashPage page;
      try {
        page = commands.hscan(key, cursor, CLEAR_BATCH);
      } catch (RedisErrorReply e) {
        throw RedisErrors.forKey(e, key, "hash");
      }
      List<String> fields = new ArrayList<>(new java.util.LinkedHashSet<>(
          page.entries().stream().map(java.util.Map.Entry::getKey).toList()));
      for (int from = 0; from < fields.size(); from += CLEAR_BATCH) {
        removed += StreamScripts.clearHashBatch(commands, layout, groupId,
            fields.subList(from, Math.min(fields.size(), from + CLEAR_BATCH)), foreign);
      }
      cursor = page.cursor();
    } while (!RedisCommands.ScanPage.START.equals(cursor));
    return removed;
  }

  /**
   * Lists the groups that have a key in this layout (L4): {@code SCAN} over
   * {@link KeyLayout#groupsScanPattern()}, each key decided by {@link KeyLayout#groupOfKey}.
   *
   * @param commands the connection
   * @param layout the key layout
   * @param groups takes each group, possibly more than once
   */
  public static void listGroups(RedisCommands commands, KeyLayout layout, Consumer<String> groups) {
    scanEveryPrimary(commands, layout.groupsScanPattern(), (node, keys) -> {
      for (String key : keys) {
        String groupId = layout.groupOfKey(key);
        if (groupId != null) {
          groups.accept(groupId);
        }
      }
    });
  }

  /**
   * SCANs every primary, one page of each per round, each round's SCANs all sent before any reply
   * is awaited (L3), and hands on each page's keys with the primary they came from once the round
   * is in.
   */
  private static void scanEveryPrimary(RedisCommands commands, String pattern,
      BiConsumer<RedisCommands, List<String>> pages) {
    List<RedisCommands> nodes = List.copyOf(commands.primaries());
    List<String> cursors = Collections.nCopies(nodes.size(), RedisCommands.ScanPage.START);
    while (!nodes.isEmpty()) {
      List<RedisCommands.ScanPage> round = scanAtOnce(nodes, cursors, pattern);
      List<RedisCommands> unfinished = new ArrayList<>();
      List<String> next = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        RedisCommands.ScanPage page = round.get(i);
        pages.accept(nodes.get(i), page.keys());
        if (!page.isLast()) {
          unfinished.add(nodes.get(i));
          next.add(page.cursor());
        }
      }
      nodes = unfinished;
      cursors = next;
    }
  }

  private static List<RedisCommands.ScanPage> scanAtOnce(List<RedisCommands> nodes, List<String> cursors,
      String pattern) {
    List<RedisCommands.PendingStep> steps = new ArrayList<>(nodes.size());
    try {
      for (int i = 0; i < nodes.size(); i++) {
        steps.add(nodes.get(i).sendScanAndMget(cursors.get(i), pattern, SCAN_COUNT, List.of()));
      }
      List<RedisCommands.ScanPage> pages = new ArrayList<>(steps.size());
      for (RedisCommands.PendingStep step : steps) {
        pages.add(step.await().page());
      }
      return pages;
    } finally {
      steps.forEach(RedisCommands.PendingStep::close);
    }
  }

  /** Hands on the entries with a value; @return the keys that had none */
  private static List<String> collect(List<String> keys, List<String> values, Consumer<RawEntry> entries) {
    if (values.size() != keys.size()) {
      throw new IllegalStateException("MGET of " + keys.size() + " keys gave " + values.size() + " values");
    }
    List<String> nilKeys = List.of();
    for (int i = 0; i < keys.size(); i++) {
      String value = values.get(i);
      if (value != null) {
        entries.accept(new RawEntry(keys.get(i), value));
      } else {
        if (nilKeys.isEmpty()) {
          nilKeys = new ArrayList<>();
        }
        nilKeys.add(keys.get(i));
      }
    }
    return nilKeys;
  }

  /**
   * MGET gives nil both for a key deleted since SCAN saw it and for a key of another type.
   *
   * @throws StreamDataException for the first key of another type
   */
  private static void requireStrings(RedisCommands commands, List<String> nilKeys) {
    for (String key : nilKeys) {
      // none: deleted meanwhile; string: written after the MGET. Either way not part of this read.
      StreamScripts.requireString(commands, key);
    }
  }
}
