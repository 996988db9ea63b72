package dev.streams;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API module brings no Redis client and no backend with it: users choose those. */
class ApiClasspathTest {

  @ParameterizedTest
  @ValueSource(strings = {"redis.clients.jedis.Jedis", "io.lettuce.core.RedisClient",
      "dev.streams.memory.MemoryStreamsProvider"})
  void classIsNotOnTheApiClasspath(String className) {
    assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
  }
}
