package dev.streams.redis.lettuce;

import dev.streams.StreamAdapterProvider;
import dev.streams.redis.testing.ClusterFaultKit;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Redis Cluster faults on the redis-lettuce backend")
class LettuceClusterFaultTest extends ClusterFaultKit {

  @Override
  protected StreamAdapterProvider provider() {
    return new LettuceStreamsProvider();
  }
}
