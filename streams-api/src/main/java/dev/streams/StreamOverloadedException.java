package dev.streams;

/**
 * An asynchronous call was refused because the adapter already has
 * {@link StreamConfig#maxCallsInFlight()} calls outstanding (A2). Nothing was sent: the caller may
 * retry once earlier stages have completed, or shed the work.
 */
public class StreamOverloadedException extends StreamException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what was refused and the bound; must not contain secrets
   */
  public StreamOverloadedException(String message) {
    super(message);
  }
}
