package dev.streams.spring.boot;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs code with only some backends discoverable: {@link dev.streams.Streams} finds backends through
 * the thread's context class loader, which here hides the provider registrations of the others.
 * All three backend modules are on this module's test classpath.
 */
final class Backends {

  private static final String SERVICES = "META-INF/services/dev.streams.StreamAdapterProvider";

  private Backends() {}

  /**
   * @param modules the backend modules to keep discoverable, e.g. {@code streams-memory}
   * @param body what to run
   */
  static void with(List<String> modules, Runnable body) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(new Filtering(previous, modules));
    try {
      body.run();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  static <T> T with(List<String> modules, Supplier<T> body) {
    Object[] result = new Object[1];
    with(modules, () -> {
      result[0] = body.get();
    });
    @SuppressWarnings("unchecked")
    T value = (T) result[0];
    return value;
  }

  private static final class Filtering extends ClassLoader {
    private final List<String> modules;

    Filtering(ClassLoader parent, List<String> modules) {
      super(parent);
      this.modules = modules;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      Enumeration<URL> all = super.getResources(name);
      if (!SERVICES.equals(name)) {
        return all;
      }
      List<URL> kept = Collections.list(all).stream()
          .filter(url -> modules.stream().anyMatch(module -> url.toString().contains("/" + module + "/")
              || url.toString().contains("/" + module + "-")))
          .toList();
      return Collections.enumeration(kept);
    }
  }
}
