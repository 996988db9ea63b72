package dev.streams.spring.boot;

import java.util.List;

/**
 * No streams backend, or several and none chosen, or the chosen one is missing: the application
 * cannot start. {@link StreamsBackendFailureAnalyzer} explains what to add or set.
 */
public class StreamsBackendException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final transient List<String> available;
  private final String requested;

  /**
   * @param available the backends on the classpath
   * @param requested the backend asked for, or null
   */
  public StreamsBackendException(List<String> available, String requested) {
    super(message(available, requested));
    this.available = List.copyOf(available);
    this.requested = requested;
  }

  private static String message(List<String> available, String requested) {
    if (requested != null) {
      return "streams.backend is '" + requested + "', which is not on the classpath (found: "
          + (available.isEmpty() ? "none" : String.join(", ", available)) + ")";
    }
    return available.isEmpty() ? "No streams backend is on the classpath"
        : "Several streams backends are on the classpath: " + String.join(", ", available);
  }

  /** @return the backends on the classpath, sorted */
  public List<String> available() {
    return available;
  }

  /** @return the backend asked for, or null */
  public String requested() {
    return requested;
  }
}
