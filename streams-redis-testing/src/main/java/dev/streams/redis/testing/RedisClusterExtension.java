package dev.streams.redis.testing;

import dev.streams.redis.server.RedisClusterProcess;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.server.RedisServerProcess;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a Redis Cluster of its own: 3 primaries on free loopback ports, with or without
 * a replica each, started before the class and stopped after it. It needs {@code redis-server} and
 * {@code redis-cli} on the PATH and fails, never skips, without them. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisClusterExtension cluster = RedisClusterExtension.withReplicas().flushBetweenTests();
 *
 * List<RedisEndpoint> seeds = cluster.seeds();
 * }</pre>
 *
 * <p>Nested test classes share the cluster of the class that registers the extension.
 *
 * <p>A test that kills, pauses or moves slots changes the cluster for the tests after it in the class
 * (a flush removes keys, it does not restart nodes): restart what it killed, or give it a class of its own.
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

  private final int replicasPerPrimary;
  private final boolean flushBetweenTests;
  private volatile RedisClusterProcess cluster;
  /** The class context that started the cluster: JUnit calls beforeAll again for each nested class. */
  private volatile String startedBy;

  private RedisClusterExtension(int replicasPerPrimary, boolean flushBetweenTests) {
    this.replicasPerPrimary = replicasPerPrimary;
    this.flushBetweenTests = flushBetweenTests;
  }

  /** @return a cluster of 3 primaries without replicas */
  public static RedisClusterExtension primariesOnly() {
    return new RedisClusterExtension(0, false);
  }

  /** @return a cluster of 3 primaries with one replica each, for failovers */
  public static RedisClusterExtension withReplicas() {
    return new RedisClusterExtension(1, false);
  }

  /** @return this extension, removing every key from every primary before each test */
  public RedisClusterExtension flushBetweenTests() {
    return new RedisClusterExtension(replicasPerPrimary, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (cluster != null) {
      return;
    }
    RedisServerExtension.requireRedisServer();
    requireRedisCli();
    cluster = RedisClusterProcess.builder().primaries(3).replicasPerPrimary(replicasPerPrimary).start();
    startedBy = context.getUniqueId();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (flushBetweenTests) {
      cluster().flushAll();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!context.getUniqueId().equals(startedBy)) {
      return;
    }
    RedisClusterProcess running = cluster;
    cluster = null;
    if (running != null) {
      running.close();
    }
  }

  /**
   * The check for {@code redis-cli}, beside {@code RedisServerExtension.requireRedisServer()}'s for
   * {@code redis-server}: it joins the nodes into a cluster.
   *
   * @throws IllegalStateException saying what to install
   */
  static void requireRedisCli() {
    String override = RedisServerExtension.searchPathOverride;
    RedisServerProcess.findProgram("redis-cli", override != null ? override : System.getenv("PATH"))
        .orElseThrow(() -> new IllegalStateException(
            "redis-cli is not on the PATH, and this test starts a Redis Cluster: install it"
                + " (Debian package redis-tools: apt-get install redis-tools; .ci/run does this)"));
  }

  /** @return the running cluster, to ask which node owns a key, kill, restart, pause or move slots */
  public RedisClusterProcess cluster() {
    RedisClusterProcess running = cluster;
    if (running == null) {
      throw new IllegalStateException("The Redis Cluster is available once the test class starts:"
          + " register RedisClusterExtension on a static field");
    }
    return running;
  }

  /** @return the endpoints of the nodes that run now, for a cluster client to start from */
  public List<RedisEndpoint> seeds() {
    return cluster().seeds();
  }
}
