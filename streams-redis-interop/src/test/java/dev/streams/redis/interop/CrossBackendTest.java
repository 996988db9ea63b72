package dev.streams.redis.interop;

import dev.streams.StreamLayout;
import dev.streams.redis.testing.RedisServerExtension;
import dev.streams.redis.testing.RedisTckStore;
import dev.streams.tck.TckStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("redis-jedis and redis-lettuce on one server, flat layout")
class CrossBackendTest extends CrossBackendTests {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Override
  TckStore newStore() {
    return new RedisTckStore(redis, JEDIS);
  }

  @Override
  StreamLayout layout() {
    return StreamLayout.FLAT;
  }
}
