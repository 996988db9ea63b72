package dev.streams.redis.jedis;

import dev.streams.redis.testing.RedisLargeGroupContract;
import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;

/** Issue 5's 100,000-item group in bounded memory on redis-jedis. */
@DisplayName("redis-jedis with a group of 100,000 items")
class JedisLargeGroupTest extends RedisLargeGroupContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new JedisStreamsProvider();
  }
}
