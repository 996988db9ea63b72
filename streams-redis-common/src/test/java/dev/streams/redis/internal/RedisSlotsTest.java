package dev.streams.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedisSlotsTest {

  @Test
  @DisplayName("slots match the Redis Cluster specification's examples and honour hash tags")
  void knownSlots() {
    // CRC16 of "123456789" is 0x31C3 in the specification.
    assertThat(RedisSlots.crc16("123456789".getBytes(), 0, 9)).isEqualTo(0x31C3);
    assertThat(RedisSlots.slot("foo")).isEqualTo(12182);
    assertThat(RedisSlots.slot("{user1000}.following")).isEqualTo(RedisSlots.slot("user1000"));
    // An empty tag does not count: the whole key is hashed.
    byte[] whole = "foo{}{bar}".getBytes();
    assertThat(RedisSlots.slot("foo{}{bar}")).isEqualTo(RedisSlots.crc16(whole, 0, whole.length) % 16384);
    assertThat(RedisSlots.slot("foo{{bar}}zap")).isEqualTo(RedisSlots.slot("{bar"));
  }

  @Test
  @DisplayName("batches hold keys of one slot, at most the batch size, without duplicates")
  void batches() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      keys.add("motia:stream:g:" + i);
    }
    keys.add("motia:stream:g:7");
    List<List<String>> batches = RedisSlots.batchesBySlot(keys, 3);
    assertThat(batches).allSatisfy(batch -> {
      assertThat(batch).hasSizeBetween(1, 3);
      assertThat(batch).extracting(RedisSlots::slot).containsOnly(RedisSlots.slot(batch.get(0)));
    });
    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(1000);
  }
}
