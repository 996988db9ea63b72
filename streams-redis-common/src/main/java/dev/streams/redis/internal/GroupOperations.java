package dev.streams.redis.internal;

import dev.streams.StreamDataException;
import dev.streams.spi.RawEntry;
import dev.streams.spi.KeyLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reading and clearing a group on Redis (K5, O5, O7): {@code SCAN} with an escaped
 * {@code MATCH} pattern, never {@code KEYS}, on every primary of a cluster in turn (L3); a page's values in {@code MGET} batches requested with
 * the next page, while the previous page's values are handed on; clears in atomic per-slot batches.
 * A read holds the values of at most two pages, a clear one page of keys.
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
    for (RedisCommands node : commands.primaries()) {
      readNode(node, layout, groupId, entries);
    }
  }

  private static void readNode(
      RedisCommands commands, KeyLayout layout, String groupId, Consumer<RawEntry> entries) {
    String pattern = layout.groupScanPattern(groupId);
    RedisCommands.ScanPage page = commands.scan(RedisCommands.ScanPage.START, pattern, SCAN_COUNT);
    List<String> heldKeys = List.of();
    List<String> heldValues = List.of();
    while (true) {
      String next = page.isLast() ? null : page.cursor();
      if (next == null && page.keys().isEmpty()) {
        requireStrings(commands, collect(heldKeys, heldValues, entries));
        return;
      }
      // This page's values and the next page are requested first; the previous page's values are
      // parsed while the server answers, so reading and parsing overlap. Keys that came back nil are
      // looked at only once the step is in: no command waits on another connection meanwhile.
      List<String> nilKeys;
      RedisCommands.ScanStep answer;
      try (RedisCommands.PendingStep step =
          commands.sendScanAndMget(next, pattern, SCAN_COUNT, batches(page.keys()))) {
        nilKeys = collect(heldKeys, heldValues, entries);
        answer = step.await();
      }
      requireStrings(commands, nilKeys);
      heldKeys = page.keys();
      heldValues = answer.values();
      if (next == null) {
        requireStrings(commands, collect(heldKeys, heldValues, entries));
        return;
      }
      page = answer.page();
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
    String pattern = layout.groupScanPattern(groupId);
    long removed = 0;
    for (RedisCommands node : commands.primaries()) {
      String cursor = RedisCommands.ScanPage.START;
      do {
        RedisCommands.ScanPage page = node.scan(cursor, pattern, SCAN_COUNT);
        for (List<String> batch : RedisSlots.batchesBySlot(page.keys(), CLEAR_BATCH)) {
          removed += StreamScripts.clearBatch(node, layout, groupId, batch, foreign);
        }
        cursor = page.cursor();
      } while (!RedisCommands.ScanPage.START.equals(cursor));
    }
    return removed;
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
    String pattern = layout.groupsScanPattern();
    for (RedisCommands node : commands.primaries()) {
      String cursor = RedisCommands.ScanPage.START;
      do {
        RedisCommands.ScanPage page = node.scan(cursor, pattern, SCAN_COUNT);
        for (String key : page.keys()) {
          String groupId = layout.groupOfKey(key);
          if (groupId != null) {
            groups.accept(groupId);
          }
        }
        cursor = page.cursor();
      } while (!RedisCommands.ScanPage.START.equals(cursor));
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
