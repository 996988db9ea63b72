package dev.streams.redis.jedis;

import dev.streams.StreamAdapterProvider;
import dev.streams.redis.testing.LeastPrivilegeTck;
import org.junit.jupiter.api.DisplayName;

@DisplayName("TCK on the redis-jedis backend as the least-privilege ACL user")
class JedisLeastPrivilegeTckTest extends LeastPrivilegeTck {

  @Override
  protected StreamAdapterProvider provider() {
    return new JedisStreamsProvider();
  }
}
