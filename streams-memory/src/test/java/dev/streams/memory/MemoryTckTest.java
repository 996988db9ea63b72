package dev.streams.memory;

import dev.streams.tck.StreamsTck;
import dev.streams.tck.TckStore;
import org.junit.jupiter.api.DisplayName;

@DisplayName("TCK on the memory backend")
class MemoryTckTest extends StreamsTck {

  @Override
  protected TckStore newStore() {
    return new MemoryTckStore();
  }
}
