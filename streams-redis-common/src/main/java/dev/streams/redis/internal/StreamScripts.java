package dev.streams.redis.internal;

import dev.streams.json.StreamJson;
import dev.streams.spi.ItemKeys;
import dev.streams.spi.KeyLayout;
import dev.streams.StreamDataException;
import dev.streams.spi.WireFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The three writing steps of a Redis backend, each one Lua script, so that the write and its events
 * are one atomic step (O2, O4, O7) and one round trip. The scripts build the event text
 * {@code {"type":"<type>","data":<document>}} exactly as {@link dev.streams.spi.WireFormat#eventMessage}
 * does (E1).
 *
 * <p>Each script touches only the keys it is given, all of one hash slot, and publishes on channels
 * passed as arguments, so it runs unchanged on Redis Cluster. There the hash layout's scripts publish
 * with sharded {@code SPUBLISH} (L3): the group's channels are in its slot, so the events stay on the
 * shard that holds the group.
 *
 * <p>Foreign data (K7) is what {@link dev.streams.spi.WireFormat#readDocument}, the reader behind
 * {@code get}, refuses; the scripts never decide it themselves. A script replaces or removes a value
 * only if it is sure the reader accepts it ({@code stream-document.lua}: strict JSON, so every value
 * the library wrote) or if the caller vouches for exactly that text. Otherwise it changes nothing and
 * replies {@code STREAMS_RECHECK}; the value is then read and judged here, and the script called
 * again vouching for it, or the call fails with {@link StreamDataException} naming the key. Another
 * Redis type gives {@code STREAMS_FOREIGN}; see {@link RedisErrors}. So the usual case stays one
 * round trip; a value the script is unsure of costs two more (read, call again).
 */
public final class StreamScripts {

  /**
   * How many times a call runs its script, judging the value again between runs: a value that keeps
   * changing between the read and the script (racing writers of unusual text) ends it.
   */
  static final int MAX_ATTEMPTS = 8;

  /** Stores a document: KEYS[1] data key; ARGV document, group channel, item channel[, vouched]. */
  public static final LuaScript SET =
      LuaScript.load("set.lua", RedisCommands.ScriptReply.INTEGER, "stream-document.lua");

  /** Removes a document: KEYS[1] data key; ARGV group channel, item channel[, vouched]. */
  public static final LuaScript DELETE =
      LuaScript.load("delete.lua", RedisCommands.ScriptReply.TEXT, "stream-document.lua");

  /**
   * Removes one batch of a group: KEYS data keys of one slot; ARGV group channel, item channels[,
   * vouched values].
   */
  public static final LuaScript CLEAR_BATCH =
      LuaScript.load("clear-batch.lua", RedisCommands.ScriptReply.INTEGER, "stream-document.lua");

  /** The hash layout's scripts on a single server: events by classic PUBLISH (L2). */
  static final HashScripts HASH_CLASSIC = HashScripts.publishingWith("events-classic.lua");

  /** The hash layout's scripts on a Redis Cluster: events by sharded SPUBLISH (L3). */
  static final HashScripts HASH_SHARDED = HashScripts.publishingWith("events-sharded.lua");

  /**
   * The three scripts of the hash layout, all publishing through one {@code publish_event} part.
   *
   * @param set stores a document: KEYS[1] hash; ARGV document, channels, field[, vouched]
   * @param delete removes a document: KEYS[1] hash; ARGV channels, field[, vouched]
   * @param clearBatch removes one batch: KEYS[1] hash; ARGV group channel, n, fields, item
   *     channels[, vouched values]
   */
  record HashScripts(LuaScript set, LuaScript delete, LuaScript clearBatch) {

    private static HashScripts publishingWith(String events) {
      return new HashScripts(
          LuaScript.load("hash-set.lua", RedisCommands.ScriptReply.INTEGER, "stream-document.lua", events),
          LuaScript.load("hash-delete.lua", RedisCommands.ScriptReply.TEXT, "stream-document.lua", events),
          LuaScript.load("hash-clear-batch.lua", RedisCommands.ScriptReply.INTEGER, "stream-document.lua",
              events));
    }

    /** @return the scripts for the topology {@code commands} reach (L3: sharded on a cluster) */
    static HashScripts of(RedisCommands commands) {
      return commands.isCluster() ? HASH_SHARDED : HASH_CLASSIC;
    }
  }

  /** A migration's copy step (L4): KEYS data keys or the hash; ARGV values or field, value pairs, mode. */
  public static final LuaScript COPY_ABSENT =
      LuaScript.load("copy-absent.lua", RedisCommands.ScriptReply.INTEGER);

  private StreamScripts() {}

  /**
   * Stores a document and publishes its {@code create} or {@code update} event on both channels.
   *
   * @param commands the connection
   * @param item the keys
   * @param document the document text
   * @return whether the item was created (no value was at the key)
   * @throws StreamDataException naming the key if it holds foreign data (left untouched, K7)
   */
  public static boolean set(RedisCommands commands, ItemKeys item, String document) {
    List<String> keys = List.of(item.key());
    List<String> args = new ArrayList<>(List.of(document, item.groupChannel(), item.itemChannel()));
    if (item.inHash()) {
      args.add(item.field());
    }
    for (int attempt = 1; ; attempt++) {
      try {
        Object created = (item.inHash() ? HashScripts.of(commands).set() : SET).run(commands, keys, args);
        return created instanceof Number number && number.longValue() == 1L;
      } catch (RedisErrorReply e) {
        if (!e.hasCode(RedisErrors.RECHECK) || attempt == MAX_ATTEMPTS) {
          throw RedisErrors.forScript(e, keys, expectedType(item));
        }
        vouch(args, item.inHash() ? 4 : 3, judge(commands, item));
      }
    }
  }

  /**
   * Removes an item and publishes its {@code delete} event on both channels.
   *
   * @param commands the connection
   * @param item the keys
   * @return the removed document, or null if there was none
   * @throws StreamDataException naming the key if it holds foreign data (left untouched, K7)
   */
  public static String delete(RedisCommands commands, ItemKeys item) {
    List<String> keys = List.of(item.key());
    List<String> args = new ArrayList<>(List.of(item.groupChannel(), item.itemChannel()));
    if (item.inHash()) {
      args.add(item.field());
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return (String) (item.inHash() ? HashScripts.of(commands).delete() : DELETE).run(commands, keys, args);
      } catch (RedisErrorReply e) {
        if (!e.hasCode(RedisErrors.RECHECK) || attempt == MAX_ATTEMPTS) {
          throw RedisErrors.forScript(e, keys, expectedType(item));
        }
        vouch(args, item.inHash() ? 3 : 2, judge(commands, item));
      }
    }
  }

  /**
   * Removes one batch of the fields of a group's hash (L2) and publishes a {@code delete} event per
   * removed item, as {@link #clearBatch} does for data keys.
   *
   * @param commands the connection
   * @param layout the key layout, {@code hash}
   * @param groupId the group
   * @param fields fields of the group's hash, no duplicates
   * @param foreign takes the failure of each field that holds foreign data
   * @return how many it removed (fields already gone are skipped)
   * @throws StreamDataException if the group's key holds another type
   */
  public static long clearHashBatch(RedisCommands commands, KeyLayout layout, String groupId,
      List<String> fields, Consumer<StreamDataException> foreign) {
    String key = layout.groupKey(groupId);
    List<String> keys = List.of(key);
    List<String> batch = new ArrayList<>(fields);
    Map<String, String> vouched = new HashMap<>();
    for (int attempt = 1; ; attempt++) {
      if (batch.isEmpty()) {
        return 0;
      }
      List<String> args = new ArrayList<>(2 + 3 * batch.size());
      args.add(layout.groupChannel(groupId));
      args.add(Integer.toString(batch.size()));
      args.addAll(batch);
      for (String field : batch) {
        args.add(layout.itemChannel(groupId, field));
      }
      if (!vouched.isEmpty()) {
        for (String field : batch) {
          args.add(vouched.getOrDefault(field, ""));
        }
      }
      try {
        return ((Number) HashScripts.of(commands).clearBatch().run(commands, keys, args)).longValue();
      } catch (RedisErrorReply e) {
        if (!e.hasCode(RedisErrors.RECHECK) || attempt == MAX_ATTEMPTS) {
          throw RedisErrors.forScript(e, keys, "hash");
        }
        List<String> recheck = new ArrayList<>();
        for (int index : RedisErrors.recheckIndexes(e, batch.size())) {
          recheck.add(batch.get(index));
        }
        for (String field : recheck) {
          vouched.remove(field);
          String value = hget(commands, key, field);
          if (value == null) {
            batch.remove(field);
            continue;
          }
          try {
            WireFormat.readDocument(key, field, value);
            vouched.put(field, value);
          } catch (StreamDataException notAnItem) {
            foreign.accept(notAnItem);
            batch.remove(field);
          }
        }
      }
    }
  }

  /**
   * A migration's copy step (L4): stores each item that has no value yet, with no event.
   *
   * @param commands the connection
   * @param layout the target layout
   * @param groupId the group
   * @param documents id and document text of each item, ids distinct
   * @return how many it stored
   * @throws StreamDataException if the group's hash key holds another type (L2)
   */
  public static long copyAbsent(RedisCommands commands, KeyLayout layout, String groupId,
      List<Map.Entry<String, String>> documents) {
    if (documents.isEmpty()) {
      return 0;
    }
    if (layout.isHash()) {
      List<String> keys = List.of(layout.groupKey(groupId));
      List<String> args = new ArrayList<>(2 * documents.size() + 1);
      for (Map.Entry<String, String> document : documents) {
        args.add(document.getKey());
        args.add(document.getValue());
      }
      args.add("hash");
      try {
        return ((Number) COPY_ABSENT.run(commands, keys, args)).longValue();
      } catch (RedisErrorReply e) {
        throw RedisErrors.forScript(e, keys, "hash");
      }
    }
    Map<String, String> valueOfKey = new HashMap<>();
    for (Map.Entry<String, String> document : documents) {
      valueOfKey.put(layout.dataKey(groupId, document.getKey()), document.getValue());
    }
    long stored = 0;
    for (List<String> batch : RedisSlots.batchesBySlot(new ArrayList<>(valueOfKey.keySet()),
        GroupOperations.CLEAR_BATCH)) {
      List<String> args = new ArrayList<>(batch.size() + 1);
      for (String key : batch) {
        args.add(valueOfKey.get(key));
      }
      args.add("flat");
      try {
        stored += ((Number) COPY_ABSENT.run(commands, batch, args)).longValue();
      } catch (RedisErrorReply e) {
        throw RedisErrors.forScript(e, batch);
      }
    }
    return stored;
  }

  private static String expectedType(ItemKeys item) {
    return item.inHash() ? "hash" : "string";
  }

  /** {@code HGET}, a key of another type failing as foreign data (K7). */
  static String hget(RedisCommands commands, String key, String field) {
    try {
      return commands.hget(key, field);
    } catch (RedisErrorReply e) {
      throw RedisErrors.forKey(e, key, "hash");
    }
  }

  /**
   * Removes one batch of a group's items and publishes a {@code delete} event per removed item. Keys
   * holding foreign data are left untouched and handed to {@code foreign}; the rest of the batch is
   * removed in one atomic step.
   *
   * @param commands the connection
   * @param layout the key layout
   * @param groupId the group
   * @param keys data keys of the group, all in one hash slot, no duplicates
   * @param foreign takes the failure of each key that holds foreign data
   * @return how many it removed (keys already gone are skipped)
   */
  public static long clearBatch(RedisCommands commands, KeyLayout layout, String groupId,
      List<String> keys, Consumer<StreamDataException> foreign) {
    List<String> batch = new ArrayList<>(keys);
    Map<String, String> vouched = new HashMap<>();
    for (int attempt = 1; ; attempt++) {
      if (batch.isEmpty()) {
        return 0;
      }
      List<String> args = new ArrayList<>(1 + 2 * batch.size());
      args.add(layout.groupChannel(groupId));
      for (String key : batch) {
        args.add(layout.itemChannel(groupId, layout.idOf(groupId, key)));
      }
      if (!vouched.isEmpty()) {
        for (String key : batch) {
          args.add(vouched.getOrDefault(key, ""));
        }
      }
      try {
        return ((Number) CLEAR_BATCH.run(commands, batch, args)).longValue();
      } catch (RedisErrorReply e) {
        if (!e.hasCode(RedisErrors.RECHECK) || attempt == MAX_ATTEMPTS) {
          throw RedisErrors.forScript(e, batch);
        }
        List<String> recheck = new ArrayList<>();
        for (int index : RedisErrors.recheckIndexes(e, batch.size())) {
          recheck.add(batch.get(index));
        }
        List<String> values = commands.mget(recheck);
        for (int i = 0; i < recheck.size(); i++) {
          String key = recheck.get(i);
          String value = values.get(i);
          vouched.remove(key);
          try {
            if (value != null) {
              WireFormat.readDocument(key, value);
              vouched.put(key, value);
            } else if ("none".equals(requireString(commands, key))) {
              batch.remove(key);
            }
            // A string that came back nil was written after the MGET: the next run judges it.
          } catch (StreamDataException notAnItem) {
            foreign.accept(notAnItem);
            batch.remove(key);
          }
        }
      }
    }
  }

  /**
   * {@link #set} without blocking (A1): the same script, and the same re-check of a value the script
   * is unsure of, each step sent when the previous one is answered.
   *
   * @param commands the connection
   * @param item the keys
   * @param document the document text
   * @return whether the item was created; fails with {@link StreamDataException} naming the key if
   *     it holds foreign data
   */
  public static CompletableFuture<Boolean> setAsync(AsyncRedisCommands commands, ItemKeys item, String document) {
    List<String> keys = List.of(item.key());
    List<String> args = new ArrayList<>(List.of(document, item.groupChannel(), item.itemChannel()));
    return attemptAsync(commands, item, SET, keys, args, 3, 1)
        .thenApply(created -> created instanceof Number number && number.longValue() == 1L);
  }

  /**
   * {@link #delete} without blocking (A1).
   *
   * @param commands the connection
   * @param item the keys
   * @return the removed document, or null; fails with {@link StreamDataException} naming the key if
   *     it holds foreign data
   */
  public static CompletableFuture<String> deleteAsync(AsyncRedisCommands commands, ItemKeys item) {
    List<String> keys = List.of(item.key());
    List<String> args = new ArrayList<>(List.of(item.groupChannel(), item.itemChannel()));
    return attemptAsync(commands, item, DELETE, keys, args, 2, 1).thenApply(removed -> (String) removed);
  }

  /** One run of a single item's script; on RECHECK, judges the value and runs it again vouching. */
  private static CompletableFuture<Object> attemptAsync(AsyncRedisCommands commands, ItemKeys item,
      LuaScript script, List<String> keys, List<String> args, int vouchedIndex, int attempt) {
    return script.runAsync(commands, keys, args).exceptionallyCompose(failure -> {
      Throwable cause = unwrap(failure);
      if (!(cause instanceof RedisErrorReply error)) {
        return CompletableFuture.failedFuture(cause);
      }
      if (!error.hasCode(RedisErrors.RECHECK) || attempt == MAX_ATTEMPTS) {
        return CompletableFuture.failedFuture(RedisErrors.forScript(error, keys));
      }
      return judgeAsync(commands, item.key()).thenCompose(value -> {
        List<String> next = new ArrayList<>(args);
        vouch(next, vouchedIndex, value);
        return attemptAsync(commands, item, script, keys, next, vouchedIndex, attempt + 1);
      });
    });
  }

  /** {@link #judge} without blocking. */
  private static CompletableFuture<String> judgeAsync(AsyncRedisCommands commands, String key) {
    return commands.getAsync(key).handle((value, failure) -> {
      if (failure != null) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RedisErrorReply error) {
          throw RedisErrors.forKey(error, key);
        }
        throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
      }
      if (value != null) {
        WireFormat.readDocument(key, value);
      }
      return value;
    });
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  /** Reads a value and judges it as get would: @return the item's text, or null if there is none */
  private static String judge(RedisCommands commands, ItemKeys item) {
    String value;
    if (item.inHash()) {
      value = hget(commands, item.key(), item.field());
    } else {
      try {
        value = commands.get(item.key());
      } catch (RedisErrorReply e) {
        throw RedisErrors.forKey(e, item.key());
      }
    }
    if (value != null) {
      WireFormat.readDocument(item.key(), item.field(), value);
    }
    return value;
  }

  /**
   * @return the key's type, {@code none} or {@code string}
   * @throws StreamDataException if it holds another type
   */
  static String requireString(RedisCommands commands, String key) {
    String type = commands.type(key);
    if (!"none".equals(type) && !"string".equals(type)) {
      throw new StreamDataException(key,
          "Value at key '" + key + "' is not a stream item: it holds a Redis " + type + ", not a string");
    }
    return type;
  }

  /** Sets or drops the vouched value, the optional last argument at {@code index}. */
  private static void vouch(List<String> args, int index, String value) {
    if (args.size() > index) {
      args.remove(index);
    }
    if (value != null) {
      args.add(value);
    }
  }
}
