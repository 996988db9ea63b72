package dev.streams.redis.lettuce;

import dev.streams.StreamConnectionException;
import dev.streams.redis.internal.AsyncRedisCommands;
import dev.streams.redis.internal.ConnectionFailures;
import dev.streams.redis.internal.RedisCommands;
import dev.streams.redis.internal.RedisErrorReply;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The shared Redis logic's commands on one multiplexed Lettuce connection (standalone server). Every
 * caller sends through the async API and waits for its own reply, so concurrent callers pipeline on
 * the one socket.
 */
final class LettuceRedisCommands implements RedisCommands, AsyncRedisCommands {

  private final RedisAsyncCommands<String, String> async;
  private final LettuceSettings settings;

  LettuceRedisCommands(StatefulRedisConnection<String, String> connection, LettuceSettings settings) {
    this.async = connection.async();
    this.settings = settings;
  }

  @Override
  public String get(String key) {
    return call("running GET", () -> async.get(key));
  }

  @Override
  public ScanPage scan(String cursor, String matchPattern, int count) {
    return page(call("running SCAN", () -> async.scan(ScanCursor.of(cursor), scanArgs(matchPattern, count))));
  }

  @Override
  public List<String> mget(List<String> keys) {
    return values(call("running MGET", () -> async.mget(keys.toArray(String[]::new))));
  }

  @Override
  public PendingStep sendScanAndMget(
      String cursor, String matchPattern, int count, List<List<String>> keyBatches) {
    // All written at once on the shared connection; the replies are awaited in await().
    List<RedisFuture<List<KeyValue<String, String>>>> values = new ArrayList<>(keyBatches.size());
    for (List<String> batch : keyBatches) {
      if (!batch.isEmpty()) {
        values.add(send("running MGET", () -> async.mget(batch.toArray(String[]::new))));
      }
    }
    RedisFuture<KeyScanCursor<String>> next = cursor == null ? null
        : send("running SCAN", () -> async.scan(ScanCursor.of(cursor), scanArgs(matchPattern, count)));
    // Nothing to give back on close: Lettuce reads and drops replies nobody waits for.
    return () -> {
      List<String> fetched = new ArrayList<>();
      for (RedisFuture<List<KeyValue<String, String>>> batch : values) {
        fetched.addAll(values(await("running MGET", batch)));
      }
      return new ScanStep(next == null ? null : page(await("running SCAN", next)), fetched);
    };
  }

  @Override
  public String type(String key) {
    return call("running TYPE", () -> async.type(key));
  }

  @Override
  public String hget(String key, String field) {
    return call("running HGET", () -> async.hget(key, field));
  }

  @Override
  public HashPage hscan(String key, String cursor, int count) {
    MapScanCursor<String, String> page = call("running HSCAN",
        () -> async.hscan(key, ScanCursor.of(cursor), ScanArgs.Builder.limit(count)));
    return new HashPage(page.getCursor(), new ArrayList<>(page.getMap().entrySet()));
  }

  @Override
  public Object evalsha(String sha1, ScriptReply reply, List<String> keys, List<String> args) {
    return call("running a script",
        () -> async.evalsha(sha1, outputType(reply), keys.toArray(String[]::new), args.toArray(String[]::new)));
  }

  @Override
  public Object eval(String script, ScriptReply reply, List<String> keys, List<String> args) {
    return call("running a script",
        () -> async.eval(script, outputType(reply), keys.toArray(String[]::new), args.toArray(String[]::new)));
  }

  @Override
  public void publish(String channel, String message) {
    call("publishing", () -> async.publish(channel, message));
  }

  @Override
  public void spublish(String channel, String message) {
    call("publishing", () -> async.spublish(channel, message));
  }

  // ---- A1: the same commands, not awaited; their futures complete on Lettuce's event loop ----

  @Override
  public CompletableFuture<String> getAsync(String key) {
    return sendAsync("running GET", () -> async.get(key));
  }

  @Override
  public CompletableFuture<Object> evalshaAsync(String sha1, ScriptReply reply, List<String> keys, List<String> args) {
    return sendAsync("running a script",
        () -> async.evalsha(sha1, outputType(reply), keys.toArray(String[]::new), args.toArray(String[]::new)));
  }

  @Override
  public CompletableFuture<Object> evalAsync(String script, ScriptReply reply, List<String> keys, List<String> args) {
    return sendAsync("running a script",
        () -> async.eval(script, outputType(reply), keys.toArray(String[]::new), args.toArray(String[]::new)));
  }

  @Override
  public CompletableFuture<Void> publishAsync(String channel, String message) {
    return this.<Long>sendAsync("publishing", () -> async.publish(channel, message)).thenApply(receivers -> null);
  }

  /** Sends without waiting; the future fails as {@link #await} throws, with Lettuce's timeout. */
  private <T> CompletableFuture<T> sendAsync(String action, Supplier<? extends CompletionStage<T>> command) {
    CompletionStage<T> sent;
    try {
      settings.giveUp().requireNotGivenUp();
      sent = command.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e instanceof StreamConnectionException ? e
          : settings.failures().connectionFailure(action, e));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    sent.whenComplete((value, failure) -> {
      if (failure == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(translate(action,
            failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure));
      }
    });
    return result;
  }

  private static ScriptOutputType outputType(ScriptReply reply) {
    return reply == ScriptReply.INTEGER ? ScriptOutputType.INTEGER : ScriptOutputType.VALUE;
  }

  private static ScanArgs scanArgs(String matchPattern, int count) {
    return ScanArgs.Builder.matches(matchPattern).limit(count);
  }

  private static ScanPage page(KeyScanCursor<String> cursor) {
    return new ScanPage(cursor.getCursor(), cursor.getKeys());
  }

  private static List<String> values(List<KeyValue<String, String>> keyValues) {
    List<String> values = new ArrayList<>(keyValues.size());
    for (KeyValue<String, String> keyValue : keyValues) {
      values.add(keyValue.hasValue() ? keyValue.getValue() : null);
    }
    return values;
  }

  private <T> T call(String action, Supplier<RedisFuture<T>> command) {
    return await(action, send(action, command));
  }

  private <T> RedisFuture<T> send(String action, Supplier<RedisFuture<T>> command) {
    settings.giveUp().requireNotGivenUp();
    try {
      return command.get();
    } catch (RuntimeException e) {
      // Lettuce reports most failures through the future; a closed connection may throw here.
      throw settings.failures().connectionFailure(action, e);
    }
  }

  private <T> T await(String action, RedisFuture<T> future) {
    Duration wait = settings.commandWait();
    try {
      return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw translate(action, e.getCause());
    } catch (TimeoutException e) {
      // Lettuce's own timeout normally fires first; this is the safety net.
      future.cancel(true);
      throw settings.failures().noAnswer(action, wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new StreamConnectionException("Interrupted while " + action + " on Redis at " + settings.endpoint(), e);
    }
  }

  private RuntimeException translate(String action, Throwable failure) {
    if (failure instanceof RedisCommandExecutionException error && !ConnectionFailures.isLoginRefusal(error)) {
      // An error reply (WRONGTYPE, NOSCRIPT, NOPERM, a script's own error): not a connection problem.
      return new RedisErrorReply(error.getMessage(), error);
    }
    return settings.failures().connectionFailure(action, failure);
  }
}
