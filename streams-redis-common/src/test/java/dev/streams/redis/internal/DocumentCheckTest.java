package dev.streams.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamDataException;
import dev.streams.redis.testing.RedisServerExtension;
import dev.streams.json.StreamJson;
import dev.streams.spi.WireFormat;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scripts' "sure it is an item" check ({@code certain_document} of {@code stream-document.lua})
 * against the Java reader, on a real server (K7): whatever the check is sure of, the reader
 * accepts (else a script could remove or replace foreign data), and it is sure of every document the
 * library writes (else the usual set and delete would cost more round trips).
 */
class DocumentCheckTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  /** Judges every ARGV in one call: 1 where the check is sure, else 0. */
  private static final String VERDICTS = LuaScript.load("verdicts.lua", RedisCommands.ScriptReply.TEXT,
      "stream-document.lua").text();

  /** The same for the fast path alone, which the full check follows where it is not sure. */
  private static final String PLAIN_VERDICTS = LuaScript.load("plain-verdicts.lua",
      RedisCommands.ScriptReply.TEXT, "stream-document.lua").text();

  private static List<Boolean> certain(List<String> values) {
    return verdicts(VERDICTS, values);
  }

  private static List<Boolean> plainCertain(List<String> values) {
    return verdicts(PLAIN_VERDICTS, values);
  }

  private static List<Boolean> verdicts(String script, List<String> values) {
    List<String> command = new ArrayList<>(List.of("EVAL", script, "0"));
    command.addAll(values);
    List<?> reply = (List<?>) redis.command(command.toArray(String[]::new));
    return reply.stream().map(verdict -> ((Number) verdict).longValue() == 1L).toList();
  }

  private static boolean accepted(String value) {
    try {
      WireFormat.readDocument("k", value);
      return true;
    } catch (StreamDataException e) {
      return false;
    }
  }

  @Test
  @DisplayName("K7 — the check is sure of no value the reader refuses: K7's kinds of foreign value, near misses and limits")
  void knownCases() {
    String deep501 = "{\"a\":" + "[".repeat(500) + "]".repeat(500) + "}";
    String deep502 = "{\"a\":" + "[".repeat(501) + "]".repeat(501) + "}";
    List<String> refused = List.of("", "hello {", "[1,2]", "\"text\"", "42", "{\"a\":1,\"a\":2}",
        "{\"a\":1,\"\\u0061\":2}", "{\"a\":0x10}", "{\"a\":nan}", "{\"a\":inf}", "{\"a\":-inf}",
        "{\"a\":+1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1,}", "{\"a\":1} x", "\f{\"a\":1}",
        "{\"a\":\"\u0001\"}", "{\"a\":'b'}", "{a:1}", "{\"a\":1}}", "{\"a\":[1,]}", "{\"a\":tru}",
        "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\" 1}", "{\"a\":1e}", "{\"a\":-}", "{\"a\":1E89012345678901234567890}",
        "{\"a\":[}", "{\"a\":{\"b\":1,\"b\":1}}");
    List<Boolean> verdicts = certain(refused);
    List<Boolean> plainVerdicts = plainCertain(refused);
    for (int i = 0; i < refused.size(); i++) {
      assertThat(accepted(refused.get(i))).as("reader on %s", refused.get(i)).isFalse();
      assertThat(verdicts.get(i)).as("check on %s", refused.get(i)).isFalse();
      assertThat(plainVerdicts.get(i)).as("fast path on %s", refused.get(i)).isFalse();
    }
    // The fast path is sure of plain documents, and leaves the rest to the full check.
    assertThat(plainCertain(List.of("{}", "{\"a\":[1,2.5e3,-0,{\"b\":null}],\"c\":\"x y\",\"d\":true}",
        "{\"a\":{\"a\":{\"a\":1}},\"b\":{\"a\":2}}", deep501))).containsOnly(true);
    assertThat(plainCertain(List.of("{\"é\":1}", "{\"a\":\"\\n\"}", " {}", "{\"a\":\t1}", deep502,
        "{\"a\":" + "1".repeat(600) + "}"))).containsOnly(false);
    List<String> sure = List.of("{}", " {\"a\" :\t[1, 2.5e3, -0, {\"b\":null}] }\r\n", "{\"a\":\"\\ud800\"}",
        "{\"é😀\":\"ü\",\"b\":[true,false,null,-1.5E-7,0e0]}", "{\"a\":{\"a\":{\"a\":1}},\"b\":{\"a\":2}}",
        deep501);
    verdicts = certain(sure);
    for (int i = 0; i < sure.size(); i++) {
      assertThat(accepted(sure.get(i))).as("reader on %s", sure.get(i)).isTrue();
      assertThat(verdicts.get(i)).as("check on %s", sure.get(i)).isTrue();
    }
    // Items it is not sure of, left to the reader: beyond the writer's depth, escaped names (which
    // could repeat another name once unescaped), long numbers and exponents.
    List<String> unsure = List.of(deep502, "{\"\\u0061\":1}", "{\"a\":1e9999999}",
        "{\"a\":" + "1".repeat(600) + "}");
    assertThat(certain(unsure)).containsOnly(false);
    assertThat(unsure).allSatisfy(value -> assertThat(accepted(value)).as("reader on %s", value).isTrue());
  }

  /** Replays a failing run of the random test, as for the TCK's property tests. */
  private static final String SEED_PROPERTY = "streams.tck.seed";
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  /** @return a random item body: the values JSON allows, awkward numbers and text among them */
  private static ObjectNode randomItem(Random random) {
    ObjectNode item = NODES.objectNode();
    for (int fields = random.nextInt(6); fields > 0; fields--) {
      item.set(pick(random, "status", "n", "mixed", "tags", "opt", "é"), randomValue(random, 2));
    }
    return item;
  }

  private static JsonNode randomValue(Random random, int depth) {
    switch (random.nextInt(depth > 0 ? 8 : 6)) {
      case 0:
        return NODES.nullNode();
      case 1:
        return NODES.booleanNode(random.nextBoolean());
      case 2:
        return NODES.numberNode(pick(random, 0L, -1L, 9007199254740993L, Long.MAX_VALUE, Long.MIN_VALUE));
      case 3:
        return NODES.numberNode(new BigDecimal(
            pick(random, "1.0", "1.00", "2.5", "-0.5", "1E+1", "123456789012345678901234567890")));
      case 4:
      case 5:
        return NODES.textNode(pick(random, "", "a", "é", "😀", "a\"b", "\\", "\u0001", "10"));
      case 6:
        ArrayNode array = NODES.arrayNode();
        for (int i = random.nextInt(3); i > 0; i--) {
          array.add(randomValue(random, depth - 1));
        }
        return array;
      default:
        ObjectNode object = NODES.objectNode();
        for (int i = random.nextInt(3); i > 0; i--) {
          object.set(pick(random, "k", "j", ""), randomValue(random, depth - 1));
        }
        return object;
    }
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  @Test
  @DisplayName("K7 — on random documents and random edits of them, the check is sure of every document the library writes and of nothing the reader refuses")
  void randomDocumentsAndEdits() {
    long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
    String replay = "seed=" + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")";
    Random random = new Random(seed);
    String alphabet = "{}[]:,\"\\ \t\n\r\f0123456789+-.eEnultrfasx/ué😀\u0001";
    int sure = 0;
    int plainSure = 0;
    int refused = 0;
    for (int round = 0; round < 40; round++) {
      List<String> written = new ArrayList<>();
      List<String> edited = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String document = StreamJson.toDocument(randomItem(random), "i" + i).json();
        written.add(document);
        for (int e = 0; e < 10; e++) {
          StringBuilder text = new StringBuilder(document);
          for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
            int at = random.nextInt(text.length() + 1);
            int kind = random.nextInt(3);
            String piece = alphabet.substring(random.nextInt(alphabet.length())).codePoints().limit(1)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            if (kind == 0 || at == text.length()) {
              text.insert(at, piece);
            } else if (kind == 1) {
              text.deleteCharAt(at);
            } else {
              // Repeat a stretch: repeated names, doubled commas and brackets.
              int to = Math.min(text.length(), at + 1 + random.nextInt(8));
              text.insert(to, text.substring(at, to));
            }
          }
          edited.add(text.toString());
        }
      }
      assertThat(certain(written)).as("check on written documents, %s", replay)
          .containsOnly(true);
      List<Boolean> verdicts = certain(edited);
      List<Boolean> plainVerdicts = plainCertain(edited);
      plainSure += (int) plainCertain(written).stream().filter(v -> v).count();
      for (int i = 0; i < edited.size(); i++) {
        boolean accepted = accepted(edited.get(i));
        if (verdicts.get(i)) {
          sure++;
          assertThat(accepted).as("reader on %s, which the check is sure of; %s", edited.get(i),
              replay).isTrue();
        }
        if (plainVerdicts.get(i)) {
          plainSure++;
          assertThat(accepted).as("reader on %s, which the fast path is sure of; %s", edited.get(i),
              replay).isTrue();
        }
        if (!accepted) {
          refused++;
        }
      }
    }
    // The edits exercise both sides: many stay items, many become foreign.
    assertThat(sure).as("edited values the check was sure of").isGreaterThan(1_000);
    assertThat(plainSure).as("written and edited values the fast path was sure of").isGreaterThan(1_000);
    assertThat(refused).as("edited values the reader refused").isGreaterThan(1_000);
  }
}
