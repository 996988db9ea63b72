package dev.streams.redis.jedis;

import dev.streams.redis.internal.RedisCommands;
import dev.streams.redis.internal.RedisErrorReply;
import java.util.List;
import java.util.function.Supplier;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The shared Redis logic's commands on a pooled Jedis {@link RedisClient} (standalone server). */
final class JedisRedisCommands implements RedisCommands {

  private final RedisClient client;
  private final JedisSettings settings;

  JedisRedisCommands(RedisClient client, JedisSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  /** Checks that the server answers with these credentials and database. */
  void ping() {
    call("connecting", client::ping);
  }

  @Override
  public String get(String key) {
    return call("running GET", () -> client.get(key));
  }

  @Override
  public ScanPage scan(String cursor, String matchPattern, int count) {
    ScanResult<String> result = call("running SCAN",
        () -> client.scan(cursor, new ScanParams().match(matchPattern).count(count)));
    return new ScanPage(result.getCursor(), result.getResult());
  }

  @Override
  public List<String> mget(List<String> keys) {
    return call("running MGET", () -> client.mget(keys.toArray(String[]::new)));
  }

  @Override
  public ScanStep scanAndMget(String cursor, String matchPattern, int count, List<String> keysToFetch) {
    // One round trip: the values of this page and the next page travel in one pipeline.
    return call("running MGET and SCAN", () -> {
      try (Pipeline pipeline = client.pipelined()) {
        Response<List<String>> values = pipeline.mget(keysToFetch.toArray(String[]::new));
        Response<ScanResult<String>> next =
            pipeline.scan(cursor, new ScanParams().match(matchPattern).count(count));
        pipeline.sync();
        ScanResult<String> page = next.get();
        return new ScanStep(new ScanPage(page.getCursor(), page.getResult()), values.get());
      }
    });
  }

  @Override
  public String type(String key) {
    return call("running TYPE", () -> client.type(key));
  }

  @Override
  public Object evalsha(String sha1, ScriptReply reply, List<String> keys, List<String> args) {
    return call("running a script", () -> client.evalsha(sha1, keys, args));
  }

  @Override
  public Object eval(String script, ScriptReply reply, List<String> keys, List<String> args) {
    return call("running a script", () -> client.eval(script, keys, args));
  }

  @Override
  public void publish(String channel, String message) {
    call("publishing", () -> client.publish(channel, message));
  }

  private <T> T call(String action, Supplier<T> command) {
    try {
      return command.get();
    } catch (JedisAccessControlException e) {
      // NOPERM: the user may not run this command, an error like any other; else the login failed.
      if (e.getMessage() != null && e.getMessage().startsWith("NOPERM")) {
        throw new RedisErrorReply(e.getMessage(), e);
      }
      throw settings.connectionFailure(action, e);
    } catch (JedisDataException e) {
      throw new RedisErrorReply(e.getMessage(), e);
    } catch (JedisConnectionException e) {
      throw settings.connectionFailure(action, e);
    } catch (JedisException e) {
      // The pool's own failures (no connection free in time, pool closed) are connection problems.
      throw settings.connectionFailure(action, e);
    }
  }
}
