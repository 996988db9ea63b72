package dev.streams.redis.jedis;

import dev.streams.redis.testing.RedisConfigurationContract;
import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;

/** C1–C4 and K7 on a real server: the scenarios every Redis backend runs. */
@DisplayName("redis-jedis configuration against a real server")
class JedisConfigurationTest extends RedisConfigurationContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new JedisStreamsProvider();
  }
}
