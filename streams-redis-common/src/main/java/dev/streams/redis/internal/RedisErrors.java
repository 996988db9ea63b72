package dev.streams.redis.internal;

import dev.streams.StreamDataException;
import dev.streams.StreamException;
import java.util.List;

/**
 * Turns Redis error replies into the library's exceptions: a {@link StreamDataException} naming the
 * key where the reply is about foreign data, else a plain {@link StreamException} carrying the reply,
 * never the internal {@link RedisErrorReply} itself.
 */
public final class RedisErrors {

  /** The reply when {@code EVALSHA} names a script the server does not have. */
  public static final String NOSCRIPT = "NOSCRIPT";
  /** The reply when a command meets a key of another type. */
  public static final String WRONGTYPE = "WRONGTYPE";
  /**
   * The reply of {@link StreamScripts} for foreign data: {@code STREAMS_FOREIGN <n> <found>}, where
   * {@code n} is the 1-based index of the key in KEYS and {@code found} is a Redis type name, or
   * {@code text} for a string that is not a JSON object. Keys are not in the reply: they may hold
   * characters an error reply cannot carry.
   */
  public static final String FOREIGN = "STREAMS_FOREIGN";
  /**
   * The reply of {@link StreamScripts} for values the script is not sure are items:
   * {@code STREAMS_RECHECK <n> <n> ...}, the 1-based indexes in KEYS of the keys to read and judge in
   * Java (K7). The script changed nothing.
   */
  public static final String RECHECK = "STREAMS_RECHECK";

  private RedisErrors() {}

  /**
   * @param error the reply to a command on one key ({@code GET})
   * @param key the key
   * @return a {@link StreamDataException} naming the key for {@code WRONGTYPE}, else a
   *     {@link StreamException} with the reply
   */
  public static StreamException forKey(RedisErrorReply error, String key) {
    return forKey(error, key, "string");
  }

  /**
   * @param error the reply to a command on one key ({@code GET}, {@code HGET}, {@code HSCAN})
   * @param key the key
   * @param expected the type the layout keeps there: {@code string} (flat) or {@code hash} (L2)
   * @return a {@link StreamDataException} naming the key for {@code WRONGTYPE}, else a
   *     {@link StreamException} with the reply
   */
  public static StreamException forKey(RedisErrorReply error, String key, String expected) {
    if (error.hasCode(WRONGTYPE)) {
      return new StreamDataException(key, "Value at key '" + key
          + "' is not a stream item: it holds a Redis type other than " + expected, error);
    }
    return reported(error);
  }

  /** @return the reply as the library's own exception, same message, the reply as its cause */
  private static StreamException reported(RedisErrorReply error) {
    return new StreamException(error.getMessage(), error);
  }

  /**
   * @param error a {@link #RECHECK} reply
   * @param keyCount how many KEYS the script was given
   * @return the 0-based indexes of the keys it names, in order
   * @throws StreamException with the reply if it is malformed
   */
  static int[] recheckIndexes(RedisErrorReply error, int keyCount) {
    String[] parts = error.reply().split(" ");
    int[] indexes = new int[parts.length - 1];
    for (int i = 1; i < parts.length; i++) {
      int index;
      try {
        index = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw reported(error);
      }
      if (index < 1 || index > keyCount) {
        throw reported(error);
      }
      indexes[i - 1] = index - 1;
    }
    return indexes;
  }

  /**
   * @param error the reply to one of {@link StreamScripts}
   * @param keys the KEYS the script was given
   * @return a {@link StreamDataException} naming the foreign key, else a {@link StreamException}
   *     with the reply
   */
  public static StreamException forScript(RedisErrorReply error, List<String> keys) {
    return forScript(error, keys, "string");
  }

  /**
   * @param error the reply to one of {@link StreamScripts}
   * @param keys the KEYS the script was given
   * @param expected the type the layout keeps at those keys: {@code string} or {@code hash} (L2)
   * @return as {@link #forScript(RedisErrorReply, List)}
   */
  public static StreamException forScript(RedisErrorReply error, List<String> keys, String expected) {
    if (error.hasCode(WRONGTYPE) && keys.size() == 1) {
      return forKey(error, keys.get(0), expected);
    }
    if (error.hasCode(RECHECK)) {
      return new StreamException("The value at " + (keys.size() == 1 ? "key '" + keys.get(0) + "'"
          : keys.size() + " keys") + " kept changing while it was judged; nothing was changed", error);
    }
    if (!error.hasCode(FOREIGN)) {
      return reported(error);
    }
    String[] parts = error.reply().split(" ", 3);
    int index;
    try {
      index = Integer.parseInt(parts[1]);
    } catch (RuntimeException e) {
      return reported(error);
    }
    if (index < 1 || index > keys.size()) {
      return reported(error);
    }
    String key = keys.get(index - 1);
    String found = parts.length > 2 ? parts[2] : "?";
    String what = "text".equals(found)
        ? "text that is not a JSON object"
        : "a Redis " + found + ", not a " + expected;
    return new StreamDataException(key,
        "Value at key '" + key + "' is not a stream item: it holds " + what + "; it was left untouched",
        error);
  }
}
