package dev.streams.redis.lettuce;

import dev.streams.redis.testing.RedisKeepAliveContract;
import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;

/** The subscriber keepalive (a silently dead path is reconnected, a healthy idle one left alone) on redis-lettuce. */
@DisplayName("redis-lettuce subscriber keepalive")
class LettuceKeepAliveTest extends RedisKeepAliveContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new LettuceStreamsProvider();
  }
}
