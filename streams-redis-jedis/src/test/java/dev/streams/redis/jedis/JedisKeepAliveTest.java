package dev.streams.redis.jedis;

import dev.streams.redis.testing.RedisKeepAliveContract;
import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;

/** The subscriber keepalive (a silently dead path is reconnected, a healthy idle one left alone) on redis-jedis. */
@DisplayName("redis-jedis subscriber keepalive")
class JedisKeepAliveTest extends RedisKeepAliveContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new JedisStreamsProvider();
  }
}
