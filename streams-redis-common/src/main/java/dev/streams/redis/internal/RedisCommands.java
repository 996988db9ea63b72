package dev.streams.redis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seam between the shared Redis logic and a client: the few commands the group algorithms and
 * scripts need. One implementation per client and topology. On a single server one object does it
 * all. On a Redis Cluster (L3) the commands route each key to the node that owns its slot, and
 * {@link #primaries()} gives one view per primary, whose {@link #scan} walks that node alone and
 * whose {@link #mget} splits the keys by slot.
 *
 * <p>Every method reports an error reply from Redis as {@link RedisErrorReply} and a connection
 * failure or timeout as {@link dev.streams.StreamConnectionException} naming the endpoint (never the
 * password). Strings travel as UTF-8.
 */
public interface RedisCommands {

  /**
   * @return whether these commands reach a Redis Cluster (L3): the hash layout's events then travel
   *     by sharded pub/sub
   */
  default boolean isCluster() {
    return false;
  }

  /**
   * The views that together see every key once, for the algorithms that {@link #scan} (K5, L4): the
   * commands themselves on a single server; on a cluster one view per primary (never a replica,
   * which would give its keys twice), each scanning that node and publishing on it ({@link
   * #publish}, which {@link SubscribeBarrier} needs from every primary), and routing every other
   * command as these commands do.
   *
   * @return the views, at least one
   */
  default List<? extends RedisCommands> primaries() {
    return List.of(this);
  }

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
   * Sends the MGETs of a page's keys and the SCAN of the next page without waiting for the replies,
   * so that the caller can work on earlier values while the server answers. The default runs them
   * at once, one after the other; a client that can pipeline writes them all before reading.
   *
   * @param cursor the cursor of the next page, or null if there is none to request
   * @param matchPattern a glob pattern, already escaped
   * @param count the COUNT hint
   * @param keyBatches keys to fetch, one MGET per non-empty batch
   * @return the step in flight; close it to abandon it
   */
  default PendingStep sendScanAndMget(
      String cursor, String matchPattern, int count, List<List<String>> keyBatches) {
    List<String> values = new ArrayList<>();
    for (List<String> batch : keyBatches) {
      if (!batch.isEmpty()) {
        values.addAll(mget(batch));
      }
    }
    ScanStep step = new ScanStep(cursor == null ? null : scan(cursor, matchPattern, count), values);
    return () -> step;
  }

  /**
   * @param key a key
   * @return {@code TYPE key}: {@code none}, {@code string}, {@code hash} ...
   */
  String type(String key);

  /**
   * {@code HGET} (L2).
   *
   * @param key a hash
   * @param field a field
   * @return its value, or null if there is none
   * @throws RedisErrorReply {@code WRONGTYPE ...} if the key holds another type
   */
  String hget(String key, String field);

  /**
   * One {@code HSCAN key cursor COUNT count} step (L2).
   *
   * @param key a hash
   * @param cursor {@link ScanPage#START} or the cursor of the previous page
   * @param count the COUNT hint
   * @return the page; its entries in the order Redis gave them
   * @throws RedisErrorReply {@code WRONGTYPE ...} if the key holds another type
   */
  HashPage hscan(String key, String cursor, int count);

  /**
   * One {@code HSCAN} page.
   *
   * @param cursor the cursor for the next page; {@link ScanPage#START} when the scan is complete
   * @param entries the fields and values of this page (a field may appear on several pages)
   */
  record HashPage(String cursor, List<Map.Entry<String, String>> entries) {

    /** @return whether this is the last page */
    public boolean isLast() {
      return ScanPage.START.equals(cursor);
    }
  }

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
   * {@code PUBLISH}: classic pub/sub, to every node of a cluster.
   *
   * @param channel the channel
   * @param message the text
   */
  void publish(String channel, String message);

  /**
   * {@code SPUBLISH}: sharded pub/sub (L3), to the node that owns the channel's slot.
   *
   * @param channel the channel
   * @param message the text
   */
  void spublish(String channel, String message);

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
   * The result of {@link #sendScanAndMget}.
   *
   * @param page the next SCAN page, or null if none was requested
   * @param values the values of the keys that were fetched, in order
   */
  record ScanStep(ScanPage page, List<String> values) {}

  /** A {@link #sendScanAndMget} whose replies have not been read yet. */
  @FunctionalInterface
  interface PendingStep extends AutoCloseable {

    /**
     * Reads the replies; call at most once.
     *
     * @return the values and the next page
     */
    ScanStep await();

    /**
     * Gives up a step that was not awaited, reading and dropping its replies so that the connection
     * stays usable; does nothing after {@link #await()}.
     */
    @Override
    default void close() {}
  }
}
