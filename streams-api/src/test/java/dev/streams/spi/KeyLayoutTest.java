package dev.streams.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamLayout;
import dev.streams.testing.TestSeed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyLayoutTest {

  private final KeyLayout layout = KeyLayout.defaults();

  @Test
  void defaultsMatchTheReadmeExamples() {
    assertThat(layout.keyPrefix()).isEqualTo("motia:stream:");
    assertThat(layout.eventPrefix()).isEqualTo("motia:stream:events:");
    assertThat(layout.dataKey("users", "user-123")).isEqualTo("motia:stream:users:user-123");
    assertThat(layout.groupChannel("users")).isEqualTo("motia:stream:events:users");
    assertThat(layout.itemChannel("users", "user-123")).isEqualTo("motia:stream:events:users:user-123");
    assertThat(layout.groupKeyPrefix("users")).isEqualTo("motia:stream:users:");
  }

  @Test
  void layoutOfConfigUsesItsPrefixes() {
    StreamConfig config = StreamConfig.builder().keyPrefix("app:").eventPrefix("ev/").build();
    KeyLayout custom = KeyLayout.of(config);

    assertThat(custom).isEqualTo(new KeyLayout("app:", "ev/"));
    assertThat(custom.dataKey("g", "i")).isEqualTo("app:g:i");
    assertThat(custom.groupChannel("g")).isEqualTo("ev/g");
    assertThat(custom.itemChannel("g", "i")).isEqualTo("ev/g:i");
    assertThat(KeyLayout.of(StreamConfig.defaults())).isEqualTo(KeyLayout.defaults());
  }

  @Test
  void idsContainingColonsStayInTheKeyAndComeBackWhole() {
    assertThat(layout.dataKey("users", "a:b:c")).isEqualTo("motia:stream:users:a:b:c");
    assertThat(layout.itemChannel("users", "a:b:c")).isEqualTo("motia:stream:events:users:a:b:c");
    assertThat(layout.idOf("users", "motia:stream:users:a:b:c")).isEqualTo("a:b:c");
    assertThat(layout.idOf("users", "motia:stream:users::")).isEqualTo(":");
  }

  @Test
  void channelNameOfGroupAndItemChannels() {
    assertThat(layout.channelName(StreamChannel.group("users"))).isEqualTo("motia:stream:events:users");
    assertThat(layout.channelName(StreamChannel.item("users", "user-123")))
        .isEqualTo("motia:stream:events:users:user-123");
    assertThat(layout.channelName(StreamChannel.item("users", "x:y")))
        .isEqualTo("motia:stream:events:users:x:y");
  }

  @Test
  void idOfRejectsKeysOfOtherGroupsAndTheBarePrefix() {
    assertThatThrownBy(() -> layout.idOf("users", "motia:stream:user:x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key 'motia:stream:user:x' is not an item key of group 'users'");
    assertThatThrownBy(() -> layout.idOf("users", "motia:stream:users:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key 'motia:stream:users:' is not an item key of group 'users'");
    assertThatThrownBy(() -> layout.idOf("a", "motia:stream:ab:x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void prefixesMustBeNonEmpty() {
    assertThatThrownBy(() -> new KeyLayout("", "e:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyPrefix must not be empty");
    assertThatThrownBy(() -> new KeyLayout("k:", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eventPrefix must not be empty");
    assertThatThrownBy(() -> new KeyLayout(null, "e:"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("keyPrefix");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "*      | \\*",
      "?      | \\?",
      "[      | \\[",
      "]      | \\]",
      "\\     | \\\\",
      "abc    | abc",
      "a*b?c  | a\\*b\\?c",
      "[a-z]  | \\[a-z\\]",
      "\\*    | \\\\\\*",
      "ü*日?😀 | ü\\*日\\?😀",
      "\"a b\" | \"a b\"",
      "^!-{}  | ^!-{}",
  })
  void escapeGlobEscapesExactlyTheGlobCharacters(String literal, String expected) {
    assertThat(KeyLayout.escapeGlob(literal)).isEqualTo(expected);
  }

  @Test
  void escapeGlobOfPlainTextIsTheSameString() {
    String plain = "users-ü-日";
    assertThat(KeyLayout.escapeGlob(plain)).isSameAs(plain);
    assertThat(KeyLayout.escapeGlob("")).isEmpty();
  }

  @Test
  void groupScanPatternEscapesPrefixAndGroupAndEndsWithOneStar() {
    assertThat(layout.groupScanPattern("users")).isEqualTo("motia:stream:users:*");
    assertThat(layout.groupScanPattern("a*")).isEqualTo("motia:stream:a\\*:*");
    assertThat(layout.groupScanPattern("a?[b]\\c")).isEqualTo("motia:stream:a\\?\\[b\\]\\\\c:*");
    assertThat(new KeyLayout("app[1]*?:", "e:").groupScanPattern("g"))
        .isEqualTo("app\\[1\\]\\*\\?:g:*");
  }

  // ---- a Redis-style glob matcher, to check the patterns against keys ----

  @Test
  void theTestMatcherBehavesLikeRedisGlob() {
    assertThat(globMatches("a*", "abc")).isTrue();
    assertThat(globMatches("a?c", "abc")).isTrue();
    assertThat(globMatches("a[b]c", "abc")).isTrue();
    assertThat(globMatches("a[^b]c", "abc")).isFalse();
    assertThat(globMatches("a[a-c]c", "abc")).isTrue();
    assertThat(globMatches("a\\*", "abc")).isFalse();
    assertThat(globMatches("a\\*", "a*")).isTrue();
    assertThat(globMatches("a\\[b\\]c", "a[b]c")).isTrue();
    assertThat(globMatches("a\\[b\\]c", "abc")).isFalse();
    assertThat(globMatches("a\\\\b", "a\\b")).isTrue();
    assertThat(globMatches("*", "")).isTrue();
    assertThat(globMatches("?", "")).isFalse();
    assertThat(globMatches("?", "ü")).isFalse(); // Redis matches bytes: ü is two
    assertThat(globMatches("??", "ü")).isTrue();
    // The unescaped prefix of group a* would see group abc: the property below is not vacuous.
    assertThat(globMatches(layout.groupKeyPrefix("a*") + "*", layout.dataKey("abc", "1"))).isTrue();
  }

  private static final List<String> LOOKALIKES = List.of(
      "a*", "abc", "a?c", "a[b]c", "ab", "a\\b", "a b", "a", "a[", "a]", "[", "]", "*", "?", "\\",
      "a\\*", "a[^b]c", "a[a-c]c", "a-c", "ü*", "üx", "日?", "日本", "😀[", "😀x", "**", "[]", "[!]");

  private static final String ALPHABET_CHARS = "ab*?[]\\^- !ü日";
  private static final String[] ALPHABET = buildAlphabet();

  private static String[] buildAlphabet() {
    List<String> symbols = new ArrayList<>();
    ALPHABET_CHARS.codePoints().forEach(cp -> symbols.add(new String(Character.toChars(cp))));
    symbols.add("😀");
    return symbols.toArray(String[]::new);
  }

  @Test
  void eachGroupsScanPatternMatchesExactlyItsOwnKeys() {
    long seed = TestSeed.seed();
    Random random = new Random(seed);
    for (int round = 0; round < 30; round++) {
      KeyLayout trial = round % 3 == 0
          ? KeyLayout.defaults()
          : new KeyLayout(randomText(random, 1, 6) + ":", "e:");
      Set<String> groups = new LinkedHashSet<>(LOOKALIKES);
      while (groups.size() < LOOKALIKES.size() + 25) {
        groups.add(randomText(random, 1, 5));
      }
      Map<String, String> groupOfKey = new LinkedHashMap<>();
      Map<String, String> idOfKey = new LinkedHashMap<>();
      for (String group : groups) {
        for (int n = 0; n < 3; n++) {
          String id = randomText(random, 1, 4) + (random.nextBoolean() ? ":" + randomText(random, 1, 3) : "");
          String key = trial.dataKey(group, id);
          String previous = groupOfKey.putIfAbsent(key, group);
          // A group id has no ':', so one key is one (group, id): a repeat is the same item again.
          assertThat(previous).as("seed=%d: key %s of two groups", seed, key).isIn(null, group);
          idOfKey.put(key, id);
        }
      }
      for (String group : groups) {
        String pattern = trial.groupScanPattern(group);
        for (Map.Entry<String, String> entry : groupOfKey.entrySet()) {
          String key = entry.getKey();
          boolean own = entry.getValue().equals(group);
          assertThat(globMatches(pattern, key))
              .as("seed=%d: pattern %s of group '%s' against key %s of group '%s' (keyPrefix '%s')",
                  seed, pattern, group, key, entry.getValue(), trial.keyPrefix())
              .isEqualTo(own);
          if (own) {
            assertThat(trial.idOf(group, key)).as("seed=%d: idOf(%s, %s)", seed, group, key)
                .isEqualTo(idOfKey.get(key));
          }
        }
      }
    }
  }

  @Test
  void hashLayoutNamesCarryTheEscapedGroupAsTheirTag() {
    KeyLayout hash = new KeyLayout("motia:stream:", "motia:stream:events:", StreamLayout.HASH);
    assertThat(hash.dataKey("users", "user-123")).isEqualTo("motia:stream:{users}");
    assertThat(hash.groupKey("users")).isEqualTo("motia:stream:{users}");
    assertThat(hash.groupChannel("users")).isEqualTo("motia:stream:events:{users}");
    assertThat(hash.itemChannel("users", "user-123")).isEqualTo("motia:stream:events:{users}:user-123");
    assertThat(hash.groupKey("a}b%c{")).isEqualTo("motia:stream:{a%7Db%25c{}");
    assertThat(hash.itemChannel("}", "{x}")).isEqualTo("motia:stream:events:{%7D}:{x}");
    assertThat(hash.groupOfKey("motia:stream:{a%7Db%25c{}")).isEqualTo("a}b%c{");
    assertThatThrownBy(() -> new KeyLayout("a{", "e:", StreamLayout.HASH))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> KeyLayout.defaults().groupKey("g")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void eachLayoutRecognisesOnlyItsOwnGroupKeys() {
    KeyLayout flat = KeyLayout.defaults();
    KeyLayout hash = new KeyLayout("motia:stream:", "motia:stream:events:", StreamLayout.HASH);
    long seed = TestSeed.seed();
    Random random = new Random(seed);
    String[] braces = {"{", "}", "%", "%7D", "%25", "a", ":"};
    for (int round = 0; round < 2_000; round++) {
      StringBuilder group = new StringBuilder(randomText(random, 1, 3));
      for (int i = random.nextInt(4); i > 0; i--) {
        group.insert(random.nextInt(group.length() + 1), braces[random.nextInt(braces.length - 1)]);
      }
      String id = randomText(random, 1, 3) + braces[random.nextInt(braces.length)];
      String g = group.toString().replace(":", "");
      String tag = KeyLayout.hashTag(g);
      assertThat(tag).as("seed=%d: tag of '%s'", seed, g).doesNotContain("}").isNotEmpty();
      assertThat(KeyLayout.groupOfHashTag(tag)).as("seed=%d: group of tag %s", seed, tag).isEqualTo(g);
      assertThat(hash.groupOfKey(hash.groupKey(g))).as("seed=%d: '%s'", seed, g).isEqualTo(g);
      assertThat(flat.groupOfKey(flat.dataKey(g, id))).as("seed=%d: '%s'", seed, g).isEqualTo(g);
      // A key of one layout is never taken for a key of the other: both can share one prefix (L4).
      assertThat(hash.groupOfKey(flat.dataKey(g, id))).as("seed=%d: flat key of '%s'", seed, g).isNull();
      assertThat(flat.groupOfKey(hash.groupKey(g))).as("seed=%d: hash key of '%s'", seed, g).isNull();
      assertThat(globMatches(hash.groupsScanPattern(), hash.groupKey(g))).isTrue();
    }
  }

  private static String randomText(Random random, int min, int max) {
    int length = min + random.nextInt(max - min + 1);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return text.toString();
  }

  /** Redis {@code stringmatchlen}, over UTF-8 bytes, as SCAN MATCH applies it. */
  static boolean globMatches(String pattern, String text) {
    return match(pattern.getBytes(StandardCharsets.UTF_8), 0, text.getBytes(StandardCharsets.UTF_8), 0);
  }

  private static boolean match(byte[] p, int i, byte[] s, int j) {
    while (i < p.length) {
      byte c = p[i];
      if (c == '*') {
        while (i < p.length && p[i] == '*') {
          i++;
        }
        if (i == p.length) {
          return true;
        }
        for (int k = j; k <= s.length; k++) {
          if (match(p, i, s, k)) {
            return true;
          }
        }
        return false;
      }
      if (j >= s.length) {
        return false;
      }
      if (c == '?') {
        i++;
        j++;
        continue;
      }
      if (c == '[') {
        i++;
        boolean not = i < p.length && p[i] == '^';
        if (not) {
          i++;
        }
        boolean matched = false;
        while (i < p.length) {
          if (p[i] == '\\' && i + 1 < p.length) {
            if (p[i + 1] == s[j]) {
              matched = true;
            }
            i += 2;
          } else if (p[i] == ']') {
            i++;
            break;
          } else if (i + 2 < p.length && p[i + 1] == '-') {
            int lo = Math.min(p[i] & 0xff, p[i + 2] & 0xff);
            int hi = Math.max(p[i] & 0xff, p[i + 2] & 0xff);
            int b = s[j] & 0xff;
            if (b >= lo && b <= hi) {
              matched = true;
            }
            i += 3;
          } else {
            if (p[i] == s[j]) {
              matched = true;
            }
            i++;
          }
        }
        if (not) {
          matched = !matched;
        }
        if (!matched) {
          return false;
        }
        j++;
        continue;
      }
      if (c == '\\' && i + 1 < p.length) {
        i++;
      }
      if (p[i] != s[j]) {
        return false;
      }
      i++;
      j++;
    }
    return j == s.length;
  }
}
