package dev.streams;

/**
 * The store could not be reached, the connection was lost, or a command timed out.
 *
 * <p>The message names the endpoint ({@code host:port}) and never contains a password.
 */
public class StreamConnectionException extends StreamException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, naming the endpoint
   */
  public StreamConnectionException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong, naming the endpoint
   * @param cause the client's own exception
   */
  public StreamConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
