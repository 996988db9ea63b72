package dev.streams.redis.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The non-blocking seam beside {@link RedisCommands}: the commands of a single item's operation
 * (A1). Each method sends without waiting; the future fails as the blocking command throws
 * ({@link RedisErrorReply} for an error reply, {@link dev.streams.StreamConnectionException} naming
 * the endpoint for a connection failure), possibly wrapped in
 * {@link java.util.concurrent.CompletionException}. It may complete on the client's I/O thread, so
 * what is chained onto it must be quick and must not block.
 *
 * <p>Concurrent calls share one connection: an implementation writes what many callers sent in one
 * batch (one system call) wherever it can, and reports each batch's size.
 */
public interface AsyncRedisCommands {

  /**
   * @param key a key
   * @return the string at the key, or null
   */
  CompletableFuture<String> getAsync(String key);

  /**
   * @param sha1 the script's SHA-1
   * @param reply how to read the reply
   * @param keys the KEYS
   * @param args the ARGV
   * @return as {@link RedisCommands#evalsha}
   */
  CompletableFuture<Object> evalshaAsync(
      String sha1, RedisCommands.ScriptReply reply, List<String> keys, List<String> args);

  /**
   * @param script the script text
   * @param reply how to read the reply
   * @param keys the KEYS
   * @param args the ARGV
   * @return as {@link RedisCommands#eval}
   */
  CompletableFuture<Object> evalAsync(
      String script, RedisCommands.ScriptReply reply, List<String> keys, List<String> args);

  /**
   * @param channel the channel
   * @param message the text
   * @return completes once published
   */
  CompletableFuture<Void> publishAsync(String channel, String message);
}
