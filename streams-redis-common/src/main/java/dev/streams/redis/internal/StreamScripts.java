package dev.streams.redis.internal;

import dev.streams.json.StreamJson;
import dev.streams.spi.ItemKeys;
import dev.streams.spi.KeyLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The three writing steps of a Redis backend, each one Lua script, so that the write and its events
 * are one atomic step (SPEC.md O2, O4, O7) and one round trip. The scripts build the event text
 * {@code {"type":"<type>","data":<document>}} exactly as {@link dev.streams.json.StreamJson#eventMessage}
 * does (E1).
 *
 * <p>Each script touches only the keys it is given, all of one hash slot, and publishes on channels
 * passed as arguments, so it runs unchanged on Redis Cluster. A script that meets foreign data replies
 * {@code STREAMS_FOREIGN <index of the key> <what it found>} and changes nothing (K7); see
 * {@link RedisErrors}.
 */
public final class StreamScripts {

  /** Stores a document: KEYS[1] data key; ARGV document, group channel, item channel. */
  public static final LuaScript SET = LuaScript.load("set.lua", RedisCommands.ScriptReply.INTEGER);

  /** Removes a document: KEYS[1] data key; ARGV group channel, item channel. */
  public static final LuaScript DELETE =
      LuaScript.load("delete.lua", RedisCommands.ScriptReply.TEXT, "stream-document.lua");

  /** Removes one batch of a group: KEYS data keys of one slot; ARGV group channel, item channels. */
  public static final LuaScript CLEAR_BATCH =
      LuaScript.load("clear-batch.lua", RedisCommands.ScriptReply.INTEGER, "stream-document.lua");

  private StreamScripts() {}

  /**
   * Stores a document and publishes its {@code create} or {@code update} event on both channels.
   *
   * @param commands the connection
   * @param item the keys
   * @param document the document text
   * @return whether the item was created (no value was at the key)
   */
  public static boolean set(RedisCommands commands, ItemKeys item, String document) {
    Object created = SET.run(commands, List.of(item.key()),
        List.of(document, item.groupChannel(), item.itemChannel()));
    return created instanceof Number number && number.longValue() == 1L;
  }

  /**
   * Removes an item and publishes its {@code delete} event on both channels.
   *
   * @param commands the connection
   * @param item the keys
   * @return the removed document, or null if there was none
   * @throws dev.streams.StreamDataException naming the key if it holds foreign data (left untouched)
   */
  public static String delete(RedisCommands commands, ItemKeys item) {
    List<String> keys = List.of(item.key());
    try {
      return (String) DELETE.run(commands, keys, List.of(item.groupChannel(), item.itemChannel()));
    } catch (RedisErrorReply e) {
      throw RedisErrors.forScript(e, keys);
    }
  }

  /**
   * Removes one batch of a group's items and publishes a {@code delete} event per removed item.
   *
   * @param commands the connection
   * @param layout the key layout
   * @param groupId the group
   * @param keys data keys of the group, all in one hash slot, no duplicates
   * @return how many it removed (keys already gone are skipped)
   * @throws dev.streams.StreamDataException naming the first foreign key; nothing of the batch is
   *     removed then
   */
  public static long clearBatch(RedisCommands commands, KeyLayout layout, String groupId, List<String> keys) {
    List<String> args = new ArrayList<>(keys.size() + 1);
    args.add(layout.groupChannel(groupId));
    for (String key : keys) {
      args.add(layout.itemChannel(groupId, layout.idOf(groupId, key)));
    }
    try {
      return ((Number) CLEAR_BATCH.run(commands, keys, args)).longValue();
    } catch (RedisErrorReply e) {
      throw RedisErrors.forScript(e, keys);
    }
  }
}
