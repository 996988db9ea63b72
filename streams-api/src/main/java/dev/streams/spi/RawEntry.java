package dev.streams.spi;

/**
 * A key and the text stored there, as a group read found it.
 *
 * @param key the data key, or the group's hash (L2)
 * @param field the field of the hash at {@code key} that holds the text (the item's id), or null
 *     under the flat layout
 * @param value the stored text
 */
public record RawEntry(String key, String field, String value) {

  /**
   * An entry of the flat layout.
   *
   * @param key the data key
   * @param value the stored text
   */
  public RawEntry(String key, String value) {
    this(key, null, value);
  }
}
