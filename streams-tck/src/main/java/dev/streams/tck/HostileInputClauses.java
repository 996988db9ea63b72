package dev.streams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import dev.streams.Subscription;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hostile input (D2, D3, D5): random names and documents either round-trip exactly, or fail
 * with {@link IllegalArgumentException} before any I/O — never another error, a partial write, or an
 * event without a write.
 */
public interface HostileInputClauses extends ClauseFamily {

  /** Characters that names are drawn from: glob, space, colon, controls, unicode beyond the BMP. */
  String NAME_CHARACTERS = "aZ09*?[]\\ :-_.{}\"'\n\t\u0000éü中ключ😀𝄞";

  @Test
  @DisplayName("D2 — random names (glob characters, ':', controls, unicode, the 1024-byte boundary) are accepted or refused exactly as D2 says, with round trips and events to match")
  default void d2_randomNamesRoundTripOrFailBeforeAnyIo() {
    StreamAdapter streams = tck().adapter();
    long seed = RandomItems.seed();
    Random random = new Random(seed);
    for (int round = 0; round < 60; round++) {
      String groupId = randomName(random);
      String id = randomName(random);
      boolean valid = isValidName(groupId) && groupId.indexOf(':') < 0 && isValidName(id);
      String context = "groupId '" + printable(groupId) + "', id '" + printable(id) + "'; "
          + RandomItems.replayHint(seed);
      ObjectNode data = JsonNodeFactory.instance.objectNode().put("round", round).put("name", id);
      writeAndCheck(streams, groupId, id, data, valid, context);
    }
  }

  @Test
  @DisplayName("D5 — random documents (deep nesting, unicode, 64-bit and larger numbers, exact decimals, up to 10 MB under a raised maxDocumentBytes) round-trip exactly or fail with IllegalArgumentException before any I/O")
  default void d5_randomDocumentsRoundTripOrFailBeforeAnyIo() {
    StreamAdapter streams = tck().adapter();
    long seed = RandomItems.seed();
    Random random = new Random(seed);
    for (int round = 0; round < 40; round++) {
      ObjectNode data = randomObject(random, 1 + random.nextInt(4));
      String context = "document " + round + "; " + RandomItems.replayHint(seed);
      writeAndCheck(streams, "docs", "d" + round, data, true, context);
    }
    // Nesting: 400 levels are fine; far beyond the limit is refused before any I/O, never half-done.
    writeAndCheck(streams, "docs", "deep", nested(400), true, "400 levels");
    writeAndCheck(streams, "docs", "too-deep", nested(5_000), false, "5,000 levels");
    // Large documents: 10 MB of text, ASCII and multi-byte, where the application allows them (D6).
    StreamAdapter large = tck().openAdapter(settings -> settings.maxDocumentBytes(16 * 1024 * 1024));
    ObjectNode big = JsonNodeFactory.instance.objectNode();
    big.put("ascii", "x".repeat(10 * 1024 * 1024));
    writeAndCheck(large, "docs", "big-ascii", big, true, "10 MB ASCII");
    ObjectNode bigUnicode = JsonNodeFactory.instance.objectNode();
    bigUnicode.put("unicode", "é😀".repeat(1024 * 1024));
    writeAndCheck(large, "docs", "big-unicode", bigUnicode, true, "6 MB unicode");
  }

  /**
   * Sets an item and checks the outcome: a valid one is stored exactly and sends one event; an
   * invalid one fails with IllegalArgumentException and leaves no trace and no event.
   */
  private void writeAndCheck(
      StreamAdapter streams, String groupId, String id, ObjectNode data, boolean mustSucceed,
      String context) {
    boolean channelUsable = isValidName(groupId) && groupId.indexOf(':') < 0;
    EventRecorder events = new EventRecorder("group channel of " + context);
    Subscription subscription = channelUsable
        ? streams.subscribe(StreamChannel.group(groupId), events) : null;
    Optional<ObjectNode> before = channelUsable && isValidName(id)
        ? streams.get(groupId, id) : Optional.empty();
    List<String> keysBefore = tck().hasRawView() ? tck().raw().keys() : List.of();

    Throwable failure = catchThrowable(() -> streams.set(groupId, id, data));
    if (failure == null) {
      assertThat(mustSucceed || data.size() > 0).as("set succeeded: %s", context).isTrue();
      ObjectNode expected = data.deepCopy().put("id", id);
      Optional<ObjectNode> stored = streams.get(groupId, id);
      assertThat(stored).as("item after set: %s", context).isPresent();
      assertThat(DataClauses.text(stored.get())).as("round trip: %s", context)
          .isEqualTo(DataClauses.text(expected));
      assertThat(streams.delete(groupId, id)).as("delete: %s", context).isPresent();
    } else {
      assertThat(failure).as("failure of set: %s", context).isInstanceOf(IllegalArgumentException.class);
      assertThat(mustSucceed).as("set of a valid item failed (%s): %s", failure.getMessage(), context)
          .isFalse();
      if (channelUsable && isValidName(id)) {
        assertThat(streams.get(groupId, id)).as("item after a refused set: %s", context).isEqualTo(before);
      }
      if (tck().hasRawView()) {
        assertThat(tck().raw().keys()).as("keys after a refused set: %s", context)
            .containsExactlyInAnyOrderElementsOf(keysBefore);
      }
    }
    if (subscription != null) {
      tck().awaitQuiet(streams, StreamChannel.group(groupId), events);
      List<String> types = TckContext.withoutMarkers(events.events()).stream()
          .map(StreamEvent::type).toList();
      assertThat(types).as("events of %s", context)
          .isEqualTo(failure == null ? List.of("create", "delete") : List.of());
      subscription.close();
    }
  }

  private static String randomName(Random random) {
    int shape = random.nextInt(10);
    if (shape == 0) {
      return "";
    }
    StringBuilder name = new StringBuilder();
    int targetBytes = shape == 1 ? 1024 : shape == 2 ? 1025 : 1 + random.nextInt(24);
    int[] codePoints = NAME_CHARACTERS.codePoints().toArray();
    while (name.toString().getBytes(StandardCharsets.UTF_8).length < targetBytes) {
      int next = shape <= 2 && utf8Length(name) > targetBytes - 8 ? 'a' : codePoints[random.nextInt(codePoints.length)];
      name.appendCodePoint(next);
    }
    if (shape == 3) {
      name.insert(random.nextInt(name.length() + 1), '\uD800'); // a lone surrogate
    }
    return name.toString();
  }

  private static int utf8Length(CharSequence text) {
    return text.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  private static boolean isValidName(String name) {
    if (name.isEmpty() || utf8Length(name) > 1024) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static String printable(String name) {
    String shown = name.length() > 40 ? name.substring(0, 40) + "...(" + name.length() + " chars)" : name;
    return shown.replace("\n", "\\n").replace("\t", "\\t").replace("\u0000", "\\0");
  }

  private static ObjectNode randomObject(Random random, int depth) {
    ObjectNode object = JsonNodeFactory.withExactBigDecimals(true).objectNode();
    for (int i = random.nextInt(6); i >= 0; i--) {
      object.set(randomName(random).replace("\uD800", "") + i, randomValue(random, depth - 1));
    }
    return object;
  }

  private static JsonNode randomValue(Random random, int depth) {
    JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);
    switch (depth <= 0 ? random.nextInt(6) : random.nextInt(8)) {
      case 0: return nodes.nullNode();
      case 1: return nodes.booleanNode(random.nextBoolean());
      case 2: return nodes.numberNode(random.nextBoolean() ? Long.MIN_VALUE + random.nextInt(3)
          : Long.MAX_VALUE - random.nextInt(3));
      case 3: return nodes.numberNode(new BigInteger(90, random).negate());
      case 4: return nodes.numberNode(new BigDecimal(new BigInteger(70, random), random.nextInt(30)));
      case 5: return nodes.textNode(randomName(random).replace("\uD800", ""));
      case 6: {
        ArrayNode array = nodes.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          array.add(randomValue(random, depth - 1));
        }
        return array;
      }
      default: return randomObject(random, depth - 1);
    }
  }

  private static ObjectNode nested(int levels) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode current = root;
    for (int i = 1; i < levels; i++) {
      current = current.putObject("a");
    }
    return root;
  }
}
