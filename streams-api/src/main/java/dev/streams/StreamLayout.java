package dev.streams;

import java.util.Locale;

/**
 * How items are kept in the store (L1): the {@code layout} option of {@link StreamConfig}, the same
 * on every backend.
 */
public enum StreamLayout {

  /**
   * One string key per item, {@code {keyPrefix}{groupId}:{id}} (K1–K7); the default, and the layout of
   * the Node adapter's defaults. A group read walks the whole database with {@code SCAN}.
   */
  FLAT("flat"),

  /**
   * One Redis hash per group, {@code {keyPrefix}{<tag>}}, one field per item id (L2). Every key and
   * channel of a group carries the group as a hash tag, so they share one cluster slot, and a group
   * read costs time in proportion to the group alone.
   */
  HASH("hash");

  private final String optionValue;

  StreamLayout(String optionValue) {
    this.optionValue = optionValue;
  }

  /** @return the name as the option spells it: {@code flat} or {@code hash} */
  public String optionValue() {
    return optionValue;
  }

  /**
   * @param option what names the option in a message ({@code layout}, {@code STREAMS_LAYOUT},
   *     {@code --layout} ...)
   * @param value {@code flat} or {@code hash}, in any case, surrounding blanks ignored
   * @return the layout
   * @throws IllegalArgumentException naming the option and the value if it is neither
   */
  public static StreamLayout parse(String option, String value) {
    if (value != null) {
      String normal = value.trim().toLowerCase(Locale.ROOT);
      for (StreamLayout layout : values()) {
        if (layout.optionValue.equals(normal)) {
          return layout;
        }
      }
    }
    throw new IllegalArgumentException(option + " must be 'flat' or 'hash', but was "
        + (value == null ? "null" : "'" + dev.streams.internal.Names.abbreviate(value) + "'"));
  }

  @Override
  public String toString() {
    return optionValue;
  }
}
