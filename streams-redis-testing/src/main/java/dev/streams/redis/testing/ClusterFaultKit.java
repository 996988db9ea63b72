package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.ReconnectStrategy;
import dev.streams.StreamAdapter;
import dev.streams.StreamAdapterProvider;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.StreamEvent;
import dev.streams.StreamLayout;
import dev.streams.redis.server.RedisClusterProcess;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.tck.EventRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis backend on a cluster whose topology changes under it (L3, E7, C4), under the {@code hash}
 * layout, where a group's events travel by sharded pub/sub on the node that owns its slot: a primary
 * killed and its replica promoted, and a group's slot migrated to another primary, each while one
 * adapter writes and another listens. Calls fail fast during the switch and succeed after it with no
 * action by the user; each subscription on the moved slot is resubscribed and each of its handlers
 * gets one {@code sync} {@code {"reason":"resubscribed"}}, then live events; what is acknowledged
 * stays, but for what Redis's asynchronous replication itself loses in a failover (measured, logged).
 *
 * <p>The adapters log in as the README's least-privilege user ({@link RedisLeastPrivilege}, created
 * on every node, replicas too, before each test): a promoted replica must let that user in, and
 * what the clients send through a failover or a slot move must be within the rule (K4), which each
 * live node's {@code ACL LOG} tells after the test.
 *
 * <p>A backend's test extends it and names its provider. The group id has braces and glob characters
 * (L2: its slot is that of its whole tag).
 */
public abstract class ClusterFaultKit {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterFaultKit.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
  /** What "fail fast" allows beyond the timeouts: scheduling on a loaded 2-core machine. */
  private static final Duration MARGIN = Duration.ofMillis(1500);
  private static final Duration WAIT = EventRecorder.patience();
  /** The writer's bound, whatever happens: it never writes more than this many items. */
  private static final int MAX_WRITES = 20_000;
  private static final String GROUP = "fault{g}*?[a]";

  /** A cluster of 3 primaries with one replica each, flushed before each test. */
  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.withReplicas().flushBetweenTests();

  private final List<StreamAdapter> opened = new ArrayList<>();
  private final List<RedisClusterProcess.Node> killed = new ArrayList<>();

  /** @return the backend under test */
  protected abstract StreamAdapterProvider provider();

  @BeforeEach
  void createLeastPrivilegeUser() {
    RedisLeastPrivilege.clearRefusals(cluster.cluster());
    RedisLeastPrivilege.create(cluster.cluster(), RedisLeastPrivilege.TCK_PREFIXES);
  }

  /**
   * The ACL logs are read before the killed nodes come back: a restarted node has lost its users
   * (ACL rules live in each node's memory), and the next test creates them again.
   */
  @AfterEach
  void closeAdaptersCheckAclLogsAndRestartKilledNodes() {
    opened.forEach(StreamAdapter::close);
    try {
      RedisLeastPrivilege.requireNothingRefused(cluster.cluster());
    } finally {
      killed.forEach(node -> cluster.cluster().restart(node));
    }
  }

  private StreamAdapter open() {
    List<String> seeds = new ArrayList<>();
    for (RedisEndpoint seed : cluster.seeds()) {
      seeds.add(seed.host() + ":" + seed.port());
    }
    StreamAdapter adapter = provider().open(StreamConfig.builder().clusterNodes(seeds)
        .username(RedisLeastPrivilege.USER).password(RedisLeastPrivilege.PASSWORD)
        .layout(StreamLayout.HASH).connectTimeout(CONNECT_TIMEOUT).commandTimeout(COMMAND_TIMEOUT)
        .reconnectStrategy(attempt -> ReconnectStrategy.retryAfter(Duration.ofMillis(100))).build());
    opened.add(adapter);
    return adapter;
  }

  @Test
  @DisplayName("L3 — a killed primary's replica takes over: calls fail fast, then succeed; the group's subscriptions get one sync each (E7), then live events")
  void killedPrimaryIsFailedOver() {
    Scene scene = new Scene();
    RedisClusterProcess.Node owner = scene.owner();
    Writer writer = scene.startWriter();
    writer.awaitMoreAcknowledged(20);
    long killedAt = System.nanoTime();
    RedisClusterProcess.Node promoted = cluster.cluster().killPrimary(owner);
    killed.add(owner);
    LOG.info("{} killed; {} took over its slots after {} ms", owner, promoted,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
    int acknowledgedBeforeTakeover = writer.acknowledged.size();
    writer.awaitMoreAcknowledged(20);
    writer.stop();

    writer.requireOnlyFastConnectionFailures();
    scene.requireOneResubscribedSyncThenLiveEvents();
    // Redis replicates asynchronously: what the old primary acknowledged but had not passed on is
    // gone. Everything acknowledged once the replica had taken over must be there.
    Set<String> stored = scene.storedIds();
    List<String> lost = writer.acknowledged.stream().filter(id -> !stored.contains(id)).toList();
    LOG.info("failover: {} writes acknowledged, {} failed, {} acknowledged writes lost {}",
        writer.acknowledged.size(), writer.failures.size(), lost.size(), lost);
    assertThat(lost).as("acknowledged writes missing after the failover")
        .allSatisfy(id -> assertThat(writer.acknowledged.indexOf(id))
            .as("%s was acknowledged after the replica took over", id)
            .isLessThan(acknowledgedBeforeTakeover));
  }

  @Test
  @DisplayName("L3 — a group's slot migrates to another primary: no acknowledged write is lost; the group's subscriptions get one sync each (E7), then live events")
  void migratedSlotIsFollowed() {
    Scene scene = new Scene();
    RedisClusterProcess.Node owner = scene.owner();
    RedisClusterProcess.Node target = cluster.cluster().primaries().stream()
        .filter(node -> !node.equals(owner)).findFirst().orElseThrow();
    Writer writer = scene.startWriter();
    writer.awaitMoreAcknowledged(20);
    cluster.cluster().migrateSlot(scene.slot(), target);
    LOG.info("slot {} moved from {} to {}", scene.slot(), owner, target);
    writer.awaitMoreAcknowledged(20);
    writer.stop();

    writer.requireOnlyFastConnectionFailures();
    scene.requireOneResubscribedSyncThenLiveEvents();
    Set<String> stored = scene.storedIds();
    assertThat(writer.acknowledged).as("acknowledged writes missing after the move")
        .allSatisfy(id -> assertThat(stored).contains(id));
    LOG.info("migration: {} writes acknowledged, {} failed", writer.acknowledged.size(), writer.failures.size());
  }

  /** A writer adapter, a listener adapter with handlers on the group and on one item, both seen live. */
  private final class Scene {
    final StreamAdapter writerAdapter = open();
    final StreamAdapter listener = open();
    final EventRecorder groupLog = new EventRecorder("group handler");
    final EventRecorder itemLog = new EventRecorder("item handler");

    Scene() {
      listener.subscribe(StreamChannel.group(GROUP), groupLog);
      listener.subscribe(StreamChannel.item(GROUP, "x"), itemLog);
      writerAdapter.set(GROUP, "x", document(0));
      groupLog.awaitTypes(StreamEvent.CREATE);
      itemLog.awaitTypes(StreamEvent.CREATE);
    }

    int slot() {
      return cluster.cluster().slotOf(writerAdapter.dataKey(GROUP, "x"));
    }

    RedisClusterProcess.Node owner() {
      return cluster.cluster().ownerOfSlot(slot());
    }

    Writer startWriter() {
      return new Writer(writerAdapter);
    }

    /**
     * Each handler's one sync, then the event of a set made after the switch; nothing else but the
     * writer's creates on the group channel.
     */
    void requireOneResubscribedSyncThenLiveEvents() {
      for (EventRecorder log : List.of(groupLog, itemLog)) {
        log.awaitEvent(StreamEvent::isSync);
      }
      await("a set after the switch").atMost(WAIT).ignoreException(StreamConnectionException.class)
          .until(() -> {
            writerAdapter.set(GROUP, "x", document(1));
            return true;
          });
      for (EventRecorder log : List.of(groupLog, itemLog)) {
        log.awaitEvent(event -> StreamEvent.UPDATE.equals(event.type())
            && event.data().path("v").asInt() == 1);
        List<StreamEvent> syncs = log.events().stream().filter(StreamEvent::isSync).toList();
        assertThat(syncs).as("syncs of the %s", log).hasSize(1);
        assertThat(syncs.get(0).data().path("reason").asText()).isEqualTo(StreamEvent.REASON_RESUBSCRIBED);
        List<String> types = log.types();
        assertThat(types.indexOf(StreamEvent.SYNC))
            .as("the sync comes before the live update: %s", types)
            .isLessThan(types.lastIndexOf(StreamEvent.UPDATE));
        assertThat(types).as("events of the %s", log)
            .containsOnly(StreamEvent.CREATE, StreamEvent.UPDATE, StreamEvent.SYNC);
      }
    }

    Set<String> storedIds() {
      Set<String> ids = new HashSet<>();
      await("the group to be readable").atMost(WAIT).ignoreException(StreamConnectionException.class)
          .until(() -> {
            ids.clear();
            writerAdapter.getGroup(GROUP).forEach(item -> ids.add(item.path("id").asText()));
            return true;
          });
      return ids;
    }
  }

  /** Sets items w1, w2, ... one after the other on a thread of its own, until stopped or bounded. */
  private static final class Writer {
    final List<String> acknowledged = new CopyOnWriteArrayList<>();
    /** Milliseconds each failed call took. */
    final List<Long> failures = new CopyOnWriteArrayList<>();
    final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    final AtomicBoolean stop = new AtomicBoolean();
    final Thread thread;

    Writer(StreamAdapter adapter) {
      thread = new Thread(() -> {
        long deadline = System.nanoTime() + WAIT.multipliedBy(4).toNanos();
        for (int n = 1; n <= MAX_WRITES && !stop.get() && System.nanoTime() < deadline; n++) {
          String id = "w" + n;
          long start = System.nanoTime();
          try {
            adapter.set(GROUP, id, document(n));
            acknowledged.add(id);
          } catch (StreamConnectionException e) {
            failures.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            pace();
          } catch (RuntimeException e) {
            unexpected.add(e);
            return;
          }
        }
      }, "cluster-fault-writer");
      thread.setDaemon(true);
      thread.start();
    }

    void awaitMoreAcknowledged(int more) {
      int target = acknowledged.size() + more;
      await("the writer to have " + target + " acknowledged writes").atMost(WAIT)
          .until(() -> acknowledged.size() >= target || !thread.isAlive());
      assertThat(unexpected).as("writer failures other than StreamConnectionException").isEmpty();
      assertThat(acknowledged.size()).as("acknowledged writes (the writer ended early?)")
          .isGreaterThanOrEqualTo(target);
    }

    void stop() {
      stop.set(true);
      try {
        thread.join(WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      assertThat(thread.isAlive()).as("writer still running").isFalse();
    }

    void requireOnlyFastConnectionFailures() {
      assertThat(unexpected).as("writer failures other than StreamConnectionException").isEmpty();
      long bound = CONNECT_TIMEOUT.plus(COMMAND_TIMEOUT).plus(MARGIN).toMillis();
      assertThat(failures).as("milliseconds of each failed set (bound %d)", bound)
          .allSatisfy(millis -> assertThat(millis).isLessThanOrEqualTo(bound));
    }

    private static void pace() {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ObjectNode document(int version) {
    return JsonNodeFactory.instance.objectNode().put("v", version);
  }
}
