package dev.streams.redis.internal;

import dev.streams.StreamDataException;
import dev.streams.spi.RawEntry;
import dev.streams.spi.KeyLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reading and clearing a group on Redis (K5, O5, O7): {@code SCAN} with an escaped
 * {@code MATCH} pattern, never {@code KEYS}; a page's values in {@code MGET} batches requested with
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
    String cursor = RedisCommands.ScanPage.START;
    do {
      RedisCommands.ScanPage page = commands.scan(cursor, pattern, SCAN_COUNT);
      for (List<String> batch : RedisSlots.batchesBySlot(page.keys(), CLEAR_BATCH)) {
        removed += StreamScripts.clearBatch(commands, layout, groupId, batch, foreign);
      }
      cursor = page.cursor();
    } while (!RedisCommands.ScanPage.START.equals(cursor));
    return removed;
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
