package dev.streams.redis.lettuce;

import dev.streams.redis.testing.RedisFaultContract;
import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;

/** Issue 5's server faults (crash, pause, writes under a pause, reconnect strategy) on redis-lettuce. */
@DisplayName("redis-lettuce under server faults")
class LettuceFaultTest extends RedisFaultContract {

  @Override
  protected StreamAdapterProvider provider() {
    return new LettuceStreamsProvider();
  }
}
