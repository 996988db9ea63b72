package dev.streams.redis.lettuce;

import dev.streams.StreamAdapterProvider;
import dev.streams.StreamLayout;
import dev.streams.redis.testing.ClusterLeastPrivilegeTck;
import org.junit.jupiter.api.DisplayName;

@DisplayName("TCK on the redis-lettuce backend, Redis Cluster, hash layout, as the least-privilege ACL user")
class LettuceClusterLeastPrivilegeTckTest extends ClusterLeastPrivilegeTck {

  @Override
  protected StreamLayout layout() {
    return StreamLayout.HASH;
  }

  @Override
  protected StreamAdapterProvider provider() {
    return new LettuceStreamsProvider();
  }
}
