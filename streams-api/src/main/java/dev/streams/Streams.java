package dev.streams;

import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Opens adapters: finds the backends on the classpath and opens the chosen one (S1–S3).
 *
 * <p>The backend is, in this order: the configuration's {@link StreamConfig#backend()}, the system
 * property {@value BackendSelector#BACKEND_PROPERTY}, the environment variable
 * {@code STREAMS_BACKEND}, or else the only backend on the classpath. With none, or several and no
 * choice, opening fails with a message that says what to add or how to choose.
 *
 * <pre>{@code
 * try (StreamAdapter streams = Streams.open(StreamConfig.fromEnvironment())) {
 *   streams.set("users", "u1", Map.of("name", "Ann"));
 * }
 * }</pre>
 */
public final class Streams {

  private Streams() {}

  /**
   * @return an adapter configured from the environment ({@link StreamConfig#fromEnvironment()})
   */
  public static StreamAdapter open() {
    return open(StreamConfig.fromEnvironment());
  }

  /**
   * @param config the configuration
   * @return a new, open adapter of the chosen backend
   * @throws IllegalStateException if no backend, or several and none chosen, are on the classpath
   * @throws IllegalArgumentException if the chosen backend is not on the classpath
   * @throws StreamConnectionException if the store cannot be reached
   */
  public static StreamAdapter open(StreamConfig config) {
    return open(config, Thread.currentThread().getContextClassLoader());
  }

  static StreamAdapter open(StreamConfig config, ClassLoader classLoader) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    String requested = config.backend().orElseGet(Streams::backendFromSystem);
    return BackendSelector.select(providers(classLoader), requested).open(config);
  }

  /** @return the names of the backends on the classpath, sorted */
  public static List<String> availableBackends() {
    TreeSet<String> names = new TreeSet<>();
    providers(Thread.currentThread().getContextClassLoader()).forEach(p -> names.add(p.name()));
    return List.copyOf(names);
  }

  private static Iterable<StreamAdapterProvider> providers(ClassLoader classLoader) {
    return ServiceLoader.load(StreamAdapterProvider.class, classLoader);
  }

  private static String backendFromSystem() {
    String property = System.getProperty(BackendSelector.BACKEND_PROPERTY);
    if (property != null && !property.isBlank()) {
      return property.trim();
    }
    String variable = System.getenv(EnvironmentConfig.STREAMS_BACKEND);
    return variable == null || variable.isBlank() ? null : variable.trim();
  }
}
