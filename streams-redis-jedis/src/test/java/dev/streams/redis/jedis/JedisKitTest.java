package dev.streams.redis.jedis;

import dev.streams.StreamAdapterProvider;
import dev.streams.redis.testing.RedisBackendKit;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Redis kit on the redis-jedis backend")
class JedisKitTest extends RedisBackendKit {

  @Override
  protected StreamAdapterProvider provider() {
    return new JedisStreamsProvider();
  }
}
