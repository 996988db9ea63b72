package dev.streams.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import dev.streams.bench.Report.Row;
import dev.streams.bench.Report.Target;
import dev.streams.StreamLayout;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import dev.streams.redis.server.RedisClusterProcess;
import dev.streams.redis.server.RedisServerProcess;
import dev.streams.redis.server.RespConnection;
import dev.streams.spi.KeyLayout;
import dev.streams.json.StreamJson;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * The benchmark: starts a redis-server of its own (no persistence, free loopback port), measures
 * the limit with {@code redis-benchmark} ({@link RedisLimits}), then runs the workload (set and get
 * throughput at 1 and 64 callers, group reads and a query, event latency, subscriptions) on every
 * backend on the classpath, beside each Redis backend its client library used bare ({@link
 * BareClient}) and the Node adapter it ports ({@link NodePeer}), then each Redis backend's hash
 * layout and its figures on a local Redis Cluster ({@link RedisClusterProcess}), and prints one
 * table (figure, limit, ratio) and writes it as JSON.
 *
 * <pre>
 * mvn -B -q -pl streams-bench -am package -Dmaven.test.skip=true &amp;&amp; java -Xms3g -Xmx3g -XX:+AlwaysPreTouch -jar streams-bench/target/streams-bench.jar
 * </pre>
 *
 * <p>System properties: {@code bench.out} (the JSON file, default
 * {@code streams-bench/target/bench.json}), {@code bench.backends} (comma-separated names, default
 * every backend of {@link Streams#availableBackends()}), {@code bench.peer} ({@code false} leaves the
 * Node adapter out; by default it runs, and the bench fails if Node or npm is missing),
 * {@code bench.peer.dir} (where {@code peer.mjs} is, default {@code streams-bench/node}),
 * {@code bench.hash} and {@code bench.cluster} (phases: {@code true}, {@code false} or {@code only}).
 */
public final class StreamsBench {

  /** Operations of a single-caller throughput figure. */
  static final int SINGLE_OPS = 20_000;
  /**
   * The memory backend's single-caller runs: 20,000 calls there last ~50 ms, short enough for one
   * collection or compilation to decide the figure (runs of one harness gave 290k and 580k ops/s).
   */
  static final int MEMORY_SINGLE_OPS = 500_000;
  /** Operations of a multi-caller throughput figure. */
  static final int MULTI_OPS = 100_000;
  /** Concurrent callers (and redis-benchmark clients). */
  static final int CALLERS = 64;
  /** The group of the set/get figures. */
  static final String GROUP = "bench";
  static final String COMMAND =
      "mvn -B -q -pl streams-bench -am package -Dmaven.test.skip=true && java -Xms3g -Xmx3g -XX:+AlwaysPreTouch -jar streams-bench/target/streams-bench.jar";

  private static final double MEMORY_TARGET_OPS = 300_000;
  private static final double LATENCY_TARGET_MS = 20;
  private static final double EVENT_P99_TARGET_MS = 1;
  private static final double EVENT_MAX_TARGET_MS = 20;
  private static final int EVENTS = 10_000;
  private static final int PACED_EVENTS = 2_000;
  private static final long PACE_NANOS = 200_000;
  /** Sets per warm-up series; a round is one unpaced series and one paced series. */
  private static final int WARM_UP_EVENTS = 2_000;
  /** A warm-up round that compiled for no longer than this ends the warm-up. */
  private static final long WARM_UP_QUIET_COMPILE_MILLIS = 5;
  /** The warm-up's bound. */
  private static final int WARM_UP_MAX_ROUNDS = 15;

  private final Report report = new Report();
  /** The directory of the Node peer, installed; null when it is left out. */
  private final Path peerDir;
  private final RedisServerProcess server;
  private final RespConnection admin;
  /** The run's Redis Cluster; null when its phase is left out. */
  private final RedisClusterProcess cluster;
  private final ObjectNode[] items = new ObjectNode[MULTI_OPS];
  /** Ids made once: formatting them in the timed loop would be the harness's cost, not the library's. */
  private static final String[] IDS = new String[MULTI_OPS];

  static {
    for (int i = 0; i < IDS.length; i++) {
      IDS[i] = String.format(Locale.ROOT, "item-%06d", i);
    }
  }

  private StreamsBench(RedisServerProcess server, RespConnection admin, RedisClusterProcess cluster,
      Path peerDir) {
    this.peerDir = peerDir;
    this.server = server;
    this.admin = admin;
    this.cluster = cluster;
    for (int i = 0; i < items.length; i++) {
      items[i] = item(i);
    }
  }

  /**
   * @param args none
   * @throws Exception if a phase fails
   */
  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    Path out = Path.of(System.getProperty("bench.out", "streams-bench/target/bench.json"));
    List<String> backends = new ArrayList<>(Streams.availableBackends());
    String chosen = System.getProperty("bench.backends");
    if (chosen != null && !chosen.isBlank()) {
      backends.retainAll(Arrays.asList(chosen.split(",")));
    }
    boolean redis = backends.stream().anyMatch(StreamsBench::isRedis);
    boolean clusterOnly = "only".equals(CLUSTER_PHASE);
    Path peerDir = null;
    String peerVersion = null;
    if (!clusterOnly && !"false".equals(System.getProperty("bench.peer")) && redis) {
      // Before anything is measured: a missing Node must fail the run at once, not after minutes.
      peerDir = NodePeer.directory();
      peerVersion = NodePeer.install(peerDir);
    }
    try (RedisServerProcess server = RedisServerProcess.start("--enable-debug-command", "yes");
        RespConnection admin = RespConnection.open(server.endpoint(), Duration.ofSeconds(120));
        // Once for the run: forming a cluster takes seconds. Free loopback ports, never 6379, no
        // persistence (RedisServerProcess's defaults).
        RedisClusterProcess cluster = redis && !"false".equals(CLUSTER_PHASE)
            ? RedisClusterProcess.builder().primaries(3).replicasPerPrimary(0).start() : null) {
      StreamsBench bench = new StreamsBench(server, admin, cluster, peerDir);
      bench.report.machine("nodePeer", peerVersion == null ? "left out" : NodePeer.ADAPTER_PACKAGE + " " + peerVersion);
      bench.report.machine("redisCluster", cluster == null ? "left out"
          : "3 primaries, no replicas: " + cluster.nodes());
      bench.machine(backends);
      System.out.printf("streams-bench: %s; %s; backends %s%n", server,
          cluster == null ? "no cluster" : cluster, backends);
      if (!clusterOnly) {
        bench.limits();
      }
      for (String backend : backends) {
        bench.runBackend(backend);
      }
      bench.report.print(System.out);
      bench.report.machine("seconds", (System.nanoTime() - started) / 1_000_000_000L);
      bench.report.writeJson(out);
    }
    System.out.printf(Locale.ROOT, "%nWrote %s in %d s total.%n", out.toAbsolutePath(),
        (System.nanoTime() - started) / 1_000_000_000L);
    // Adapters' daemon threads (pools, event delivery) must not keep the JVM alive.
    System.exit(0);
  }

  // ------------------------------------------------------------------------------------------ set-up

  /** A workload item: {name, email, status, createdAt}; about 150 bytes stored, with its id. */
  static ObjectNode item(int i) {
    ObjectNode item = JsonNodeFactory.instance.objectNode();
    item.put("name", String.format(Locale.ROOT, "Benchmark User Number %06d", i));
    item.put("email", String.format(Locale.ROOT, "benchmark.user.%06d@streams.example.com", i));
    item.put("status", i % 2 == 0 ? "active" : "inactive");
    item.put("createdAt", 1_700_000_000_000L + i * 1_000L);
    return item;
  }

  static String id(int i) {
    return IDS[i];
  }

  private static boolean isRedis(String backend) {
    return !"memory".equals(backend);
  }

  private void machine(List<String> backends) {
    String info = (String) admin.call("INFO", "server");
    String redisVersion = info.lines().filter(l -> l.startsWith("redis_version:"))
        .map(l -> l.substring("redis_version:".length()).strip()).findFirst().orElse("?");
    report.machine("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    report.machine("command", COMMAND);
    report.machine("cores", Runtime.getRuntime().availableProcessors());
    report.machine("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    report.machine("os", System.getProperty("os.name") + " " + System.getProperty("os.version")
        + " " + System.getProperty("os.arch"));
    report.machine("redis", redisVersion);
    // A fixed, pre-touched heap (the documented command): else each first touch of a new heap page
    // is a page fault, charged as kernel time to whatever call allocated there.
    report.machine("jvmArguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
    report.machine("backends", backends);
    String document = StreamJson.toDocument(items[1], id(1)).json();
    report.machine("itemBytes", document.getBytes(StandardCharsets.UTF_8).length);
    report.machine("itemExample", document);
  }

  // ------------------------------------------------------------------------------------------ limits

  private RedisLimits.Limits limits;

  private void limits() throws Exception {
    System.out.println("limit: redis-benchmark against the same server");
    String document = StreamJson.toDocument(items[1], id(1)).json();
    limits = RedisLimits.measure(server.port(), admin, document, GROUP);
    String b = "redis-benchmark";
    report.add(new Row(b, "GET, 1 client", limits.get1(), "ops/s", Double.NaN, "", Target.NONE));
    report.add(new Row(b, "GET, " + CALLERS + " clients", limits.get64(), "ops/s", Double.NaN, "", Target.NONE));
    report.add(new Row(b, "EVALSHA set.lua, 1 client", limits.evalsha1(), "ops/s", Double.NaN, "", Target.NONE));
    report.add(new Row(b, "EVALSHA set.lua, " + CALLERS + " clients", limits.evalsha64(), "ops/s",
        Double.NaN, "", Target.NONE));
    report.add(new Row(b, "GET, 1 connection, " + CALLERS + " pipelined", limits.getPipelined(), "ops/s",
        Double.NaN, "", Target.NONE));
    report.add(new Row(b, "EVALSHA set.lua, 1 connection, " + CALLERS + " pipelined", limits.evalshaPipelined(),
        "ops/s", Double.NaN, "", Target.NONE));
    report.machine("setScriptSha1", limits.scriptSha());
    // The floor under any event latency: one JVM thread waking another, on this machine, now.
    long[] handOff = handOffLatencies(EVENTS);
    report.add(new Row("jvm", "thread hand-off p50 (10,000)", p(handOff, 50), "ms", Double.NaN, "", Target.NONE));
    report.add(new Row("jvm", "thread hand-off p99", p(handOff, 99), "ms", Double.NaN, "", Target.NONE));
    report.add(new Row("jvm", "thread hand-off max", p(handOff, 100), "ms", Double.NaN, "", Target.NONE));
  }

  /** @return sorted nanoseconds from handing a value to a waiting thread to that thread running */
  private static long[] handOffLatencies(int count) {
    java.util.concurrent.SynchronousQueue<Long> queue = new java.util.concurrent.SynchronousQueue<>();
    long[] times = new long[count];
    Thread receiver = new Thread(() -> {
      try {
        for (int i = 0; i < count; i++) {
          long sent = queue.take();
          times[i] = System.nanoTime() - sent;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-hand-off");
    receiver.start();
    try {
      for (int i = 0; i < count; i++) {
        queue.put(System.nanoTime());
        // Like the sequential sets: the next one follows after about a round trip.
        long until = System.nanoTime() + 50_000;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      }
      receiver.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Arrays.sort(times);
    return times;
  }

  // ----------------------------------------------------------------------------------------- backend

  /**
   * {@code bench.hash}: {@code true} (the default) adds the hash layout's figures to each Redis
   * backend's run, {@code false} leaves them out, {@code only} runs nothing else (a quick check).
   */
  private static final String HASH_PHASE = System.getProperty("bench.hash", "true");
  /**
   * {@code bench.cluster}: {@code true} (the default) ends each Redis backend's run with its figures
   * on a Redis Cluster ({@link #clusterPhase}), {@code false} leaves them out (and starts no
   * cluster), {@code only} runs nothing else (no limits, no Node peer: a quick check).
   */
  private static final String CLUSTER_PHASE = System.getProperty("bench.cluster", "true");
  /** {@code -Dbench.subscribe=only}: the subscription times alone, with the peer, for a quick look. */
  private static final String SUBSCRIBE_PHASE = System.getProperty("bench.subscribe", "true");

  private void runBackend(String backend) throws Exception {
    boolean redis = isRedis(backend);
    System.out.println("backend " + backend);
    long started = System.nanoTime();
    StreamConfig config = server.endpoint().applyTo(StreamConfig.builder()).backend(backend).build();
    try (StreamAdapter adapter = Streams.open(config);
        NodePeer peer = redis && peerDir != null ? NodePeer.start(peerDir, server.port()) : null) {
      if (peer != null) {
        report.diagnostic(peerName(backend), "versions", peer.versions());
      }
      if ("only".equals(SUBSCRIBE_PHASE)) {
        subscriptions(backend, config, peer);
        return;
      }
      if ("only".equals(CLUSTER_PHASE)) {
        if (redis) {
          clusterPhase(backend, config);
        }
        return;
      }
      if ("only".equals(HASH_PHASE)) {
        if (redis) {
          hashLayout(backend, config, adapter, peer);
        }
        return;
      }
      // The bare client is open only while its own figures are measured: its pool's idle checks
      // must not show in the backend's command counts.
      try (BareClient bare = BareClient.forBackend(backend, server.port())) {
        throughputs(backend, redis, adapter, bare, peer);
      }
      if (redis) {
        // Item 2 measures groups in a database that holds only them; item 3 adds other keys.
        admin.call("FLUSHALL");
      }
      groups(backend, redis, adapter, peer);
      events(backend, redis, adapter, config, peer);
      subscriptions(backend, config, peer);
      try (BareClient bare = BareClient.forBackend(backend, server.port())) {
        if (bare != null) {
          bareEvents(bare, backend, adapter, config);
        }
      }
      otherKeys(backend, redis, adapter);
      if (redis && !"false".equals(HASH_PHASE)) {
        hashLayout(backend, config, adapter, peer);
      }
      if (redis && cluster != null) {
        clusterPhase(backend, config);
      }
    } finally {
      if (redis) {
        admin.call("FLUSHALL");
      }
    }
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    System.out.printf(Locale.ROOT, "backend %s: %d s%n", backend, seconds);
    report.diagnostic(backend, "seconds to run", seconds);
  }

  /**
   * Item 5 on a bare client: its subscriber calls the handler on its own thread, no hand-off. The
   * items are new ones of the same group (creates, like the backend's timed run), ids of the same
   * length. Then the pair: the backend's sets received at once by a library listener and a bare one,
   * so that the two listeners meet the same moments of the machine.
   */
  private void bareEvents(BareClient client, String backend, StreamAdapter writer, StreamConfig config)
      throws Exception {
    String name = client.name();
    String sha = limits.scriptSha();
    KeyLayout layout = KeyLayout.defaults();
    String group = "events";
    EventSeries warmUp = new EventSeries("v-", 2_000);
    EventSeries timed = new EventSeries("f-", EVENTS);
    EventSeries pairedBare = new EventSeries("g-", EVENTS);
    EventSeries pairedLibrary = new EventSeries(pairedBare);
    BareItems warmUpItems = new BareItems(layout, group, i -> warmUp.prefix + i, warmUp.latency.length);
    BareItems timedItems = new BareItems(layout, group, i -> timed.prefix + i, EVENTS);
    String idField = "\"id\":\"";
    try (AutoCloseable subscription = client.subscribe(layout.groupChannel(group), message -> {
      long now = System.nanoTime();
      // Like the backend's handler: messages of no series are skipped, never thrown on (a throw
      // would end Jedis's subscriber loop).
      int at = message.lastIndexOf(idField);
      int end = at < 0 ? -1 : message.indexOf('"', at + idField.length());
      String id = end < 0 ? "" : message.substring(at + idField.length(), end);
      for (EventSeries series : List.of(warmUp, timed, pairedBare)) {
        if (id.startsWith(series.prefix)) {
          series.arrived(id, now);
        }
      }
    }); StreamAdapter listener = Streams.open(config)) {
      warmUp.send(i -> warmUpItems.setOn(client, sha, i), 0);
      if (!warmUp.await()) {
        throw new IllegalStateException(name + ": warm-up events missing: " + warmUp.all.getCount());
      }
      timed.send(i -> timedItems.setOn(client, sha, i), 0);
      if (!timed.await()) {
        report.diagnostic(name, "events missing after 30 s", timed.all.getCount());
      }
      listen(listener, group).add(pairedLibrary);
      pairedBare.send(writer, group, 0);
      if (!pairedBare.await() || !pairedLibrary.await()) {
        report.diagnostic(name, "paired events missing after 30 s",
            pairedBare.all.getCount() + pairedLibrary.all.getCount());
      }
    }
    long[] measured = timed.sortedLatencies();
    String how = ", handler on the client's thread";
    report.add(new Row(name, "event latency p50" + how, p(measured, 50), "ms", Double.NaN, "", Target.NONE));
    report.add(new Row(name, "event latency p99" + how, p(measured, 99), "ms", Double.NaN, "", Target.NONE));
    report.add(new Row(name, "event latency max" + how, p(measured, 100), "ms", Double.NaN, "", Target.NONE));
    report.add(new Row(name, "events received (sent 10,000)", timed.received.get(), "events", EVENTS,
        "sent", Target.NONE));
    if (timed.duplicates.get() > 0) {
      report.diagnostic(name, "event duplicates", timed.duplicates.get());
    }
    long[] bare = pairedBare.sortedLatencies();
    long[] library = pairedLibrary.sortedLatencies();
    // The backend's sets, received at once by both listeners (10,000).
    String bareBeside = ", bare listener beside a library one";
    String libraryBeside = ", library listener beside a bare one";
    report.add(new Row(name, "event latency p50" + bareBeside, p(bare, 50), "ms", Double.NaN, "", Target.NONE));
    report.add(new Row(name, "event latency p99" + bareBeside, p(bare, 99), "ms", Double.NaN, "", Target.NONE));
    report.add(new Row(backend, "event latency p50" + libraryBeside, p(library, 50), "ms", Double.NaN, "", Target.NONE));
    report.add(new Row(backend, "event latency p99" + libraryBeside, p(library, 99), "ms", Double.NaN, "", Target.NONE));
  }

  /** The keys, stored texts and channels of items 0.., made before any timing. */
  private final class BareItems {
    final String groupChannel;
    final String[] keys;
    final String[] documents;
    final String[] itemChannels;

    BareItems(KeyLayout layout, String group, IntFunction<String> ids, int count) {
      groupChannel = layout.groupChannel(group);
      keys = new String[count];
      documents = new String[count];
      itemChannels = new String[count];
      for (int i = 0; i < count; i++) {
        String id = ids.apply(i);
        keys[i] = layout.dataKey(group, id);
        documents[i] = StreamJson.toDocument(items[i], id).json();
        itemChannels[i] = layout.itemChannel(group, id);
      }
    }

    /** Runs the set script for item {@code i} on a bare client. */
    void setOn(BareClient client, String sha, int i) {
      client.evalsha(sha, keys[i], documents[i], groupChannel, itemChannels[i]);
    }
  }

  /**
   * Item 1: set and get, 1 caller and 64 callers; on a Redis backend the same on its client used bare
   * and on the Node adapter (1 and 64 calls in flight), run by turns with the backend's runs so that
   * all meet the same moments of a noisy machine.
   */
  private void throughputs(String backend, boolean redis, StreamAdapter adapter, BareClient bare,
      NodePeer peer) throws Exception {
    IntConsumer set = workloadSet(adapter);
    IntConsumer get = workloadGet(adapter);
    AsyncCall asyncSet = i -> adapter.async().set(GROUP, id(i), items[i]);
    AsyncCall asyncGet = i -> adapter.async().get(GROUP, id(i)).thenAccept(found -> {
      if (found.isEmpty()) {
        throw new IllegalStateException("async get found no item " + id(i));
      }
    });
    IntConsumer bareSet = null;
    IntConsumer bareGet = null;
    if (bare != null) {
      String sha = limits.scriptSha();
      // The same keys, documents and channels as the backend's sets, made before any timing.
      BareItems workload = new BareItems(KeyLayout.defaults(), GROUP, StreamsBench::id, MULTI_OPS);
      bareSet = i -> workload.setOn(bare, sha, i);
      bareGet = i -> {
        if (bare.get(workload.keys[i]) == null) {
          throw new IllegalStateException(bare.name() + ": get found no item " + workload.keys[i]);
        }
      };
    }
    // Warm-up: the JIT, the connection pool, the script cache.
    for (int round = 0; round < 2; round++) {
      for (IntConsumer operation : bare == null ? List.of(set, get) : List.of(set, get, bareSet, bareGet)) {
        onThisThread(5_000, operation);
        concurrently(CALLERS, 20_000, operation);
      }
    }
    for (int round = 0; round < 2; round++) {
      for (AsyncCall operation : List.of(asyncSet, asyncGet)) {
        inFlight(CALLERS, 20_000, operation);
      }
    }
    if (peer != null) {
      // The same calls, in the same rounds, for V8.
      peer.run("warmup");
    }
    // Lettuce's own flushing (every command on its own), beside this backend's batches: the
    // blocking path before and after write coalescing, by turns in this run.
    StreamAdapter flushEach = flushingEachCommand(backend, redis);
    try {
      if (flushEach != null) {
        beforeAndAfter(backend, adapter, flushEach);
      }
    } finally {
      if (flushEach != null) {
        flushEach.close();
      }
    }

    IntConsumer bareSetRun = bareSet;
    IntConsumer bareGetRun = bareGet;
    // Item 1's sets are of new ids: every turn starts on an empty store.
    double[] set1 = byTurns(onEmpty(redis, () -> measureSingle(backend, redis, "set", set)),
        bare == null ? null : onEmpty(redis, () -> onThisThread(SINGLE_OPS, bareSetRun)),
        peer == null ? null : onEmpty(redis, () -> peerSingle(backend, peer, "set")));
    double[] set64 = byTurns(onEmpty(redis, () -> measureMulti(backend, redis, "set", set, adapter)),
        bare == null ? null : onEmpty(redis, () -> concurrently(CALLERS, MULTI_OPS, bareSetRun)),
        peer == null ? null : onEmpty(redis, () -> peer.ops("set64 " + MULTI_OPS)),
        onEmpty(redis, () -> measureAsync(backend, redis, "set", asyncSet, adapter)));
    // Every key the gets ask for, the backend's (the bare client's too) and the peer's.
    concurrently(CALLERS, MULTI_OPS, set);
    if (peer != null) {
      peer.ops("set64 " + MULTI_OPS);
    }
    double[] get1 = byTurns(() -> measureSingle(backend, redis, "get", get),
        bare == null ? null : () -> onThisThread(SINGLE_OPS, bareGetRun),
        peer == null ? null : () -> peerSingle(backend, peer, "get"));
    double[] get64 = byTurns(() -> measureMulti(backend, redis, "get", get, adapter),
        bare == null ? null : () -> concurrently(CALLERS, MULTI_OPS, bareGetRun),
        peer == null ? null : () -> peer.ops("get64 " + MULTI_OPS),
        () -> measureAsync(backend, redis, "get", asyncGet, adapter));
    String async64 = "async " + CALLERS + " in flight, 1 thread";
    if (redis) {
      String pipelined = "1 connection, " + CALLERS + " pipelined";
      report.add(new Row(backend, "set, " + async64, set64[3], "ops/s", limits.evalshaPipelined(),
          "EVALSHA, " + pipelined, Target.NONE));
      report.add(new Row(backend, "get, " + async64, get64[3], "ops/s", limits.getPipelined(),
          "GET, " + pipelined, Target.NONE));
    } else {
      report.add(new Row(backend, "set, " + async64, set64[3], "ops/s", Double.NaN, "", Target.NONE));
      report.add(new Row(backend, "get, " + async64, get64[3], "ops/s", Double.NaN, "", Target.NONE));
    }
    if (redis) {
      String evalsha64 = "EVALSHA, " + CALLERS + " clients";
      report.add(new Row(backend, "set, 1 caller", set1[0], "ops/s", limits.evalsha1(),
          "EVALSHA, 1 client", Target.AT_LEAST_70));
      report.add(new Row(backend, "set, " + CALLERS + " callers", set64[0], "ops/s", limits.evalsha64(),
          evalsha64, Target.AT_LEAST_70));
      report.add(new Row(backend, "get, 1 caller", get1[0], "ops/s", limits.get1(),
          "GET, 1 client", Target.AT_LEAST_70));
      report.add(new Row(backend, "get, " + CALLERS + " callers", get64[0], "ops/s", limits.get64(),
          "GET, " + CALLERS + " clients", Target.AT_LEAST_80));
      if (bare != null) {
        String name = bare.name();
        String vsBare = " / " + name;
        report.add(new Row(backend, "set, 1 caller" + vsBare, set1[0], "ops/s", set1[1], name + ", 1 caller",
            Target.AT_LEAST_90));
        report.add(new Row(backend, "set, " + CALLERS + " callers" + vsBare, set64[0], "ops/s", set64[1],
            name + ", " + CALLERS + " callers", Target.AT_LEAST_90));
        report.add(new Row(backend, "set, " + async64 + vsBare, set64[3], "ops/s", set64[1],
            name + ", " + CALLERS + " callers", Target.AT_LEAST_90));
        report.add(new Row(backend, "get, 1 caller" + vsBare, get1[0], "ops/s", get1[1], name + ", 1 caller",
            Target.AT_LEAST_90));
        report.add(new Row(backend, "get, " + CALLERS + " callers" + vsBare, get64[0], "ops/s", get64[1],
            name + ", " + CALLERS + " callers", Target.AT_LEAST_90));
        report.add(new Row(backend, "get, " + async64 + vsBare, get64[3], "ops/s", get64[1],
            name + ", " + CALLERS + " callers", Target.AT_LEAST_90));
        report.add(new Row(name, "set script, 1 caller", set1[1], "ops/s", limits.evalsha1(),
            "EVALSHA, 1 client", Target.NONE));
        report.add(new Row(name, "set script, " + CALLERS + " callers", set64[1], "ops/s",
            limits.evalsha64(), evalsha64, Target.NONE));
        report.add(new Row(name, "get, 1 caller", get1[1], "ops/s", limits.get1(), "GET, 1 client",
            Target.NONE));
        report.add(new Row(name, "get, " + CALLERS + " callers", get64[1], "ops/s", limits.get64(),
            "GET, " + CALLERS + " clients", Target.NONE));
      }
      if (peer != null) {
        String node = peerName(backend);
        String inFlight = CALLERS + " in flight";
        // Node's set is HEXISTS, then HSET and PUBLISH: no redis-benchmark figure is its limit.
        report.add(new Row(node, "set, 1 in flight", set1[2], "ops/s", Double.NaN, "", Target.NONE));
        report.add(new Row(node, "set, " + inFlight, set64[2], "ops/s", Double.NaN, "", Target.NONE));
        report.add(new Row(node, "get, 1 in flight", get1[2], "ops/s", limits.get1(), "GET, 1 client",
            Target.NONE));
        report.add(new Row(node, "get, " + inFlight, get64[2], "ops/s", limits.get64(),
            "GET, " + CALLERS + " clients", Target.NONE));
        String vs = " / node";
        report.add(new Row(backend, "set, 1 caller" + vs, set1[0], "ops/s", set1[2], "node, 1 in flight",
            Target.AT_LEAST_LIMIT));
        report.add(new Row(backend, "set, " + CALLERS + " callers" + vs, set64[0], "ops/s", set64[2],
            "node, " + inFlight, Target.AT_LEAST_LIMIT));
        report.add(new Row(backend, "get, 1 caller" + vs, get1[0], "ops/s", get1[2], "node, 1 in flight",
            Target.AT_LEAST_LIMIT));
        report.add(new Row(backend, "get, " + CALLERS + " callers" + vs, get64[0], "ops/s", get64[2],
            "node, " + inFlight, Target.AT_LEAST_LIMIT));
        report.add(new Row(backend, "set, " + async64 + vs, set64[3], "ops/s", set64[2],
            "node, " + inFlight, Target.AT_LEAST_150));
        report.add(new Row(backend, "get, " + async64 + vs, get64[3], "ops/s", get64[2],
            "node, " + inFlight, Target.AT_LEAST_150));
      }
    } else {
      report.add(new Row(backend, "set, 1 caller", set1[0], "ops/s", MEMORY_TARGET_OPS, "target",
          Target.AT_LEAST_LIMIT));
      report.add(new Row(backend, "set, " + CALLERS + " callers", set64[0], "ops/s", Double.NaN, "", Target.NONE));
      report.add(new Row(backend, "get, 1 caller", get1[0], "ops/s", MEMORY_TARGET_OPS, "target",
          Target.AT_LEAST_LIMIT));
      report.add(new Row(backend, "get, " + CALLERS + " callers", get64[0], "ops/s", Double.NaN, "", Target.NONE));
    }
  }

  /** @return item 1's set: item {@code i} of the workload, in the group {@value #GROUP} */
  private IntConsumer workloadSet(StreamAdapter adapter) {
    return i -> adapter.set(GROUP, id(i), items[i]);
  }

  /** @return item 1's get of item {@code i}, which fails if the item is not there */
  private static IntConsumer workloadGet(StreamAdapter adapter) {
    return i -> {
      if (adapter.get(GROUP, id(i)).isEmpty()) {
        throw new IllegalStateException("get found no item " + id(i));
      }
    };
  }

  private double measureSingle(String backend, boolean redis, String op, IntConsumer operation) {
    int count = redis ? SINGLE_OPS : MEMORY_SINGLE_OPS;
    if (!redis) {
      // The workload's items, round and round.
      IntConsumer onItems = operation;
      operation = i -> onItems.accept(i % MULTI_OPS);
    }
    resetStats(redis);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocated = threads.getCurrentThreadAllocatedBytes();
    long cpu = threads.getCurrentThreadCpuTime();
    long user = threads.getCurrentThreadUserTime();
    double opsPerSecond = onThisThread(count, operation);
    long bytes = threads.getCurrentThreadAllocatedBytes() - allocated;
    // CPU time of the caller thread: what the library and the client cost, whatever the load.
    report.diagnostic(backend, op + ", 1 caller: CPU microseconds per op (caller thread)",
        Math.round((threads.getCurrentThreadCpuTime() - cpu) / 10.0 / count) / 100.0);
    report.diagnostic(backend, op + ", 1 caller: of which user (not kernel) microseconds per op",
        Math.round((threads.getCurrentThreadUserTime() - user) / 10.0 / count) / 100.0);
    report.diagnostic(backend, op + ", 1 caller: wall microseconds per op",
        Math.round(1e8 / opsPerSecond) / 100.0);
    report.diagnostic(backend, op + ", 1 caller: bytes allocated per op (caller thread)",
        bytes / count);
    commandsPerOp(backend, redis, op + ", 1 caller", count);
    return opsPerSecond;
  }

  /** @return the peer's ops/s for {@link #SINGLE_OPS} calls of {@code op}, one at a time */
  private double peerSingle(String backend, NodePeer peer, String op) throws Exception {
    resetStats(true);
    double opsPerSecond = peer.ops(op + "1 " + SINGLE_OPS);
    commandsPerOp(peerName(backend), true, op + ", 1 in flight", SINGLE_OPS);
    return opsPerSecond;
  }

  /** @return the report's name of the Node adapter measured in turns with {@code backend} */
  private static String peerName(String backend) {
    return "node beside " + backend;
  }

  private double measureMulti(String backend, boolean redis, String op, IntConsumer operation,
      StreamAdapter adapter) throws Exception {
    resetStats(redis);
    BatchSizes batches = new BatchSizes();
    double opsPerSecond;
    try (var observing = adapter.monitor().observe(batches)) {
      opsPerSecond = concurrently(CALLERS, MULTI_OPS, operation);
    }
    commandsPerOp(backend, redis, op + ", " + CALLERS + " callers", MULTI_OPS);
    batches.report(report, backend, op + ", " + CALLERS + " callers");
    return opsPerSecond;
  }

  /** The asynchronous API: {@link #CALLERS} calls in flight, all made by this one thread. */
  private double measureAsync(String backend, boolean redis, String op, AsyncCall operation,
      StreamAdapter adapter) throws Exception {
    resetStats(redis);
    BatchSizes batches = new BatchSizes();
    double opsPerSecond;
    try (var observing = adapter.monitor().observe(batches)) {
      opsPerSecond = inFlight(CALLERS, MULTI_OPS, operation);
    }
    String phase = op + ", async " + CALLERS + " in flight";
    commandsPerOp(backend, redis, phase, MULTI_OPS);
    batches.report(report, backend, phase);
    return opsPerSecond;
  }

  /**
   * @return a second adapter of a Lettuce backend whose command connection flushes every command
   *     on its own, as Lettuce does by default; null for other backends
   */
  private StreamAdapter flushingEachCommand(String backend, boolean redis) {
    if (!redis || !backend.contains("lettuce")) {
      return null;
    }
    StreamConfig config = server.endpoint().applyTo(StreamConfig.builder()).backend(backend).build();
    System.setProperty(FLUSH_EACH_COMMAND, "true");
    try {
      return Streams.open(config);
    } finally {
      System.clearProperty(FLUSH_EACH_COMMAND);
    }
  }

  /** The switch of the Lettuce backend to its client's own flushing, for this comparison only. */
  static final String FLUSH_EACH_COMMAND = "streams.lettuce.flushEachCommand";

  /**
   * The blocking path before and after write coalescing: set and get at 1 and 64 callers on an
   * adapter that flushes every command (before) and on the backend's own (after), by turns.
   */
  private void beforeAndAfter(String backend, StreamAdapter after, StreamAdapter before) throws Exception {
    String[] ops = {"set", "get"};
    for (String op : ops) {
      IntConsumer onAfter = op.equals("set") ? workloadSet(after) : workloadGet(after);
      IntConsumer onBefore = op.equals("set") ? workloadSet(before) : workloadGet(before);
      onThisThread(5_000, onBefore);
      concurrently(CALLERS, 20_000, onBefore);
      boolean sets = op.equals("set");
      double[] single = byTurns(onEmpty(sets, () -> onThisThread(SINGLE_OPS, onAfter)),
          onEmpty(sets, () -> onThisThread(SINGLE_OPS, onBefore)));
      double[] multi = byTurns(onEmpty(sets, () -> concurrently(CALLERS, MULTI_OPS, onAfter)),
          onEmpty(sets, () -> concurrently(CALLERS, MULTI_OPS, onBefore)));
      if (sets) {
        // The gets that follow ask for every item.
        concurrently(CALLERS, MULTI_OPS, onAfter);
      }
      String flushEach = "flushing each command";
      report.add(new Row(backend, op + ", 1 caller, batched / " + flushEach, single[0], "ops/s", single[1],
          flushEach, Target.NONE));
      report.add(new Row(backend, op + ", " + CALLERS + " callers, batched / " + flushEach, multi[0], "ops/s",
          multi[1], flushEach, Target.NONE));
    }
  }

  /** One asynchronous call of the workload. */
  @FunctionalInterface
  interface AsyncCall {
    java.util.concurrent.CompletionStage<?> start(int i);
  }

  /**
   * @return ops/s of {@code count} asynchronous calls made by this thread, at most {@code window} in
   *     flight: it waits for a permit (never for I/O) before each call
   */
  static double inFlight(int window, int count, AsyncCall operation) throws Exception {
    java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(window);
    CountDownLatch done = new CountDownLatch(count);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long start = System.nanoTime();
    for (int i = 0; i < count && failure.get() == null; i++) {
      permits.acquire();
      operation.start(i).whenComplete((value, thrown) -> {
        if (thrown != null) {
          failure.compareAndSet(null, thrown);
        }
        permits.release();
        done.countDown();
      });
    }
    if (failure.get() == null) {
      done.await();
    }
    long elapsed = System.nanoTime() - start;
    if (failure.get() != null) {
      throw new IllegalStateException("an asynchronous call failed", failure.get());
    }
    return count / (elapsed / 1e9);
  }

  /** Items 2 and 4: getGroup of 1,000 and 10,000 items; query on the 10,000; then the same on the peer. */
  private void groups(String backend, boolean redis, StreamAdapter adapter, NodePeer peer) throws Exception {
    concurrently(8, 1_000, i -> adapter.set("g1k", id(i), items[i]));
    concurrently(8, 10_000, i -> adapter.set("g10k", id(i), items[i]));

    long[] small = latencies(20, 200, () -> requireSize(adapter.getGroup("g1k"), 1_000));
    report.add(new Row(backend, "getGroup 1,000 items p50 (200 calls)", p(small, 50), "ms",
        Double.NaN, "", Target.NONE));
    report.add(new Row(backend, "getGroup 1,000 items p99", p(small, 99), "ms", Double.NaN, "", Target.NONE));

    latencies(5, 0, () -> requireSize(adapter.getGroup("g10k"), 10_000));
    resetStats(redis);
    long[] large = latencies(0, 50, () -> requireSize(adapter.getGroup("g10k"), 10_000));
    commandsPerOp(backend, redis, "getGroup 10,000", 50);
    report.add(new Row(backend, "getGroup 10,000 items p50 (50 calls)", p(large, 50), "ms",
        LATENCY_TARGET_MS, "target", Target.AT_MOST_LIMIT));
    report.add(new Row(backend, "getGroup 10,000 items p99", p(large, 99), "ms", Double.NaN, "", Target.NONE));

    Query query = Query.builder().where("status", "active")
        .orderBy("createdAt", SortDirection.DESC).limit(10).build();
    Runnable run = () -> {
      List<ObjectNode> page = adapter.query("g10k", query);
      // The newest active items: 9998, 9996, ...
      if (page.size() != 10 || !page.get(0).get("id").asText().equals(id(9_998))) {
        throw new IllegalStateException("unexpected query result " + page);
      }
    };
    latencies(5, 0, run);
    long[] queries = latencies(0, 50, run);
    report.add(new Row(backend, "query 10,000 items p50 (50 calls)", p(queries, 50), "ms",
        LATENCY_TARGET_MS, "target", Target.AT_MOST_LIMIT));
    report.add(new Row(backend, "query 10,000 items p99", p(queries, 99), "ms", Double.NaN, "", Target.NONE));
    if (peer == null) {
      return;
    }
    // The same calls, warm-ups and checks (peer.mjs), on the groups' own hashes.
    JsonNode node = peer.run("groups");
    String name = peerName(backend);
    // {peer.mjs's result, the peer's row, the backend's row against it}
    String[][] figures = {
        {"getGroup1k", "getGroup 1,000 items p50 (200 calls)", "getGroup 1,000 items p50 / node"},
        {"getGroup10k", "getGroup 10,000 items p50 (50 calls)", "getGroup 10,000 items p50 / node"},
        {"query10k", "query 10,000 items p50 (50 calls)", "query 10,000 items p50 / node"}};
    double[] java = {p(small, 50), p(large, 50), p(queries, 50)};
    for (int f = 0; f < figures.length; f++) {
      double nodeP50 = p(NodePeer.sorted(node.get(figures[f][0])), 50);
      report.add(new Row(name, figures[f][1], nodeP50, "ms", Double.NaN, "", Target.NONE));
      report.add(new Row(backend, figures[f][2], java[f], "ms", nodeP50, "node, same figure", Target.NONE));
    }
  }

  /**
   * Item 5: a subscriber on a second adapter; 10,000 sequential sets; set start to handler. Then the
   * same on the peer, whose listener subscribes to each item's channel (its sets publish there only).
   */
  private void events(String backend, boolean redis, StreamAdapter writer, StreamConfig config,
      NodePeer peer) throws Exception {
    String group = "events";
    EventSeries timed;
    EventSeries paced;
    EventSeries atPeerRate = null;
    // The peer first: the target compares its p99 with this backend's, the writer set at the peer's
    // own rate of sets (one in flight).
    JsonNode node = peer == null ? null : peer.run("events");
    long peerIntervalNanos = node == null ? 0 : node.get("setIntervalNs").asLong();
    try (StreamAdapter listener = Streams.open(config)) {
      List<EventSeries> heard = listen(listener, group);
      warmUp(writer, group, heard, "w-");
      resetStats(redis);
      timed = sendAndAwait(writer, group, heard, "e-", EVENTS, 0);
      commandsPerOp(backend, redis, "events: set with a subscriber", EVENTS);
      if (timed.all.getCount() > 0) {
        report.diagnostic(backend, "events missing when the paced sets began", timed.all.getCount());
      }
      // A diagnostic beside item 5: the same sets with the writer asleep between them, so that a
      // vCPU stays free; tells the cost of delivery apart from waiting for a CPU.
      paced = sendAndAwait(writer, group, heard, "p-", PACED_EVENTS, PACE_NANOS);
      if (node != null) {
        atPeerRate = sendAndAwait(heard, "n-", EVENTS, series -> series.sendEvery(writer, group, peerIntervalNanos));
      }
      // Late duplicates would show here.
      Thread.sleep(300);
    }
    long[] measured = timed.sortedLatencies();
    report.add(new Row(backend, "event latency p50 (10,000 sets)", p(measured, 50), "ms",
        Double.NaN, "", Target.NONE));
    // The Redis backends have latency targets (docs/BENCHMARKS.md). On memory the writer has no round trip to
    // wait for and outruns delivery, so its figure measures a queue, shown without a target.
    Target latencyTarget = redis ? Target.AT_MOST_LIMIT : Target.NONE;
    report.add(new Row(backend, "event latency p99", p(measured, 99), "ms",
        redis ? EVENT_P99_TARGET_MS : Double.NaN, redis ? "target" : "", latencyTarget));
    report.add(new Row(backend, "event latency max", p(measured, 100), "ms",
        redis ? EVENT_MAX_TARGET_MS : Double.NaN, redis ? "target" : "", latencyTarget));
    report.add(new Row(backend, "events received (sent 10,000)", timed.received.get(), "events", EVENTS,
        "sent", Target.EQUAL));
    long[] pacedLatencies = paced.sortedLatencies();
    report.add(new Row(backend, "event latency p99, writer paced 200 µs (2,000 sets)",
        p(pacedLatencies, 99), "ms", Double.NaN, "", Target.NONE));
    report.add(new Row(backend, "events received, writer paced (sent 2,000)", pacedLatencies.length,
        "events", PACED_EVENTS, "sent", Target.EQUAL));
    if (timed.duplicates.get() > 0) {
      report.diagnostic(backend, "event duplicates", timed.duplicates.get());
    }
    if (node == null) {
      return;
    }
    String name = peerName(backend);
    long[] nodeLatencies = NodePeer.sorted(node.get("latencyNs"));
    report.add(new Row(name, "event latency p50 (10,000 sets)", p(nodeLatencies, 50), "ms", Double.NaN, "",
        Target.NONE));
    report.add(new Row(name, "event latency p99", p(nodeLatencies, 99), "ms", Double.NaN, "", Target.NONE));
    report.add(new Row(name, "event latency max", p(nodeLatencies, 100), "ms", Double.NaN, "", Target.NONE));
    report.add(new Row(name, "events received (sent 10,000)", node.get("received").asInt(), "events",
        node.get("sent").asInt(), "sent", Target.EQUAL));
    if (node.get("duplicates").asInt() > 0) {
      report.diagnostic(name, "event duplicates", node.get("duplicates").asInt());
    }
    // Both unpaced: the writer is the adapter's own one-at-a-time set, so each side's rate differs.
    report.add(new Row(backend, "event latency p99 / node", p(measured, 99), "ms", p(nodeLatencies, 99),
        "node, same figure", Target.NONE));
    // The same rate of sets on both sides: the peer's.
    report.add(new Row(name, "set interval of its event sets", peerIntervalNanos / 1e6, "ms", Double.NaN,
        "", Target.NONE));
    long[] atPeerLatencies = atPeerRate.sortedLatencies();
    report.add(new Row(backend, "event latency p99, writer at node's set rate (10,000 sets)",
        p(atPeerLatencies, 99), "ms", p(nodeLatencies, 99), "node, same figure", Target.AT_MOST_LIMIT));
    report.add(new Row(backend, "event latency max, writer at node's set rate", p(atPeerLatencies, 100),
        "ms", EVENT_MAX_TARGET_MS, "target", Target.AT_MOST_LIMIT));
    report.add(new Row(backend, "events received, writer at node's set rate (sent 10,000)",
        atPeerLatencies.length, "events", EVENTS, "sent", Target.EQUAL));
  }

  /**
   * Subscribing 10,000 item channels on one adapter, after a first subscription has opened its
   * pub/sub connection; then the same on the peer, all at once ({@code Promise.all}, what a Node
   * caller writes) and one after the other (as the blocking API does).
   */
  private void subscriptions(String backend, StreamConfig config, NodePeer peer) throws Exception {
    long elapsed;
    try (StreamAdapter listener = Streams.open(config)) {
      listener.subscribe(StreamChannel.item("subscribe", "first"), event -> { });
      long start = System.nanoTime();
      for (int i = 0; i < EVENTS; i++) {
        listener.subscribe(StreamChannel.item("subscribe", "s-" + i), event -> { });
      }
      elapsed = System.nanoTime() - start;
    }
    // The same through the asynchronous API, all at once, as a Node caller subscribes.
    long elapsedAsync;
    try (StreamAdapter listener = Streams.open(config)) {
      listener.subscribe(StreamChannel.item("subscribe", "first"), event -> { });
      long start = System.nanoTime();
      CompletableFuture<?>[] all = new CompletableFuture<?>[EVENTS];
      for (int i = 0; i < EVENTS; i++) {
        all[i] = listener.async().subscribe(StreamChannel.item("subscribe", "a-" + i), event -> { })
            .toCompletableFuture();
      }
      CompletableFuture.allOf(all).get(60, TimeUnit.SECONDS);
      elapsedAsync = System.nanoTime() - start;
    }
    double ms = elapsed / 1e6;
    double msAsync = elapsedAsync / 1e6;
    String figure = "subscribe 10,000 item channels";
    String figureAsync = figure + ", async all at once";
    if (peer == null) {
      report.add(new Row(backend, figure, ms, "ms", Double.NaN, "", Target.NONE));
      report.add(new Row(backend, figureAsync, msAsync, "ms", Double.NaN, "", Target.NONE));
      return;
    }
    JsonNode node = peer.run("subscribe");
    double allAtOnce = node.get("allAtOnceNs").asDouble() / 1e6;
    String name = peerName(backend);
    report.add(new Row(name, figure + ", all at once", allAtOnce, "ms", Double.NaN, "", Target.NONE));
    report.add(new Row(name, figure + ", one at a time", node.get("oneAtATimeNs").asDouble() / 1e6, "ms",
        Double.NaN, "", Target.NONE));
    report.add(new Row(backend, figure, ms, "ms", allAtOnce, "node, all at once", Target.AT_MOST_LIMIT));
    report.add(new Row(backend, figureAsync, msAsync, "ms", allAtOnce, "node, all at once",
        Target.AT_MOST_LIMIT));
  }

  /**
   * Subscribes {@code listener} to {@code group}'s events (item 5's listener).
   *
   * @return the series the handler records arrivals for; add one before sending it
   */
  private static List<EventSeries> listen(StreamAdapter listener, String group) {
    List<EventSeries> heard = new CopyOnWriteArrayList<>();
    listener.subscribe(StreamChannel.group(group), event -> {
      long now = System.nanoTime();
      JsonNode id = event.data().get("id");
      String text = id == null ? "" : id.asText();
      for (EventSeries candidate : heard) {
        if (text.startsWith(candidate.prefix)) {
          candidate.arrived(text, now);
        }
      }
    });
    return heard;
  }

  /**
   * Sets {@code count} new items under {@code prefix} in {@code group}, pausing {@code pauseNanos}
   * after each (0: back to back), and waits for their events, at most 30 s.
   *
   * @param heard the series of a listener of the group ({@link #listen})
   * @return the series, complete unless its {@code all} still counts
   */
  private EventSeries sendAndAwait(StreamAdapter writer, String group, List<EventSeries> heard,
      String prefix, int count, long pauseNanos) throws InterruptedException {
    return sendAndAwait(heard, prefix, count, series -> series.send(writer, group, pauseNanos));
  }

  /**
   * As above, the sets made by {@code sending}.
   *
   * @return the series, complete unless its {@code all} still counts
   */
  private EventSeries sendAndAwait(List<EventSeries> heard, String prefix, int count,
      java.util.function.Consumer<EventSeries> sending) throws InterruptedException {
    EventSeries series = new EventSeries(prefix, count);
    heard.add(series);
    sending.accept(series);
    series.await();
    return series;
  }

  /** 2,000 sets back to back whose events must all arrive: the JIT, and the subscription is live. */
  private void warmUp(StreamAdapter writer, String group, List<EventSeries> heard, String prefix)
      throws InterruptedException {
    // The JIT keeps recompiling the event path (C2) long after 2,000 sets; a measured series that
    // meets a compilation waits for a core on 2 vCPUs (the memory backend's paced p99 went from 0.06
    // to 0.14 ms that way). So rounds of unpaced and paced sets run until one passes without
    // compiling, within a bound in rounds.
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    int round = 0;
    long compiledMillis;
    do {
      long before = jit.getTotalCompilationTime();
      for (long pause : new long[] {0, PACE_NANOS}) {
        EventSeries warmUp = sendAndAwait(writer, group, heard, prefix + round + (pause == 0 ? "u-" : "p-"),
            WARM_UP_EVENTS, pause);
        heard.remove(warmUp);
        if (warmUp.all.getCount() > 0) {
          throw new IllegalStateException("warm-up events missing: " + warmUp.all.getCount());
        }
      }
      compiledMillis = jit.getTotalCompilationTime() - before;
      round++;
    } while (compiledMillis > WARM_UP_QUIET_COMPILE_MILLIS && round < WARM_UP_MAX_ROUNDS);
    System.out.printf(Locale.ROOT, "events warm-up: %d rounds, the last compiling for %d ms%n", round,
        compiledMillis);
  }

  /** A series of sets whose ids start with one prefix, and when each one's event arrived. */
  private final class EventSeries {
    final String prefix;
    final long[] latency;
    final AtomicLongArray sentAt;
    final CountDownLatch all;
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();

    EventSeries(String prefix, int count) {
      this(prefix, new AtomicLongArray(count));
    }

    /** A second listener's view of the same sets: their send times, its own arrivals. */
    EventSeries(EventSeries sameSets) {
      this(sameSets.prefix, sameSets.sentAt);
    }

    private EventSeries(String prefix, AtomicLongArray sentAt) {
      this.prefix = prefix;
      this.latency = new long[sentAt.length()];
      this.sentAt = sentAt;
      this.all = new CountDownLatch(sentAt.length());
    }

    /** Sets items 0.. under this prefix, sleeping {@code pauseNanos} after each (0: back to back). */
    void send(StreamAdapter writer, String group, long pauseNanos) {
      send(i -> writer.set(group, prefix + i, items[i]), pauseNanos);
    }

    /** Runs {@code setItem} for 0.., the set of the item {@code prefix + i}; pauses as above. */
    void send(IntConsumer setItem, long pauseNanos) {
      for (int i = 0; i < latency.length; i++) {
        sentAt.set(i, System.nanoTime());
        setItem.accept(i);
        if (pauseNanos > 0) {
          LockSupport.parkNanos(pauseNanos);
        }
      }
    }

    /**
     * Sets items 0.. under this prefix at a rate: item {@code i} is set {@code i * intervalNanos}
     * after the first, or at once if the writer is behind.
     */
    void sendEvery(StreamAdapter writer, String group, long intervalNanos) {
      long start = System.nanoTime();
      for (int i = 0; i < latency.length; i++) {
        long due = start + i * intervalNanos;
        long early = due - System.nanoTime();
        if (early > 0) {
          LockSupport.parkNanos(early);
        }
        sentAt.set(i, System.nanoTime());
        writer.set(group, prefix + i, items[i]);
      }
    }

    /** On the handler's thread, one at a time. */
    void arrived(String id, long now) {
      int i = Integer.parseInt(id.substring(prefix.length()));
      received.incrementAndGet();
      if (latency[i] != 0) {
        duplicates.incrementAndGet();
      } else {
        latency[i] = now - sentAt.get(i);
        all.countDown();
      }
    }

    boolean await() throws InterruptedException {
      return all.await(30, TimeUnit.SECONDS);
    }

    /** @return the latencies of the events that arrived, sorted */
    long[] sortedLatencies() {
      long[] arrived = Arrays.stream(latency).filter(l -> l != 0).toArray();
      Arrays.sort(arrived);
      return arrived;
    }
  }

  /** Item 3: getGroup of the 1,000-item group beside 100,000 and 1,000,000 other keys. */
  private void otherKeys(String backend, boolean redis, StreamAdapter adapter) throws Exception {
    long[] base = latencies(3, 20, () -> requireSize(adapter.getGroup("g1k"), 1_000));
    double baseP50 = p(base, 50);
    int size = StreamJson.toDocument(items[1], id(1)).json().getBytes(StandardCharsets.UTF_8).length;
    for (int others : new int[] {100_000, 1_000_000}) {
      if (redis) {
        // Adds the keys other:0 .. other:(others-1) that are not there yet.
        admin.call("DEBUG", "POPULATE", Integer.toString(others), "other", Integer.toString(size));
      } else {
        ObjectNode small = JsonNodeFactory.instance.objectNode().put("v", 1);
        int from = others == 100_000 ? 0 : 100_000;
        concurrently(2, others - from, i -> adapter.set("other", Integer.toString(from + i), small));
      }
      int calls = others == 100_000 ? 20 : 10;
      latencies(1, 0, () -> requireSize(adapter.getGroup("g1k"), 1_000));
      resetStats(redis);
      long[] times = latencies(0, calls, () -> requireSize(adapter.getGroup("g1k"), 1_000));
      String label = String.format(Locale.ROOT, "%,d other keys", others);
      commandsPerOp(backend, redis, "getGroup 1,000 beside " + label, calls);
      report.add(new Row(backend, "getGroup 1,000 items beside " + label + " p50", p(times, 50), "ms",
          baseP50, "same, no other keys", Target.NONE));
    }
  }

  /**
   * The hash layout (L2), in the same run as the flat figures: getGroup of 1,000 items beside
   * 1,000,000 other keys against the same read alone; getGroup of 1,000 and 10,000 items and item
   * 4's query against the Node adapter measured in the same phase (which reads one hash with
   * HGETALL); single-caller set and get against the flat layout's, measured by turns.
   */
  private void hashLayout(String backend, StreamConfig config, StreamAdapter flat, NodePeer peer)
      throws Exception {
    String name = backend + " hash";
    int size = StreamJson.toDocument(items[1], id(1)).json().getBytes(StandardCharsets.UTF_8).length;
    try (StreamAdapter hash = Streams.open(config.toBuilder().layout(StreamLayout.HASH).build());
        StreamAdapter beside = Streams.open(config.toBuilder().layout(StreamLayout.HASH).database(1).build())) {
      // The same group alone on database 0 and beside 1,000,000 other keys on database 1, read by
      // turns, so that both reads meet the same moments of the machine.
      admin.call("FLUSHALL");
      concurrently(8, 1_000, i -> hash.set("g1k", id(i), items[i]));
      concurrently(8, 1_000, i -> beside.set("g1k", id(i), items[i]));
      admin.call("SELECT", "1");
      admin.call("DEBUG", "POPULATE", "1000000", "other", Integer.toString(size));
      admin.call("SELECT", "0");
      latencies(200, 0, () -> requireSize(hash.getGroup("g1k"), 1_000));
      latencies(200, 0, () -> requireSize(beside.getGroup("g1k"), 1_000));
      long[] alone = new long[0];
      long[] crowded = new long[0];
      for (int round = 0; round < 5; round++) {
        alone = concat(alone, latencies(0, 40, () -> requireSize(hash.getGroup("g1k"), 1_000)));
        crowded = concat(crowded, latencies(0, 40, () -> requireSize(beside.getGroup("g1k"), 1_000)));
      }
      Arrays.sort(alone);
      Arrays.sort(crowded);
      report.add(new Row(name, "getGroup 1,000 items alone p50 (by turns)", p(alone, 50), "ms",
          Double.NaN, "", Target.NONE));
      report.add(new Row(name, "getGroup 1,000 beside 1,000,000 other keys p50", p(crowded, 50), "ms",
          p(alone, 50), "same, no other keys", Target.AT_MOST_1_2));
      admin.call("FLUSHALL");
      concurrently(8, 1_000, i -> hash.set("g1k", id(i), items[i]));
      concurrently(8, 10_000, i -> hash.set("g10k", id(i), items[i]));

      long[] small = latencies(50, 200, () -> requireSize(hash.getGroup("g1k"), 1_000));
      latencies(5, 0, () -> requireSize(hash.getGroup("g10k"), 10_000));
      resetStats(true);
      long[] large = latencies(0, 50, () -> requireSize(hash.getGroup("g10k"), 10_000));
      commandsPerOp(name, true, "getGroup 10,000", 50);
      Query query = Query.builder().where("status", "active")
          .orderBy("createdAt", SortDirection.DESC).limit(10).build();
      Runnable run = () -> {
        List<ObjectNode> page = hash.query("g10k", query);
        if (page.size() != 10 || !page.get(0).get("id").asText().equals(id(9_998))) {
          throw new IllegalStateException("unexpected query result " + page);
        }
      };
      latencies(5, 0, run);
      long[] queries = latencies(0, 50, run);
      double[] java = {p(small, 50), p(large, 50), p(queries, 50)};
      String[][] figures = {
          {"getGroup1k", "getGroup 1,000 items p50 (200 calls)"},
          {"getGroup10k", "getGroup 10,000 items p50 (50 calls)"},
          {"query10k", "query 10,000 items p50 (50 calls)"}};
      JsonNode node = peer == null ? null : peer.run("groups");
      for (int f = 0; f < figures.length; f++) {
        double nodeP50 = node == null ? Double.NaN : p(NodePeer.sorted(node.get(figures[f][0])), 50);
        if (node != null) {
          report.add(new Row(peerName(backend) + " (hash phase)", figures[f][1], nodeP50, "ms",
              Double.NaN, "", Target.NONE));
        }
        report.add(new Row(name, figures[f][1], java[f], "ms", nodeP50, "node, same phase",
            node == null ? Target.NONE : Target.AT_MOST_LIMIT));
      }

      // set and get by one caller, flat and hash by turns: p50 of 3 rounds of 2,000 each.
      double[][] p50 = new double[4][3];
      for (int round = 0; round < 3; round++) {
        int base = 20_000 + round * 2_000;
        int[] next = {0};
        p50[0][round] = p(latencies(200, 2_000, () -> flat.set("sg", id(base + next[0]++ % 2_000), items[1])), 50);
        next[0] = 0;
        p50[1][round] = p(latencies(200, 2_000, () -> hash.set("sg", id(base + next[0]++ % 2_000), items[1])), 50);
        next[0] = 0;
        p50[2][round] = p(latencies(200, 2_000, () -> flat.get("sg", id(base + next[0]++ % 2_000)).orElseThrow()), 50);
        next[0] = 0;
        p50[3][round] = p(latencies(200, 2_000, () -> hash.get("sg", id(base + next[0]++ % 2_000)).orElseThrow()), 50);
      }
      double[] medians = new double[4];
      for (int i = 0; i < 4; i++) {
        Arrays.sort(p50[i]);
        medians[i] = p50[i][1];
      }
      report.add(new Row(backend, "set p50, 1 caller (flat, by turns with hash)", medians[0], "ms",
          Double.NaN, "", Target.NONE));
      report.add(new Row(name, "set p50, 1 caller", medians[1], "ms", medians[0], "flat, by turns",
          Target.NONE));
      report.add(new Row(backend, "get p50, 1 caller (flat, by turns with hash)", medians[2], "ms",
          Double.NaN, "", Target.NONE));
      report.add(new Row(name, "get p50, 1 caller", medians[3], "ms", medians[2], "flat, by turns",
          Target.NONE));
      admin.call("FLUSHALL");
    }
  }

  /**
   * The Redis Cluster (L3), in each layout: set and get at {@value #CALLERS} callers (item 1's
   * workload), getGroup of 10,000 items and event latency with the writer paced (item 5's
   * diagnostic) on the run's cluster, each by turns with the same figure on the run's own server in
   * the same layout, which is the row's limit: the ratio is cluster / single server.
   */
  private void clusterPhase(String backend, StreamConfig single) throws Exception {
    long started = System.nanoTime();
    String vs = "single server, by turns";
    for (StreamLayout layout : new StreamLayout[] {StreamLayout.FLAT, StreamLayout.HASH}) {
      String name = backend + " cluster " + layout.optionValue();
      System.out.println("phase " + name);
      StreamConfig onServer = single.toBuilder().layout(layout).build();
      StreamConfig onCluster = cluster.applyTo(StreamConfig.builder()).backend(backend).layout(layout).build();
      // Each layout and backend on empty stores: what the last one left must not be read or scanned.
      admin.call("FLUSHALL");
      cluster.flushAll();
      try (StreamAdapter c = Streams.open(onCluster); StreamAdapter s = Streams.open(onServer)) {
        for (String op : new String[] {"set", "get"}) {
          // The gets ask for the items the sets wrote.
          IntConsumer onC = op.equals("set") ? workloadSet(c) : workloadGet(c);
          IntConsumer onS = op.equals("set") ? workloadSet(s) : workloadGet(s);
          concurrently(CALLERS, 20_000, onC);
          concurrently(CALLERS, 20_000, onS);
          boolean sets = op.equals("set");
          Measurement timedC = () -> concurrently(CALLERS, MULTI_OPS, onC);
          Measurement timedS = () -> concurrently(CALLERS, MULTI_OPS, onS);
          double[] ops = sets
              ? byTurns(onEmptyCluster(timedC), onEmptyCluster(timedS))
              : byTurns(timedC, timedS);
          if (sets) {
            // The gets that follow ask for every item, on both.
            concurrently(CALLERS, MULTI_OPS, onC);
            concurrently(CALLERS, MULTI_OPS, onS);
          }
          report.add(new Row(name, op + ", " + CALLERS + " callers", ops[0], "ops/s", ops[1], vs, Target.NONE));
        }

        concurrently(8, 10_000, i -> c.set("g10k", id(i), items[i]));
        concurrently(8, 10_000, i -> s.set("g10k", id(i), items[i]));
        Runnable readC = () -> requireSize(c.getGroup("g10k"), 10_000);
        Runnable readS = () -> requireSize(s.getGroup("g10k"), 10_000);
        latencies(5, 0, readC);
        latencies(5, 0, readS);
        double[] reads = byTurns(() -> p(latencies(0, 50, readC), 50), () -> p(latencies(0, 50, readS), 50));
        report.add(new Row(name, "getGroup 10,000 items p50 (50 calls)", reads[0], "ms", reads[1], vs,
            Target.NONE));

        String group = "events";
        try (StreamAdapter listenC = Streams.open(onCluster); StreamAdapter listenS = Streams.open(onServer)) {
          List<EventSeries> heardC = listen(listenC, group);
          List<EventSeries> heardS = listen(listenS, group);
          warmUp(c, group, heardC, "w-");
          warmUp(s, group, heardS, "w-");
          // New items in every run: a prefix of its own (item 5 measures creates).
          AtomicInteger run = new AtomicInteger();
          for (int percentile : new int[] {50, 99}) {
            double[] ms = byTurns(
                () -> p(sendAndAwait(c, group, heardC, "r" + run.incrementAndGet() + "-", PACED_EVENTS,
                    PACE_NANOS).sortedLatencies(), percentile),
                () -> p(sendAndAwait(s, group, heardS, "r" + run.incrementAndGet() + "-", PACED_EVENTS,
                    PACE_NANOS).sortedLatencies(), percentile));
            report.add(new Row(name, "event latency p" + percentile + ", paced 200 µs (2,000 sets)",
                ms[0], "ms", ms[1], vs, Target.NONE));
          }
          int sent = run.get() / 2 * PACED_EVENTS;
          int received = heardC.stream().filter(e -> e.prefix.startsWith("r"))
              .mapToInt(e -> e.received.get() - e.duplicates.get()).sum();
          report.add(new Row(name, String.format(Locale.ROOT, "events received, writer paced (sent %,d)", sent),
              received, "events", sent, "sent", Target.EQUAL));
        }
      } finally {
        admin.call("FLUSHALL");
        cluster.flushAll();
      }
    }
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    System.out.printf(Locale.ROOT, "cluster phase of %s: %d s%n", backend, seconds);
    report.diagnostic(backend, "seconds of the cluster phase", seconds);
  }

  // ----------------------------------------------------------------------------------------- helpers

  private static long[] concat(long[] a, long[] b) {
    long[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static void requireSize(List<ObjectNode> group, int size) {
    if (group.size() != size) {
      throw new IllegalStateException("expected " + size + " items, got " + group.size());
    }
  }

  /** How often each throughput and each limit is measured; the median is reported. */
  static final int REPEATS = 3;

  /** A figure whose measurement can fail. */
  @FunctionalInterface
  interface Measurement {
    double run() throws Exception;
  }

  /**
   * @return the measurement, run on an emptied server when {@code empty} (for a Redis backend's
   *     sets: of new ids, each one a create, as the workload says); the flush is not timed
   */
  private Measurement onEmpty(boolean empty, Measurement measurement) {
    if (!empty) {
      return measurement;
    }
    return () -> {
      admin.call("FLUSHALL");
      return measurement.run();
    };
  }

  /** @return the measurement, run once the run's server and cluster are empty: sets of new ids */
  private Measurement onEmptyCluster(Measurement measurement) {
    return () -> {
      admin.call("FLUSHALL");
      cluster.flushAll();
      return measurement.run();
    };
  }

  /**
   * @return the median of {@value #REPEATS} runs: on a shared machine one run can fall into a burst
   *     of other work, and a ratio of two single runs then says more about the burst than the code
   */
  static double median(Measurement measurement) throws Exception {
    return byTurns(measurement)[0];
  }

  /**
   * @param measurements measurements, null for one that is missing
   * @return the medians of {@value #REPEATS} runs of each, run by turns, each first in its turn
   *     (NaN for a missing one)
   */
  static double[] byTurns(Measurement... measurements) throws Exception {
    int n = measurements.length;
    double[][] runs = new double[n][REPEATS];
    for (int i = 0; i < REPEATS; i++) {
      // The order rotates: what one run leaves behind (garbage, server state, a burst of other
      // work) must not always fall on the same one.
      for (int k = 0; k < n; k++) {
        int at = (i + k) % n;
        runs[at][i] = measurements[at] == null ? Double.NaN : measurements[at].run();
      }
    }
    double[] medians = new double[n];
    for (int at = 0; at < n; at++) {
      Arrays.sort(runs[at]);
      medians[at] = runs[at][REPEATS / 2];
    }
    return medians;
  }

  /** @return ops/s of {@code count} calls on the calling thread */
  private static double onThisThread(int count, IntConsumer operation) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      operation.accept(i);
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /** @return ops/s of {@code count} calls shared by {@code callers} threads */
  static double concurrently(int callers, int count, IntConsumer operation) throws Exception {
    AtomicInteger next = new AtomicInteger();
    CountDownLatch ready = new CountDownLatch(callers);
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < callers; t++) {
      Thread thread = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            operation.accept(i);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          next.set(count);
        }
      }, "bench-caller-" + t);
      threads.add(thread);
      thread.start();
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    long elapsed = System.nanoTime() - start;
    if (failure.get() != null) {
      throw new IllegalStateException("a caller failed", failure.get());
    }
    return count / (elapsed / 1e9);
  }

  /** @return the sorted durations, in nanoseconds, of {@code calls} runs after {@code warmUp} runs */
  private static long[] latencies(int warmUp, int calls, Runnable operation) {
    for (int i = 0; i < warmUp; i++) {
      operation.run();
    }
    long[] times = new long[calls];
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      operation.run();
      times[i] = System.nanoTime() - start;
    }
    Arrays.sort(times);
    return times;
  }

  /** @return the nearest-rank percentile of sorted nanoseconds, in milliseconds */
  static double p(long[] sorted, int percentile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  private void resetStats(boolean redis) {
    if (redis) {
      admin.call("CONFIG", "RESETSTAT");
    }
  }

  /** Records the server's command counts since the last reset, per operation (round trips). */
  private void commandsPerOp(String backend, boolean redis, String phase, int operations) {
    if (!redis) {
      return;
    }
    String stats = (String) admin.call("INFO", "commandstats");
    Map<String, Double> perOp = new LinkedHashMap<>();
    for (String line : stats.split("\\R")) {
      if (!line.startsWith("cmdstat_")) {
        continue;
      }
      String command = line.substring("cmdstat_".length(), line.indexOf(':'));
      if (command.equals("info") || command.startsWith("config")) {
        continue;
      }
      long calls = Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
      perOp.put(command, Math.round(calls * 1000.0 / operations) / 1000.0);
    }
    report.diagnostic(backend, phase + ": server commands per op", perOp);
  }
}
