package dev.streams.redis.jedis;

import dev.streams.redis.testing.RedisSecurityContract;
import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;

/** C3 on redis-jedis: no password in logs, exceptions or toString, also under faults. */
@DisplayName("redis-jedis keeps the password secret")
class JedisSecurityTest extends RedisSecurityContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new JedisStreamsProvider();
  }
}
