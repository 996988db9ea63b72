package dev.streams.redis.internal;

import java.util.List;

/**
 * The seam between the shared Redis logic and a client: the few commands the group algorithms and
 * scripts need. One implementation per client and topology (standalone now; a cluster topology later
 * fans {@link #scan} out over every primary and splits {@link #mget} by slot).
 *
 * <p>Every method reports an error reply from Redis as {@link RedisErrorReply} and a connection
 * failure or timeout as {@link dev.streams.StreamConnectionException} naming the endpoint (never the
 * password). Strings travel as UTF-8.
 */
public interface RedisCommands {

  /**
   * @param key a key
   * @return the string at the key, or null if there is none
   * @throws RedisErrorReply {@code WRONGTYPE ...} if the key holds another type
   */
  String get(String key);

  /**
   * One {@code SCAN cursor MATCH pattern COUNT count} step.
   *
   * @param cursor {@link ScanPage#START} or the cursor of the previous page
   * @param matchPattern a glob pattern, already escaped
   * @param count the COUNT hint
   * @return the page
   */
  ScanPage scan(String cursor, String matchPattern, int count);

  /**
   * @param keys keys, possibly of different hash slots
   * @return the string of each key in order, null where a key is absent or holds another type
   */
  List<String> mget(List<String> keys);

  /**
   * Fetches values and requests the next SCAN page at once. The default runs them one after the
   * other; a client that can pipeline overrides it to save a round trip per page.
   *
   * @param cursor the cursor of the next page
   * @param matchPattern a glob pattern, already escaped
   * @param count the COUNT hint
   * @param keysToFetch keys found on the previous page
   * @return the next page and the values of {@code keysToFetch}
   */
  default ScanStep scanAndMget(String cursor, String matchPattern, int count, List<String> keysToFetch) {
    List<String> values = mget(keysToFetch);
    return new ScanStep(scan(cursor, matchPattern, count), values);
  }

  /**
   * @param key a key
   * @return {@code TYPE key}: {@code none}, {@code string}, {@code hash} ...
   */
  String type(String key);

  /**
   * {@code EVALSHA}.
   *
   * @param sha1 the script's SHA-1, lower-case hex
   * @param reply how to read the reply
   * @param keys the KEYS, all in one hash slot
   * @param args the ARGV
   * @return a {@link Long} for {@link ScriptReply#INTEGER}; a String or null for
   *     {@link ScriptReply#TEXT}
   * @throws RedisErrorReply {@code NOSCRIPT ...} if the server does not have the script
   */
  Object evalsha(String sha1, ScriptReply reply, List<String> keys, List<String> args);

  /**
   * {@code EVAL}: also caches the script on the server, so the next {@link #evalsha} finds it.
   *
   * @param script the script text
   * @param reply how to read the reply
   * @param keys the KEYS, all in one hash slot
   * @param args the ARGV
   * @return as for {@link #evalsha}
   */
  Object eval(String script, ScriptReply reply, List<String> keys, List<String> args);

  /**
   * @param channel the channel
   * @param message the text
   */
  void publish(String channel, String message);

  /** How a script's reply is read. */
  enum ScriptReply {
    /** An integer, as {@link Long}. */
    INTEGER,
    /** A bulk string, as String, or nil as null. */
    TEXT
  }

  /**
   * One SCAN page.
   *
   * @param cursor the cursor for the next page; {@link #START} when the scan is complete
   * @param keys the keys of this page (a key may appear on several pages)
   */
  record ScanPage(String cursor, List<String> keys) {

    /** The cursor that starts a scan and ends one. */
    public static final String START = "0";

    /** @return whether this is the last page */
    public boolean isLast() {
      return START.equals(cursor);
    }
  }

  /**
   * The result of {@link #scanAndMget}.
   *
   * @param page the next SCAN page
   * @param values the values of the keys that were fetched, in order
   */
  record ScanStep(ScanPage page, List<String> values) {}
}
