package dev.streams.redis.lettuce;

import dev.streams.redis.testing.RedisTlsContract;
import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;

/** TLS to a redis-server TLS port with a certificate the test makes, on redis-lettuce. */
@DisplayName("redis-lettuce over TLS")
class LettuceTlsTest extends RedisTlsContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new LettuceStreamsProvider();
  }
}
