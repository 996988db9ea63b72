package dev.streams.redis.lettuce;

import dev.streams.redis.testing.RedisLargeGroupContract;
import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;

/** Issue 5's 100,000-item group in bounded memory on redis-lettuce. */
@DisplayName("redis-lettuce with a group of 100,000 items")
class LettuceLargeGroupTest extends RedisLargeGroupContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new LettuceStreamsProvider();
  }
}
