package dev.streams.internal;

/** Validation of group ids and item ids (D2, D3). */
public final class Names {

  /** Longest group id or item id, in UTF-8 bytes. */
  public static final int MAX_BYTES = 1024;

  private Names() {}

  /**
   * @param groupId the candidate
   * @return {@code groupId}
   * @throws IllegalArgumentException naming {@code groupId} if it is null, empty, longer than
   *     {@value #MAX_BYTES} UTF-8 bytes, or contains {@code ':'}
   */
  public static String requireGroupId(String groupId) {
    requireName("groupId", groupId);
    if (groupId.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "groupId must not contain ':' (the key layout could not tell a:b + c from a + b:c), but was '"
              + abbreviate(groupId) + "'");
    }
    return groupId;
  }

  /**
   * @param id the candidate
   * @return {@code id}
   * @throws IllegalArgumentException naming {@code id} if it is null, empty or longer than
   *     {@value #MAX_BYTES} UTF-8 bytes
   */
  public static String requireId(String id) {
    return requireName("id", id);
  }

  private static String requireName(String argument, String value) {
    if (value == null) {
      throw new IllegalArgumentException(argument + " must not be null");
    }
    if (value.isEmpty()) {
      throw new IllegalArgumentException(argument + " must not be empty");
    }
    // A UTF-16 char takes at most 3 UTF-8 bytes: short names need no encoding to be measured.
    if (value.length() * 3L > MAX_BYTES) {
      long bytes = utf8Length(value);
      if (bytes > MAX_BYTES) {
        throw new IllegalArgumentException(argument + " must be at most " + MAX_BYTES
            + " UTF-8 bytes, but was " + bytes + " bytes: '" + abbreviate(value) + "'");
      }
    }
    int surrogate = unpairedSurrogate(value);
    if (surrogate >= 0) {
      // It could not be encoded as UTF-8, so it would not come back as it went in.
      throw new IllegalArgumentException(argument + " must be valid Unicode, but has an unpaired"
          + " surrogate at index " + surrogate);
    }
    return value;
  }

  /**
   * @param value any text
   * @return the index of the first unpaired UTF-16 surrogate, or -1 if there is none
   */
  public static int unpairedSurrogate(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * @param value any text
   * @return how many bytes its UTF-8 encoding takes, counted without encoding it (an unpaired
   *     surrogate counts 1, as the encoder's replacement {@code ?} does)
   */
  public static long utf8Length(String value) {
    long bytes = value.length();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          bytes += 2; // a pair: 4 bytes for its 2 chars
          i++;
        } else if (!Character.isSurrogate(c)) {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  /**
   * @param value any text
   * @return the text, cut to 64 characters for use in a message
   */
  public static String abbreviate(String value) {
    return value.length() <= 64 ? value : value.substring(0, 61) + "...";
  }
}
