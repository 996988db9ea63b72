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
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.PartitionSelectorException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
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
 * The shared Redis logic's commands on one multiplexed Lettuce connection: to a single server, or to
 * a Redis Cluster (L3), whose connection routes each command by its first key to the node that owns
 * the key's slot (following MOVED and ASK) and splits an MGET by slot. Every caller sends through the
 * async API and waits for its own reply, so concurrent callers pipeline on the one socket (per node).
 */
final class LettuceRedisCommands implements RedisCommands, AsyncRedisCommands {

  /** Every command but SCAN: the server's connection, or the cluster's, which routes by key. */
  private final RedisClusterAsyncCommands<String, String> async;
  /**
   * SCAN and PUBLISH: the server, or on a cluster the one primary this view stands for (the cluster
   * connection itself for the commands that are no view, whose PUBLISH goes to the channel's slot
   * owner).
   */
  private final RedisClusterAsyncCommands<String, String> onNode;
  /** Lettuce's words for a command it rejected unsent: no connection to its node (yet). */
  private static final String NOT_CONNECTED_REJECTED = "Currently not connected. Commands are rejected.";

  private final LettuceSettings settings;
  /** The cluster connection, or null on a single server. */
  private final StatefulRedisClusterConnection<String, String> cluster;
  /** Refreshes the cluster's topology; null on a single server. */
  private final TopologyRefresh topology;

  /**
   * @param connection the connection to a single server
   * @param settings the adapter's settings
   */
  LettuceRedisCommands(StatefulRedisConnection<String, String> connection, LettuceSettings settings) {
    this(connection.async(), connection.async(), settings, null, null);
  }

  /**
   * @param connection the connection to a cluster
   * @param client its client, whose topology a command that found no node refreshes
   * @param settings the adapter's settings
   */
  LettuceRedisCommands(StatefulRedisClusterConnection<String, String> connection, RedisClusterClient client,
      LettuceSettings settings) {
    this(connection.async(), connection.async(), settings, connection, new TopologyRefresh(client));
  }

  private LettuceRedisCommands(RedisClusterAsyncCommands<String, String> async,
      RedisClusterAsyncCommands<String, String> onNode, LettuceSettings settings,
      StatefulRedisClusterConnection<String, String> cluster, TopologyRefresh topology) {
    this.async = async;
    this.onNode = onNode;
    this.settings = settings;
    this.cluster = cluster;
    this.topology = topology;
  }

  @Override
  public boolean isCluster() {
    return cluster != null;
  }

  /**
   * On a cluster: one view per primary that serves slots in the client's current topology (never a
   * replica, whose keys its primary gives already), scanning and publishing over a connection to
   * that node ({@link dev.streams.redis.internal.SubscribeBarrier} publishes from each primary).
   */
  @Override
  public List<? extends RedisCommands> primaries() {
    if (cluster == null) {
      return List.of(this);
    }
    List<LettuceRedisCommands> views = new ArrayList<>();
    for (RedisClusterNode node : cluster.getPartitions()) {
      if (servesSlots(node)) {
        views.add(new LettuceRedisCommands(async, nodeCommands(node), settings, cluster, topology));
      }
    }
    if (views.isEmpty()) {
      throw settings.failures().failure("listing the primaries", "the cluster's topology has no primary serving slots");
    }
    return views;
  }

  /** @return whether a node is a primary that serves slots, in the client's current topology */
  private static boolean servesSlots(RedisClusterNode node) {
    return node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty();
  }

  private CompletableFuture<StatefulRedisConnection<String, String>> connectionTo(RedisClusterNode node) {
    return cluster.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort()).toCompletableFuture();
  }

  /**
   * Opens the cluster's connections to every primary that serves slots, if not open yet: Lettuce
   * rejects a command whose node connection is still being opened (REJECT_COMMANDS).
   *
   * @return completes once every connection is open or failed to open
   */
  CompletableFuture<Void> connectPrimaries() {
    List<CompletableFuture<?>> connecting = new ArrayList<>();
    for (RedisClusterNode node : cluster.getPartitions()) {
      if (servesSlots(node)) {
        connecting.add(connectionTo(node).handle((connection, failure) -> null));
      }
    }
    return CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new));
  }

  /** @return the commands of the cluster's own connection to a node, opened now if need be */
  private RedisClusterAsyncCommands<String, String> nodeCommands(RedisClusterNode node) {
    String action = "connecting to the primary " + node.getUri().getHost() + ":" + node.getUri().getPort();
    settings.giveUp().requireNotGivenUp();
    Duration wait = settings.connectWait();
    CompletableFuture<StatefulRedisConnection<String, String>> connecting;
    try {
      // By host and port: the very connection the cluster routes this node's keys over.
      connecting = connectionTo(node);
    } catch (RuntimeException e) {
      throw settings.failures().connectionFailure(action, e);
    }
    try {
      return connecting.get(wait.toMillis(), TimeUnit.MILLISECONDS).async();
    } catch (ExecutionException e) {
      throw settings.failures().connectionFailure(action, e.getCause());
    } catch (TimeoutException e) {
      throw settings.failures().noConnection(action);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StreamConnectionException("Interrupted while " + action + " of Redis at " + settings.endpoint(), e);
    }
  }

  @Override
  public String get(String key) {
    return call("running GET", () -> async.get(key));
  }

  @Override
  public ScanPage scan(String cursor, String matchPattern, int count) {
    return page(call("running SCAN", () -> onNode.scan(ScanCursor.of(cursor), scanArgs(matchPattern, count))));
  }

  @Override
  public List<String> mget(List<String> keys) {
    return values(call("running MGET", () -> async.mget(keys.toArray(String[]::new))));
  }

  @Override
  public PendingStep sendScanAndMget(
      String cursor, String matchPattern, int count, List<List<String>> keyBatches) {
    // All written at once on the shared connection; the replies are awaited in await().
    List<CompletableFuture<List<KeyValue<String, String>>>> values = new ArrayList<>(keyBatches.size());
    for (List<String> batch : keyBatches) {
      if (!batch.isEmpty()) {
        values.add(send("running MGET", () -> async.mget(batch.toArray(String[]::new))));
      }
    }
    CompletableFuture<KeyScanCursor<String>> next = cursor == null ? null
        : send("running SCAN", () -> onNode.scan(ScanCursor.of(cursor), scanArgs(matchPattern, count)));
    // Nothing to give back on close: Lettuce reads and drops replies nobody waits for.
    return () -> {
      List<String> fetched = new ArrayList<>();
      for (CompletableFuture<List<KeyValue<String, String>>> batch : values) {
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
    call("publishing", () -> publisher(channel).publish(channel, message));
  }

  /**
   * Where a PUBLISH goes: a view's own node; on a cluster the owner of the channel's slot, so that
   * a channel's sends, whichever adapter made them, leave from one node and keep their order for
   * every subscriber (E3; the cluster connection would pick a node of its own); the server.
   */
  private RedisClusterAsyncCommands<String, String> publisher(String channel) {
    if (cluster == null || onNode != async) {
      return onNode;
    }
    RedisClusterNode owner = cluster.getPartitions().getPartitionBySlot(
        io.lettuce.core.cluster.SlotHash.getSlot(channel));
    return owner == null ? async : nodeCommands(owner);
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
    return this.<Long>sendAsync("publishing", () -> publisher(channel).publish(channel, message))
        .thenApply(receivers -> null);
  }

  /** Sends without waiting; the future fails as {@link #await} throws, with Lettuce's timeout. */
  private <T> CompletableFuture<T> sendAsync(String action, Supplier<RedisFuture<T>> command) {
    CompletionStage<T> sent;
    try {
      sent = send(action, command);
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

  private <T> CompletableFuture<T> send(String action, Supplier<RedisFuture<T>> command) {
    settings.giveUp().requireNotGivenUp();
    CompletableFuture<T> sent;
    try {
      sent = command.get().toCompletableFuture();
    } catch (RuntimeException e) {
      // Lettuce reports most failures through the future; a closed connection may throw here.
      throw settings.failures().connectionFailure(action, e);
    }
    if (cluster == null) {
      return sent;
    }
    // A command for a node whose connection is still being opened was rejected, never written, and
    // so was one whose slot no node serves in the client's topology (a failover under way): once the
    // connections are open, or the topology reloaded, it is sent again, so it still reaches the
    // server at most once.
    return sent.exceptionallyCompose(failure -> {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      if (cause instanceof PartitionSelectorException) {
        return topology.refresh().thenCompose(loaded -> connectPrimaries())
            .thenCompose(open -> command.get().toCompletableFuture());
      }
      if (cause instanceof RedisException && NOT_CONNECTED_REJECTED.equals(cause.getMessage())) {
        return connectPrimaries().thenCompose(open -> command.get().toCompletableFuture());
      }
      return CompletableFuture.failedFuture(failure);
    });
  }

  /** One topology reload at a time, and at most one per {@link #MIN_INTERVAL_NANOS}, however many commands ask. */
  private static final class TopologyRefresh {
    private static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private final RedisClusterClient client;
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
    private long lastStarted = System.nanoTime() - MIN_INTERVAL_NANOS;

    TopologyRefresh(RedisClusterClient client) {
      this.client = client;
    }

    /** @return completes when the reload under way or just started ends, failed or not */
    synchronized CompletableFuture<Void> refresh() {
      long now = System.nanoTime();
      if (last.isDone() && now - lastStarted >= MIN_INTERVAL_NANOS) {
        lastStarted = now;
        last = client.refreshPartitionsAsync().toCompletableFuture().handle((loaded, failure) -> null);
      }
      return last;
    }
  }

  private <T> T await(String action, CompletableFuture<T> future) {
    Duration wait = settings.commandWait();
    try {
      return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw translate(action, cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause);
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
