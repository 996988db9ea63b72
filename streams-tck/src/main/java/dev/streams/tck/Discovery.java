package dev.streams.tck;

import dev.streams.StreamAdapterProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What {@link ServiceLoader} finds, as {@code Streams.open} looks for it (the thread's context class
 * loader), and runs with a classpath that registers only chosen providers.
 */
final class Discovery {

  /** The registration file a provider is listed in. */
  static final String SERVICES_FILE = "META-INF/services/" + StreamAdapterProvider.class.getName();

  private Discovery() {}

  /** @return the registered providers by name, as {@code Streams.open} would find them */
  static Map<String, StreamAdapterProvider> registered() {
    Map<String, StreamAdapterProvider> byName = new TreeMap<>();
    for (StreamAdapterProvider provider
        : ServiceLoader.load(StreamAdapterProvider.class, Thread.currentThread().getContextClassLoader())) {
      byName.putIfAbsent(provider.name(), provider);
    }
    return byName;
  }

  /** @return the provider registered under the name, if any */
  static Optional<StreamAdapterProvider> registered(String name) {
    return Optional.ofNullable(registered().get(name));
  }

  /**
   * Runs an action while the context class loader lists exactly the given provider classes in the
   * registration file, and everything else as before.
   *
   * @param providerClasses class names, loadable from the current context class loader
   * @param action what to run
   * @return what the action returned
   */
  static <T> T withOnly(List<String> providerClasses, Supplier<T> action) {
    Path services;
    try {
      services = Files.createTempFile("tck-services-", ".txt");
      Files.write(services, providerClasses);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    thread.setContextClassLoader(new ClassLoader(original) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        return SERVICES_FILE.equals(name)
            ? Collections.enumeration(List.of(services.toUri().toURL()))
            : super.getResources(name);
      }
    });
    try {
      return action.get();
    } finally {
      thread.setContextClassLoader(original);
      try {
        Files.deleteIfExists(services);
      } catch (IOException e) {
        // A temporary file left behind; nothing depends on it.
      }
    }
  }
}
