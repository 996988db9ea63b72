package dev.streams;

/**
 * Base type of every failure a stream adapter reports that is not a plain argument or state error.
 *
 * <p>Bad arguments are reported as {@link IllegalArgumentException}, calls on a closed adapter as
 * {@link IllegalStateException}; everything else a backend raises is a subtype of this class.
 */
public class StreamException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong; must not contain secrets
   */
  public StreamException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong; must not contain secrets
   * @param cause the underlying failure
   */
  public StreamException(String message, Throwable cause) {
    super(message, cause);
  }
}
