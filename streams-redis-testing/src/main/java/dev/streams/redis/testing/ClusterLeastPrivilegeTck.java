package dev.streams.redis.testing;

import dev.streams.StreamAdapterProvider;
import dev.streams.tck.StreamsTck;
import dev.streams.tck.TckStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole TCK on a Redis Cluster as the README's least-privilege ACL user with its cluster
 * commands ({@link RedisLeastPrivilege#CLUSTER_COMMANDS}): proves the rule sufficient there (K4,
 * L3). A backend's test extends it, names its provider and picks the layout ({@link #layout()}):
 * {@code hash}, whose sharded pub/sub is what a cluster adds to the single server's commands.
 *
 * <p>The cluster has replicas: the clients reach them too (Lettuce's topology refresh asks every
 * node it knows), so the user must be let in there as well, and their ACL logs are checked like
 * the primaries'.
 */
public abstract class ClusterLeastPrivilegeTck extends StreamsTck {

  /** The shared cluster, on whose every node, replicas too, the user is created for each test. */
  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.withReplicas();

  /** For a backend's test. */
  protected ClusterLeastPrivilegeTck() {}

  /** @return the provider of the backend under test */
  protected abstract StreamAdapterProvider provider();

  @AfterAll
  static void deleteUser() {
    RedisLeastPrivilege.delete(cluster.cluster());
  }

  /**
   * A refused command the client shrugs off (a topology refresh, say) fails no clause: Redis's ACL
   * log on each node tells of it.
   */
  @AfterEach
  void noCommandWasRefused() {
    RedisLeastPrivilege.requireNothingRefused(cluster.cluster());
  }

  @Override
  protected final TckStore newStore() {
    RedisLeastPrivilege.clearRefusals(cluster.cluster());
    RedisLeastPrivilege.create(cluster.cluster(), RedisLeastPrivilege.TCK_PREFIXES);
    return RedisClusterTckStore.asUser(cluster, provider(), layout(), RedisLeastPrivilege.USER,
        RedisLeastPrivilege.PASSWORD);
  }
}
