package dev.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @Test
  void nullIsRejectedNamingTheArgument() {
    assertThatThrownBy(() -> Names.requireGroupId(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("groupId must not be null");
    assertThatThrownBy(() -> Names.requireId(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must not be null");
  }

  @Test
  void emptyIsRejectedNamingTheArgument() {
    assertThatThrownBy(() -> Names.requireGroupId(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("groupId must not be empty");
    assertThatThrownBy(() -> Names.requireId(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must not be empty");
  }

  @Test
  void colonIsRejectedInGroupIdButAllowedInId() {
    assertThatThrownBy(() -> Names.requireGroupId("a:b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("groupId must not contain ':' (the key layout could not tell a:b + c from a + b:c),"
            + " but was 'a:b'");
    assertThatThrownBy(() -> Names.requireGroupId(":"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("groupId must not contain ':'");
    assertThat(Names.requireId("a:b")).isEqualTo("a:b");
    assertThat(Names.requireId(":")).isEqualTo(":");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", " ", "a b", "*", "?", "[", "]", "\\", "a*b?[c]\\", "ü", "日本", "😀", "\t", "-"})
  void anyOtherCharacterIsLegalInBoth(String name) {
    assertThat(Names.requireGroupId(name)).isSameAs(name);
    assertThat(Names.requireId(name)).isSameAs(name);
  }

  @Test
  void exactly1024Utf8BytesIsAcceptedAnd1025Rejected() {
    String ascii1024 = "a".repeat(1024);
    assertThat(Names.requireGroupId(ascii1024)).isSameAs(ascii1024);
    assertThat(Names.requireId(ascii1024)).isSameAs(ascii1024);

    String ascii1025 = "a".repeat(1025);
    assertThatThrownBy(() -> Names.requireGroupId(ascii1025))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("groupId must be at most 1024 UTF-8 bytes, but was 1025 bytes: '"
            + "a".repeat(61) + "...'");
    assertThatThrownBy(() -> Names.requireId(ascii1025))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must be at most 1024 UTF-8 bytes, but was 1025 bytes: '"
            + "a".repeat(61) + "...'");
  }

  @Test
  void lengthIsCountedInUtf8BytesNotChars() {
    // two-byte characters: 512 × 2 = 1024
    assertAccepted("é".repeat(512), 1024);
    assertRejected("é".repeat(512) + "a", 1025);
    assertRejected("a" + "é".repeat(512), 1025);
    // three-byte characters: 341 × 3 + 1 = 1024, 342 × 3 = 1026
    assertAccepted("日".repeat(341) + "a", 1024);
    assertRejected("日".repeat(342), 1026);
    assertRejected("日".repeat(341) + "ab", 1025);
    // four-byte characters (surrogate pairs): 256 × 4 = 1024, only 512 chars
    assertAccepted("😀".repeat(256), 1024);
    assertRejected("😀".repeat(256) + "a", 1025);
    assertRejected("a".repeat(1021) + "😀", 1025);
    assertAccepted("a".repeat(1020) + "😀", 1024);
  }

  private static void assertAccepted(String name, int bytes) {
    assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
    assertThat(Names.requireGroupId(name)).isSameAs(name);
    assertThat(Names.requireId(name)).isSameAs(name);
  }

  private static void assertRejected(String name, int bytes) {
    assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
    assertThatThrownBy(() -> Names.requireGroupId(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("groupId must be at most 1024 UTF-8 bytes, but was " + bytes + " bytes: '");
    assertThatThrownBy(() -> Names.requireId(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("id must be at most 1024 UTF-8 bytes, but was " + bytes + " bytes: '");
  }

  @Test
  void unpairedSurrogatesAreRejectedNamingTheArgumentAndIndex() {
    assertThatThrownBy(() -> Names.requireGroupId("a\uD800b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("groupId must be valid Unicode, but has an unpaired surrogate at index 1");
    assertThatThrownBy(() -> Names.requireId("ab\uDC00"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must be valid Unicode, but has an unpaired surrogate at index 2");
    assertThatThrownBy(() -> Names.requireId("x\uD83D"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must be valid Unicode, but has an unpaired surrogate at index 1");
    // low before high is two unpaired surrogates
    assertThatThrownBy(() -> Names.requireId("\uDE00\uD83D"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must be valid Unicode, but has an unpaired surrogate at index 0");
  }

  @Test
  void unpairedSurrogateFindsTheFirstOne() {
    assertThat(Names.unpairedSurrogate("")).isEqualTo(-1);
    assertThat(Names.unpairedSurrogate("😀ü")).isEqualTo(-1);
    assertThat(Names.unpairedSurrogate("😀\uD83D")).isEqualTo(2);
    assertThat(Names.unpairedSurrogate("\uD83D\uD83D\uDE00")).isEqualTo(0);
    assertThat(Names.unpairedSurrogate("a\uDE00\uD83D")).isEqualTo(1);
  }

  @Test
  void abbreviateCutsLongTextTo64Chars() {
    assertThat(Names.abbreviate("a".repeat(64))).isEqualTo("a".repeat(64));
    assertThat(Names.abbreviate("a".repeat(65))).isEqualTo("a".repeat(61) + "...").hasSize(64);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ascii", "é", "€", "😀", "a\u007f\u0080\u07ff\u0800\uffff", "ユーザー 😀 ключ",
      "lone \uD800 high", "lone \uDC00 low", "\uD83D"})
  void utf8LengthIsTheLengthOfTheEncoding(String value) {
    assertThat(Names.utf8Length(value)).isEqualTo(value.getBytes(StandardCharsets.UTF_8).length);
  }
}
