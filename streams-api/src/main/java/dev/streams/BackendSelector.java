package dev.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Chooses the backend for a configuration among the providers found (S2, S3). */
final class BackendSelector {

  /** The system property that names the backend. */
  public static final String BACKEND_PROPERTY = "streams.backend";

  private BackendSelector() {}

  /**
   * @param providers the providers on the classpath
   * @param requested the backend asked for, or null for the only one
   * @return the chosen provider
   * @throws IllegalArgumentException if {@code requested} is not among them (S3)
   * @throws IllegalStateException if none is given, or several and none is requested (S2), or two
   *     share a name
   */
  public static StreamAdapterProvider select(
      Iterable<StreamAdapterProvider> providers, String requested) {
    Map<String, StreamAdapterProvider> byName = new TreeMap<>();
    for (StreamAdapterProvider provider : providers) {
      StreamAdapterProvider previous = byName.putIfAbsent(provider.name(), provider);
      if (previous != null) {
        throw new IllegalStateException("Two streams backends are named \"" + provider.name()
            + "\": " + previous.getClass().getName() + " and " + provider.getClass().getName()
            + ". Remove one of them from the classpath.");
      }
    }
    List<String> names = new ArrayList<>(byName.keySet());
    if (requested != null) {
      StreamAdapterProvider chosen = byName.get(requested);
      if (chosen == null) {
        throw new IllegalArgumentException("Streams backend \"" + requested
            + "\" is not on the classpath. Backends on the classpath: "
            + (names.isEmpty() ? "none. " + HOW_TO_ADD : names + "."));
      }
      return chosen;
    }
    if (names.isEmpty()) {
      throw new IllegalStateException("No streams backend on the classpath. " + HOW_TO_ADD);
    }
    if (names.size() > 1) {
      throw new IllegalStateException("Several streams backends on the classpath: " + names
          + ". Choose one with StreamConfig.builder().backend(\"" + names.get(0)
          + "\"), the environment variable STREAMS_BACKEND or the system property "
          + BACKEND_PROPERTY + ".");
    }
    return byName.get(names.get(0));
  }

  private static final String HOW_TO_ADD = "Add a backend module as a dependency:"
      + " dev.streams:streams-memory (backend \"memory\"),"
      + " dev.streams:streams-redis-jedis (backend \"redis-jedis\") or"
      + " dev.streams:streams-redis-lettuce (backend \"redis-lettuce\")."
      // A third-party backend on the classpath but not found is missing its registration.
      + " A backend of your own is found through its registration for ServiceLoader: annotate its"
      + " provider with @AutoService(StreamAdapterProvider.class), or list the provider's class name"
      + " in META-INF/services/" + StreamAdapterProvider.class.getName() + ".";
}
