package dev.streams.redis.jedis;

import dev.streams.redis.internal.RedisCommands;
import dev.streams.redis.internal.RedisErrorReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The shared Redis logic's commands on a pooled Jedis {@link RedisClient} (standalone server). Each
 * call passes the {@link ReconnectGate} first, and tells it whether the server answered.
 */
final class JedisRedisCommands implements RedisCommands {

  private final RedisClient client;
  private final JedisConnections connections;
  private final JedisSettings settings;
  private final ReconnectGate gate;
  private final JedisPipelinedCommands pipeline;
  /** Single-command blocking calls running now: a second one joins the pipeline. */
  private final AtomicInteger singleCalls = new AtomicInteger();

  JedisRedisCommands(RedisClient client, JedisConnections connections, JedisSettings settings,
      ReconnectGate gate, JedisPipelinedCommands pipeline) {
    this.client = client;
    this.connections = connections;
    this.settings = settings;
    this.gate = gate;
    this.pipeline = pipeline;
  }

  /** Checks that the server answers with these credentials and database: the adapter's first exchange. */
  void ping() {
    call("connecting", client::ping, true);
  }

  // A single-command call while another runs, or while the pipeline has calls in flight, joins the
  // pipeline: many blocking callers then share its batches (one system call each) instead of a
  // pooled connection apiece; a lone caller keeps the direct round trip on a pooled connection.

  @Override
  public String get(String key) {
    return single("running GET", () -> pipeline.getAsync(key), () -> client.get(key));
  }

  /**
   * One command: on a pooled connection when no other call is running, else sent with the others
   * on the pipeline's connection and awaited.
   */
  private <T> T single(String action, Supplier<CompletableFuture<T>> pipelined, Supplier<T> pooled) {
    boolean alone = singleCalls.getAndIncrement() == 0 && !pipeline.isBusy();
    try {
      return alone ? call(action, pooled) : pipeline.await(action, pipelined.get());
    } finally {
      singleCalls.decrementAndGet();
    }
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
  public PendingStep sendScanAndMget(
      String cursor, String matchPattern, int count, List<List<String>> keyBatches) {
    String action = "running MGET and SCAN";
    boolean probe = gate.enter(action);
    // Writing proves nothing about the server: the step settles the gate when its replies are read.
    return attempt(action, probe, false, false, () -> {
      // A connection of its own for the step: its replies are read after the caller's other work.
      Connection connection = connections.getConnection();
      boolean sent = false;
      try {
        Pipeline pipeline = new Pipeline(connection, false);
        List<Response<List<String>>> values = new ArrayList<>(keyBatches.size());
        for (List<String> batch : keyBatches) {
          if (!batch.isEmpty()) {
            values.add(pipeline.mget(batch.toArray(String[]::new)));
          }
        }
        Response<ScanResult<String>> next = cursor == null
            ? null : pipeline.scan(cursor, new ScanParams().match(matchPattern).count(count));
        // Sends what is buffered: getMany flushes first, and reads no reply when asked for none.
        connection.getMany(0);
        sent = true;
        return new JedisPendingStep(action, probe, connection, pipeline, values, next);
      } finally {
        if (!sent) {
          connection.setBroken();
          connection.close();
        }
      }
    });
  }

  /** A pipelined MGET and SCAN on a borrowed connection, returned to the pool once read. */
  private final class JedisPendingStep implements PendingStep {
    private final String action;
    /** Whether the step is the call that tries the server again after a failure (see enter). */
    private final boolean probe;
    private final Connection connection;
    private final Pipeline pipeline;
    private final List<Response<List<String>>> values;
    private final Response<ScanResult<String>> next;
    private boolean done;

    JedisPendingStep(String action, boolean probe, Connection connection, Pipeline pipeline,
        List<Response<List<String>>> values, Response<ScanResult<String>> next) {
      this.action = action;
      this.probe = probe;
      this.connection = connection;
      this.pipeline = pipeline;
      this.values = values;
      this.next = next;
    }

    @Override
    public ScanStep await() {
      done = true;
      boolean read = false;
      try {
        ScanStep step = attempt(action, probe, false, true, () -> {
          pipeline.sync();
          List<String> fetched = new ArrayList<>();
          for (Response<List<String>> batch : values) {
            fetched.addAll(batch.get());
          }
          ScanResult<String> page = next == null ? null : next.get();
          return new ScanStep(page == null ? null : new ScanPage(page.getCursor(), page.getResult()), fetched);
        });
        read = true;
        return step;
      } finally {
        if (!read) {
          // Replies may be left unread on it: no later caller may read them as its own.
          connection.setBroken();
        }
        // Back to the pool, or dropped from it if broken.
        connection.close();
      }
    }

    @Override
    public void close() {
      if (done) {
        return;
      }
      done = true;
      try {
        // Abandoned: the replies are read only to keep the connection usable and to settle the gate.
        attempt(action, probe, false, true, () -> {
          pipeline.sync();
          return null;
        });
      } catch (RuntimeException e) {
        // A connection whose replies were not all read must not serve anyone else.
        connection.setBroken();
      } finally {
        connection.close();
      }
    }
  }

  @Override
  public String type(String key) {
    return call("running TYPE", () -> client.type(key));
  }

  @Override
  public String hget(String key, String field) {
    return call("running HGET", () -> client.hget(key, field));
  }

  @Override
  public HashPage hscan(String key, String cursor, int count) {
    ScanResult<Map.Entry<String, String>> result = call("running HSCAN",
        () -> client.hscan(key, cursor, new ScanParams().count(count)));
    return new HashPage(result.getCursor(), result.getResult());
  }

  @Override
  public Object evalsha(String sha1, ScriptReply reply, List<String> keys, List<String> args) {
    return single("running a script", () -> pipeline.evalshaAsync(sha1, reply, keys, args),
        () -> client.evalsha(sha1, keys, args));
  }

  @Override
  public Object eval(String script, ScriptReply reply, List<String> keys, List<String> args) {
    return single("running a script", () -> pipeline.evalAsync(script, reply, keys, args),
        () -> client.eval(script, keys, args));
  }

  @Override
  public void publish(String channel, String message) {
    single("publishing", () -> pipeline.publishAsync(channel, message), () -> {
      client.publish(channel, message);
      return null;
    });
  }

  @Override
  public void spublish(String channel, String message) {
    // RedisClient has no spublish method; a single server answers SPUBLISH as a cluster node does.
    call("publishing", () -> client.sendCommand(redis.clients.jedis.Protocol.Command.SPUBLISH, channel, message));
  }

  private <T> T call(String action, Supplier<T> command) {
    return call(action, command, false);
  }

  /** @param opening whether this is the adapter's first exchange with the server (see ConnectionFailures#openingFailure) */
  private <T> T call(String action, Supplier<T> command, boolean opening) {
    return attempt(action, gate.enter(action), opening, true, command);
  }

  /**
   * Runs a command that passed the gate, mapping Jedis's failures and telling the gate the outcome.
   *
   * @param settle whether success means the server answered (false when the command only wrote)
   */
  private <T> T attempt(String action, boolean probe, boolean opening, boolean settle, Supplier<T> command) {
    T result;
    try {
      result = command.get();
    } catch (PoolWaitTimeout e) {
      // Other calls hold every connection: nothing is known about the server, the gate stays as it is.
      gate.released(probe);
      throw settings.failures().failure(action, e.getMessage());
    } catch (JedisAccessControlException e) {
      // NOPERM: the user may not run this command, an error like any other; else the login failed.
      if (e.getMessage() != null && e.getMessage().startsWith("NOPERM")) {
        gate.answered(probe);
        throw new RedisErrorReply(e.getMessage(), e);
      }
      throw gate.failed(probe, failure(action, e, opening));
    } catch (JedisDataException e) {
      gate.answered(probe);
      throw new RedisErrorReply(e.getMessage(), e);
    } catch (JedisConnectionException e) {
      throw gate.failed(probe, failure(action, e, opening));
    } catch (JedisException e) {
      // The pool's own failures (no connection free in time, pool closed) are connection problems.
      throw gate.failed(probe, failure(action, e, opening));
    } catch (RuntimeException | Error e) {
      gate.answered(probe);
      throw e;
    }
    if (settle) {
      gate.answered(probe);
    }
    return result;
  }

  private RuntimeException failure(String action, JedisException e, boolean opening) {
    return opening
        ? settings.failures().openingFailure(action, e)
        : settings.failures().connectionFailure(action, e);
  }
}
