package dev.streams.tck;

import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import java.util.Optional;

/**
 * One fresh, empty store for one TCK test, supplied by the backend under test. Adapters opened on it
 * share its data and events, like two application instances on one server.
 */
public interface TckStore extends AutoCloseable {

  /**
   * Opens an adapter on this store.
   *
   * @param settings the options the test chose (prefixes, event queue bound; everything else at its
   *     default); the store adds its own connection options (backend, host, port, database ...)
   * @return a new adapter; the TCK closes it
   */
  StreamAdapter open(StreamConfig settings);

  /**
   * @return a view of the store beneath the adapters, or empty if the backend has none (the clauses
   *     that need one are then reported as skipped)
   */
  Optional<RawView> rawView();

  /** Discards the store's data; called after each test, once its adapters are closed. */
  @Override
  void close();
}
