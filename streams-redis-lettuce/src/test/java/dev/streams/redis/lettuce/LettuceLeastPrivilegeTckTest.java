package dev.streams.redis.lettuce;

import dev.streams.StreamAdapterProvider;
import dev.streams.redis.testing.LeastPrivilegeTck;
import org.junit.jupiter.api.DisplayName;

@DisplayName("TCK on the redis-lettuce backend as the least-privilege ACL user")
class LettuceLeastPrivilegeTckTest extends LeastPrivilegeTck {

  @Override
  protected StreamAdapterProvider provider() {
    return new LettuceStreamsProvider();
  }
}
