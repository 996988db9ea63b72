package dev.streams.redis.testing;

import dev.streams.StreamAdapterProvider;
import dev.streams.tck.StreamsTck;
import dev.streams.tck.TckStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole TCK on a Redis Cluster as the README's least-privilege ACL user with its cluster
 * commands ({@link RedisLeastPrivilege#CLUSTER_COMMANDS}): proves the rule sufficient there (K4,
 * L3). A backend's test extends it, names its provider and picks the layout ({@link #layout()}).
 */
public abstract class ClusterLeastPrivilegeTck extends StreamsTck {

  /** The shared cluster, on whose every node the user is created for each test. */
  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.primariesOnly();

  /** For a backend's test. */
  protected ClusterLeastPrivilegeTck() {}

  /** @return the provider of the backend under test */
  protected abstract StreamAdapterProvider provider();

  @AfterAll
  static void deleteUser() {
    RedisLeastPrivilege.delete(cluster.cluster());
  }

  @Override
  protected final TckStore newStore() {
    RedisLeastPrivilege.create(cluster.cluster(), RedisLeastPrivilege.TCK_PREFIXES);
    return RedisClusterTckStore.asUser(cluster, provider(), layout(), RedisLeastPrivilege.USER,
        RedisLeastPrivilege.PASSWORD);
  }
}
