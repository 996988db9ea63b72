package dev.streams.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script with its SHA-1, as Redis computes it for {@code EVALSHA}, and the type of its reply.
 *
 * @param name the script's name, for messages
 * @param text the script text, exactly as sent with {@code EVAL}
 * @param sha1 the SHA-1 of the text's UTF-8 bytes, lower-case hex
 * @param reply how its reply is read
 */
public record LuaScript(String name, String text, String sha1, RedisCommands.ScriptReply reply) {

  /**
   * Loads a script from the resources of this package, after the given library parts.
   *
   * @param name the resource name of the script, e.g. {@code delete.lua}
   * @param reply how its reply is read
   * @param libraries resource names of parts the script uses, placed before it
   * @return the script
   */
  static LuaScript load(String name, RedisCommands.ScriptReply reply, String... libraries) {
    StringBuilder text = new StringBuilder();
    for (String library : libraries) {
      text.append(resource(library)).append('\n');
    }
    text.append(resource(name));
    return of(name, text.toString(), reply);
  }

  /**
   * @param name the script's name, for messages
   * @param text the script text
   * @param reply how its reply is read
   * @return the script with its SHA-1
   */
  public static LuaScript of(String name, String text, RedisCommands.ScriptReply reply) {
    return new LuaScript(name, text, sha1(text), reply);
  }

  /**
   * Runs the script by its SHA-1, and by its text when the server does not have it yet (after a
   * restart or {@code SCRIPT FLUSH}): one round trip in the usual case.
   *
   * @param commands the connection
   * @param keys the KEYS, all in one hash slot
   * @param args the ARGV
   * @return the reply
   * @throws RedisErrorReply for any error reply but NOSCRIPT
   */
  public Object run(RedisCommands commands, List<String> keys, List<String> args) {
    try {
      return commands.evalsha(sha1, reply, keys, args);
    } catch (RedisErrorReply e) {
      if (!e.hasCode(RedisErrors.NOSCRIPT)) {
        throw e;
      }
      return commands.eval(text, reply, keys, args);
    }
  }

  /**
   * {@link #run} without blocking: by SHA-1, then by text on {@code NOSCRIPT}.
   *
   * @param commands the connection
   * @param keys the KEYS, all in one hash slot
   * @param args the ARGV
   * @return the reply; fails with {@link RedisErrorReply} for any error reply but NOSCRIPT
   */
  public CompletableFuture<Object> runAsync(AsyncRedisCommands commands, List<String> keys, List<String> args) {
    return commands.evalshaAsync(sha1, reply, keys, args).exceptionallyCompose(failure -> {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof RedisErrorReply error && error.hasCode(RedisErrors.NOSCRIPT)) {
        return commands.evalAsync(text, reply, keys, args);
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  private static String resource(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + name + " beside " + LuaScript.class);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script resource " + name, e);
    }
  }

  private static String sha1(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  @Override
  public String toString() {
    return "LuaScript[" + name + ", sha1=" + sha1 + "]";
  }
}
