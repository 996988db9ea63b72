package dev.streams;

/**
 * A key under the stream layout holds something that is not a stream item: text that is not a
 * JSON object, or a value of the wrong store type (K7).
 *
 * <p>The message names the key. The foreign value is never changed or deleted by the adapter.
 */
public class StreamDataException extends StreamException {

  private static final long serialVersionUID = 1L;

  private final String key;

  /**
   * @param key the offending key
   * @param message what was found there
   */
  public StreamDataException(String key, String message) {
    super(message);
    this.key = key;
  }

  /**
   * @param key the offending key
   * @param message what was found there
   * @param cause the parse failure
   */
  public StreamDataException(String key, String message, Throwable cause) {
    super(message, cause);
    this.key = key;
  }

  /** @return the key whose value is not a stream item */
  public String key() {
    return key;
  }
}
