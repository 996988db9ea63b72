package dev.streams.spi;

import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamLayout;
import java.util.Objects;

/**
 * Where items and events live (K1, K3, K5, L2): one pure function from names to key and channel
 * strings, shared by every backend.
 *
 * <p>Under {@link StreamLayout#FLAT}:
 * <ul>
 *   <li>data key: {@code {keyPrefix}{groupId}:{id}}, e.g. {@code motia:stream:users:user-123}
 *   <li>group channel: {@code {eventPrefix}{groupId}}
 *   <li>item channel: {@code {eventPrefix}{groupId}:{id}}
 * </ul>
 *
 * <p>Under {@link StreamLayout#HASH} (L2), with {@code <tag>} the group's {@linkplain #hashTag hash
 * tag}:
 * <ul>
 *   <li>group hash: {@code {keyPrefix}{<tag>}}, field = id, e.g. {@code motia:stream:{users}}
 *   <li>group channel: {@code {eventPrefix}{<tag>}}, e.g. {@code motia:stream:events:{users}}
 *   <li>item channel: {@code {eventPrefix}{<tag>}:{id}}, e.g. {@code motia:stream:events:{users}:user-123}
 * </ul>
 *
 * <p>Names are not validated here; the adapter validates them before it asks for a key.
 *
 * @param keyPrefix prefix of every data key
 * @param eventPrefix prefix of every event channel
 * @param layout how items are kept
 */
public record KeyLayout(String keyPrefix, String eventPrefix, StreamLayout layout) {

  /**
   * @throws IllegalArgumentException if a prefix is null or empty, or contains a brace under
   *     {@link StreamLayout#HASH}
   */
  public KeyLayout {
    requirePrefix("keyPrefix", keyPrefix);
    requirePrefix("eventPrefix", eventPrefix);
    Objects.requireNonNull(layout, "layout");
    if (layout == StreamLayout.HASH) {
      // Checked by StreamConfig.build too; a layout built by hand must not split a group's slot.
      StreamConfig.builder().keyPrefix(keyPrefix).eventPrefix(eventPrefix).layout(layout).build();
    }
  }

  /**
   * The flat layout (K1–K7) of two prefixes.
   *
   * @param keyPrefix prefix of every data key
   * @param eventPrefix prefix of every event channel
   */
  public KeyLayout(String keyPrefix, String eventPrefix) {
    this(keyPrefix, eventPrefix, StreamLayout.FLAT);
  }

  /**
   * @param config a configuration
   * @return the layout of its prefixes and layout option
   */
  public static KeyLayout of(StreamConfig config) {
    return new KeyLayout(config.keyPrefix(), config.eventPrefix(), config.layout());
  }

  /** @return whether items are fields of one hash per group (L2) */
  public boolean isHash() {
    return layout == StreamLayout.HASH;
  }

  /**
   * The group's hash tag (L2): the group id with {@code %} written {@code %25} and {@code }} written
   * {@code %7D}. Redis hashes the text between the first {@code {} of a key and the next {@code }}, so
   * an unescaped {@code }} in the group would end the tag early; escaped, the tag is always the whole
   * group, never empty, and two groups never share a tag.
   *
   * @param groupId the group
   * @return its tag, without the braces
   */
  public static String hashTag(String groupId) {
    if (groupId.indexOf('%') < 0 && groupId.indexOf('}') < 0) {
      return groupId;
    }
    StringBuilder out = new StringBuilder(groupId.length() + 8);
    for (int i = 0; i < groupId.length(); i++) {
      char c = groupId.charAt(i);
      if (c == '%') {
        out.append("%25");
      } else if (c == '}') {
        out.append("%7D");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * @param tag a hash tag as {@link #hashTag} writes it
   * @return the group id, or null if {@code tag} is not one {@link #hashTag} writes of a group id
   *     (which never has {@code :}, D2; so a flat data key is never taken for a group's hash)
   */
  public static String groupOfHashTag(String tag) {
    if (tag.isEmpty() || tag.indexOf('}') >= 0 || tag.indexOf(':') >= 0) {
      return null;
    }
    StringBuilder out = new StringBuilder(tag.length());
    for (int i = 0; i < tag.length(); i++) {
      char c = tag.charAt(i);
      if (c != '%') {
        out.append(c);
      } else if (tag.startsWith("%25", i)) {
        out.append('%');
        i += 2;
      } else if (tag.startsWith("%7D", i)) {
        out.append('}');
        i += 2;
      } else {
        return null;
      }
    }
    return out.toString();
  }

  /**
   * @param groupId the group
   * @return under {@link StreamLayout#HASH}, the group's hash {@code {keyPrefix}{<tag>}} (L2)
   * @throws IllegalStateException under {@link StreamLayout#FLAT}, which has no group key
   */
  public String groupKey(String groupId) {
    if (!isHash()) {
      throw new IllegalStateException("the flat layout has no group key");
    }
    return keyPrefix + '{' + hashTag(groupId) + '}';
  }

  /**
   * A SCAN {@code MATCH} pattern matching every key that may be one group's key of this layout:
   * {@code {keyPrefix}*} (flat) or {@code {keyPrefix}{*}} (hash), the prefix escaped. Decide each key
   * with {@link #groupOfKey}.
   *
   * @return the pattern
   */
  public String groupsScanPattern() {
    return escapeGlob(keyPrefix) + (isHash() ? "{*}" : "*");
  }

  /**
   * @param key a key of the store
   * @return the group whose key (hash) or data key (flat) it is in this layout, or null if it is
   *     neither (another layout's key, another program's)
   */
  public String groupOfKey(String key) {
    if (!key.startsWith(keyPrefix)) {
      return null;
    }
    if (isHash()) {
      int open = keyPrefix.length();
      if (key.length() < open + 3 || key.charAt(open) != '{' || key.indexOf('}') != key.length() - 1) {
        return null;
      }
      return groupOfHashTag(key.substring(open + 1, key.length() - 1));
    }
    int colon = key.indexOf(':', keyPrefix.length());
    if (colon <= keyPrefix.length() || colon == key.length() - 1) {
      return null;
    }
    return key.substring(keyPrefix.length(), colon);
  }

  /** @return the layout with the default prefixes */
  public static KeyLayout defaults() {
    return new KeyLayout(StreamConfig.DEFAULT_KEY_PREFIX, StreamConfig.DEFAULT_EVENT_PREFIX);
  }

  /**
   * @param groupId the group
   * @param id the item
   * @return the key the item is stored under: its data key (K1), or under {@link StreamLayout#HASH}
   *     the group's hash, where the item is the field {@code id} (L2)
   */
  public String dataKey(String groupId, String id) {
    return isHash() ? groupKey(groupId) : keyPrefix + groupId + ':' + id;
  }

  /**
   * @param groupId the group
   * @return the common prefix of every data key of the group, under {@link StreamLayout#FLAT}
   */
  public String groupKeyPrefix(String groupId) {
    return keyPrefix + groupId + ':';
  }

  /**
   * @param groupId the group
   * @param key a data key of that group
   * @return the item id the key addresses
   * @throws IllegalArgumentException if the key is not under the group's prefix
   */
  public String idOf(String groupId, String key) {
    String prefix = groupKeyPrefix(groupId);
    if (!key.startsWith(prefix) || key.length() == prefix.length()) {
      throw new IllegalArgumentException("key '" + key + "' is not an item key of group '" + groupId + "'");
    }
    return key.substring(prefix.length());
  }

  /**
   * A SCAN {@code MATCH} pattern that matches exactly the data keys of a group (K5): every glob
   * character of the prefix and the group id is escaped, so group {@code a*} never matches the keys of
   * group {@code abc}.
   *
   * @param groupId the group
   * @return the pattern
   */
  public String groupScanPattern(String groupId) {
    return escapeGlob(groupKeyPrefix(groupId)) + '*';
  }

  /**
   * @param groupId the group
   * @return the group channel (K3)
   */
  public String groupChannel(String groupId) {
    return isHash() ? eventPrefix + '{' + hashTag(groupId) + '}' : eventPrefix + groupId;
  }

  /**
   * @param groupId the group
   * @param id the item
   * @return the item channel (K3)
   */
  public String itemChannel(String groupId, String id) {
    return groupChannel(groupId) + ':' + id;
  }

  /**
   * @param channel a channel
   * @return its name (K3)
   */
  public String channelName(StreamChannel channel) {
    return channel.id() == null
        ? groupChannel(channel.groupId())
        : itemChannel(channel.groupId(), channel.id());
  }

  /**
   * Escapes the characters that Redis glob patterns treat specially ({@code * ? [ ] \}) with a
   * backslash, so the result matches exactly {@code literal}.
   *
   * @param literal any text
   * @return a glob pattern matching only that text
   */
  public static String escapeGlob(String literal) {
    StringBuilder out = null;
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      boolean special = c == '*' || c == '?' || c == '[' || c == ']' || c == '\\';
      if (special && out == null) {
        out = new StringBuilder(literal.length() + 8).append(literal, 0, i);
      }
      if (out != null) {
        if (special) {
          out.append('\\');
        }
        out.append(c);
      }
    }
    return out == null ? literal : out.toString();
  }

  private static void requirePrefix(String option, String value) {
    Objects.requireNonNull(value, option);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(option + " must not be empty");
    }
  }
}
