package dev.streams.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamLayout;
import dev.streams.redis.server.RedisServerProcess;
import dev.streams.redis.server.RespConnection;
import dev.streams.redis.testing.RedisServerExtension;
import java.time.Duration;
import dev.streams.spi.KeyLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * L2: under the hash layout every key and channel of one group shares one hash slot, whatever the
 * group id (braces, the escape character, non-ASCII) and the item id, as the server itself computes
 * it ({@code CLUSTER KEYSLOT}, which a cluster-enabled redis-server answers before it has any slot).
 */
class HashLayoutSlotsTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static final String SEED_PROPERTY = "streams.tck.seed";
  private static final String[] PARTS = {"{", "}", "%", "%7D", "%25", "a", "Z", "é", "😀", "*", " ", "{}"};

  private static String randomName(Random random, boolean id) {
    StringBuilder name = new StringBuilder();
    for (int i = 1 + random.nextInt(5); i > 0; i--) {
      name.append(PARTS[random.nextInt(PARTS.length)]);
    }
    if (id && random.nextBoolean()) {
      name.append(':').append(PARTS[random.nextInt(PARTS.length)]);
    }
    return name.toString();
  }

  @Test
  @DisplayName("L2 — the group's hash, its group channel and its item channels share the slot of the group's tag, on the server's own count")
  void everyNameOfAGroupSharesOneSlot() {
    long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
    String replay = "seed=" + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")";
    Random random = new Random(seed);
    KeyLayout hash = new KeyLayout("motia:stream:", "motia:stream:events:", StreamLayout.HASH);
    try (RedisServerProcess server = redis.startServer("--cluster-enabled", "yes");
        RespConnection connection = RespConnection.open(server.endpoint(), Duration.ofSeconds(10))) {
      check(connection, hash, random, replay);
    }
  }

  private static int serverSlot(RespConnection connection, String name) {
    return ((Number) connection.call("CLUSTER", "KEYSLOT", name)).intValue();
  }

  private static void check(RespConnection connection, KeyLayout hash, Random random, String replay) {
    List<String> groups = new ArrayList<>(List.of("users", "}", "{", "}x", "a}b{c", "%", "%7D", "{}"));
    for (int i = 0; i < 150; i++) {
      groups.add(randomName(random, false));
    }
    for (String group : groups) {
      String key = hash.groupKey(group);
      int slot = RedisSlots.slot(key);
      // The tag is the whole escaped group: two groups share a slot only by CRC16 chance, never by a cut tag.
      assertThat(slot).as("%s: slot of %s", replay, key)
          .isEqualTo(RedisSlots.slot(KeyLayout.hashTag(group)))
          .isEqualTo(serverSlot(connection, key));
      assertThat(RedisSlots.slot(hash.groupChannel(group))).as("%s: group channel of '%s'", replay, group)
          .isEqualTo(slot);
      for (int i = 0; i < 3; i++) {
        String id = randomName(random, true);
        String channel = hash.itemChannel(group, id);
        assertThat(serverSlot(connection, channel))
            .as("%s: item channel %s", replay, channel).isEqualTo(slot);
      }
    }
  }
}
