package dev.streams.redis.jedis;

import dev.streams.redis.testing.RedisTlsContract;
import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;

/** TLS to a redis-server TLS port with a certificate the test makes, on redis-jedis. */
@DisplayName("redis-jedis over TLS")
class JedisTlsTest extends RedisTlsContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new JedisStreamsProvider();
  }
}
