package dev.streams.redis.lettuce;

import dev.streams.StreamLayout;
import dev.streams.redis.testing.RedisClusterExtension;
import dev.streams.redis.testing.RedisClusterTckStore;
import dev.streams.tck.StreamsTck;
import dev.streams.tck.TckStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("TCK on the redis-lettuce backend, Redis Cluster, hash layout")
class LettuceClusterHashTckTest extends StreamsTck {

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.primariesOnly();

  @Override
  protected StreamLayout layout() {
    return StreamLayout.HASH;
  }

  @Override
  protected TckStore newStore() {
    return new RedisClusterTckStore(cluster, new LettuceStreamsProvider(), layout());
  }
}
