package dev.streams;

/**
 * A key under the stream layout holds something that is not a stream item: text that is not a
 * JSON object, or a value of the wrong store type (K7).
 *
 * <p>The message names the key, and under the {@code hash} layout (L2) the field of the group's hash
 * the value is in. The foreign value is never changed or deleted by the adapter.
 */
public class StreamDataException extends StreamException {

  private static final long serialVersionUID = 1L;

  private final String key;
  private final String field;

  /**
   * @param key the offending key
   * @param message what was found there
   */
  public StreamDataException(String key, String message) {
    this(key, null, message, null);
  }

  /**
   * @param key the offending key
   * @param message what was found there
   * @param cause the parse failure
   */
  public StreamDataException(String key, String message, Throwable cause) {
    this(key, null, message, cause);
  }

  /**
   * @param key the offending key
   * @param field the field of the hash at {@code key} that holds the value, or null for the whole key
   * @param message what was found there
   * @param cause the parse failure, or null
   */
  public StreamDataException(String key, String field, String message, Throwable cause) {
    super(message, cause);
    this.key = key;
    this.field = field;
  }

  /**
   * @return the field of the hash at {@link #key()} whose value is not a stream item (the item's id,
   *     under the {@code hash} layout), or null when the whole key is at fault
   */
  public String field() {
    return field;
  }

  /** @return the key whose value is not a stream item */
  public String key() {
    return key;
  }
}
