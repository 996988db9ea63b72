package dev.streams.redis.jedis;

import dev.streams.StreamAdapterProvider;
import dev.streams.StreamLayout;
import dev.streams.redis.testing.ClusterLeastPrivilegeTck;
import org.junit.jupiter.api.DisplayName;

@DisplayName("TCK on the redis-jedis backend, Redis Cluster, hash layout, as the least-privilege ACL user")
class JedisClusterLeastPrivilegeTckTest extends ClusterLeastPrivilegeTck {

  @Override
  protected StreamLayout layout() {
    return StreamLayout.HASH;
  }

  @Override
  protected StreamAdapterProvider provider() {
    return new JedisStreamsProvider();
  }
}
