package dev.streams.redis.lettuce;

import dev.streams.redis.testing.RedisConfigurationContract;
import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;

/** C1–C4 and K7 on a real server: the scenarios every Redis backend runs. */
@DisplayName("redis-lettuce configuration against a real server")
class LettuceConfigurationTest extends RedisConfigurationContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new LettuceStreamsProvider();
  }
}
