package dev.streams.spi;

import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import java.util.Objects;

/**
 * Where items and events live (K1, K3, K5): one pure function from names to key and channel
 * strings, shared by every backend.
 *
 * <ul>
 *   <li>data key: {@code {keyPrefix}{groupId}:{id}}, e.g. {@code motia:stream:users:user-123}
 *   <li>group channel: {@code {eventPrefix}{groupId}}
 *   <li>item channel: {@code {eventPrefix}{groupId}:{id}}
 * </ul>
 *
 * <p>Names are not validated here; the adapter validates them before it asks for a key.
 *
 * @param keyPrefix prefix of every data key
 * @param eventPrefix prefix of every event channel
 */
public record KeyLayout(String keyPrefix, String eventPrefix) {

  /**
   * @throws IllegalArgumentException if a prefix is null or empty
   */
  public KeyLayout {
    requirePrefix("keyPrefix", keyPrefix);
    requirePrefix("eventPrefix", eventPrefix);
  }

  /**
   * @param config a configuration
   * @return the layout of its prefixes
   */
  public static KeyLayout of(StreamConfig config) {
    return new KeyLayout(config.keyPrefix(), config.eventPrefix());
  }

  /** @return the layout with the default prefixes */
  public static KeyLayout defaults() {
    return new KeyLayout(StreamConfig.DEFAULT_KEY_PREFIX, StreamConfig.DEFAULT_EVENT_PREFIX);
  }

  /**
   * @param groupId the group
   * @param id the item
   * @return the data key (K1)
   */
  public String dataKey(String groupId, String id) {
    return keyPrefix + groupId + ':' + id;
  }

  /**
   * @param groupId the group
   * @return the common prefix of every data key of the group
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
    return eventPrefix + groupId;
  }

  /**
   * @param groupId the group
   * @param id the item
   * @return the item channel (K3)
   */
  public String itemChannel(String groupId, String id) {
    return eventPrefix + groupId + ':' + id;
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
