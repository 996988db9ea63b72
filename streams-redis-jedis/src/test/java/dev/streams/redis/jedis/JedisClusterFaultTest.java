package dev.streams.redis.jedis;

import dev.streams.StreamAdapterProvider;
import dev.streams.redis.testing.ClusterFaultKit;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Redis Cluster faults on the redis-jedis backend")
class JedisClusterFaultTest extends ClusterFaultKit {

  @Override
  protected StreamAdapterProvider provider() {
    return new JedisStreamsProvider();
  }
}
