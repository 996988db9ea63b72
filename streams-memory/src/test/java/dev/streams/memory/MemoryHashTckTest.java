package dev.streams.memory;

import dev.streams.StreamLayout;
import org.junit.jupiter.api.DisplayName;

@DisplayName("TCK on the memory backend, hash layout")
class MemoryHashTckTest extends MemoryTckTest {

  @Override
  protected StreamLayout layout() {
    return StreamLayout.HASH;
  }
}
