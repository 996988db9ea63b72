package dev.streams.redis.jedis;

import dev.streams.StreamLayout;
import dev.streams.redis.testing.RedisServerExtension;
import dev.streams.redis.testing.RedisTckStore;
import dev.streams.tck.StreamsTck;
import dev.streams.tck.TckStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("TCK on the redis-jedis backend, hash layout")
class JedisHashTckTest extends StreamsTck {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Override
  protected StreamLayout layout() {
    return StreamLayout.HASH;
  }

  @Override
  protected TckStore newStore() {
    return new RedisTckStore(redis, new JedisStreamsProvider());
  }
}
