package dev.streams.redis.lettuce;

import dev.streams.redis.testing.RedisClusterExtension;
import dev.streams.redis.testing.RedisClusterTckStore;
import dev.streams.tck.StreamsTck;
import dev.streams.tck.TckStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("TCK on the redis-lettuce backend, Redis Cluster")
class LettuceClusterTckTest extends StreamsTck {

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.primariesOnly();

  @Override
  protected TckStore newStore() {
    return new RedisClusterTckStore(cluster, new LettuceStreamsProvider(), layout());
  }
}
