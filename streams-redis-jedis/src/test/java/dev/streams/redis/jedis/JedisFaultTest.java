package dev.streams.redis.jedis;

import dev.streams.redis.testing.RedisFaultContract;
import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;

/** Issue 5's server faults (crash, pause, writes under a pause, reconnect strategy) on redis-jedis. */
@DisplayName("redis-jedis under server faults")
class JedisFaultTest extends RedisFaultContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new JedisStreamsProvider();
  }
}
