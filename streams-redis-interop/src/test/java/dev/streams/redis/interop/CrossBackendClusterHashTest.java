package dev.streams.redis.interop;

import dev.streams.StreamLayout;
import dev.streams.redis.testing.RedisClusterExtension;
import dev.streams.redis.testing.RedisClusterTckStore;
import dev.streams.tck.TckStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("redis-jedis and redis-lettuce on one Redis Cluster, hash layout")
class CrossBackendClusterHashTest extends CrossBackendTests {

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.primariesOnly();

  @Override
  TckStore newStore() {
    return new RedisClusterTckStore(cluster, JEDIS, layout());
  }

  @Override
  StreamLayout layout() {
    return StreamLayout.HASH;
  }
}
