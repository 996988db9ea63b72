package dev.streams.redis.lettuce;

import dev.streams.redis.testing.RedisSecurityContract;
import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;

/** C3 on redis-lettuce: no password in logs, exceptions or toString, also under faults. */
@DisplayName("redis-lettuce keeps the password secret")
class LettuceSecurityTest extends RedisSecurityContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new LettuceStreamsProvider();
  }
}
