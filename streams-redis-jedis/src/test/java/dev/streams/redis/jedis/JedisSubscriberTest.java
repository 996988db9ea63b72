package dev.streams.redis.jedis;

import dev.streams.redis.testing.RedisSubscriberContract;
import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;

/** The subscriber connection: present with the channel set, restored after a loss (E7). */
@DisplayName("redis-jedis subscriber connection")
class JedisSubscriberTest extends RedisSubscriberContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new JedisStreamsProvider();
  }
}
