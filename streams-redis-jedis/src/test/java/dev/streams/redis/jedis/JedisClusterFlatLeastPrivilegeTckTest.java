package dev.streams.redis.jedis;

import dev.streams.StreamAdapterProvider;
import dev.streams.StreamLayout;
import dev.streams.redis.testing.ClusterLeastPrivilegeTck;
import org.junit.jupiter.api.DisplayName;

@DisplayName("TCK on the redis-jedis backend, Redis Cluster, flat layout, as the least-privilege ACL user")
class JedisClusterFlatLeastPrivilegeTckTest extends ClusterLeastPrivilegeTck {

  @Override
  protected StreamLayout layout() {
    return StreamLayout.FLAT;
  }

  @Override
  protected StreamAdapterProvider provider() {
    return new JedisStreamsProvider();
  }
}
