package dev.streams.redis.lettuce;

import dev.streams.StreamAdapterProvider;
import dev.streams.redis.testing.RedisBackendKit;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Redis kit on the redis-lettuce backend")
class LettuceKitTest extends RedisBackendKit {

  @Override
  protected StreamAdapterProvider provider() {
    return new LettuceStreamsProvider();
  }
}
