package dev.streams.redis.jedis;

import dev.streams.redis.testing.RedisServerExtension;
import dev.streams.redis.testing.RedisTckStore;
import dev.streams.tck.StreamsTck;
import dev.streams.tck.TckStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("TCK on the redis-jedis backend")
class JedisTckTest extends StreamsTck {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Override
  protected TckStore newStore() {
    return new RedisTckStore(redis, new JedisStreamsProvider());
  }
}
