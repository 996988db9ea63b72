package dev.streams.tck;

import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import java.util.Optional;

/**
 * One fresh, empty store for one TCK test, supplied by the backend under test. Adapters opened on it
 * share its data and events, like two application instances on one server.
 *
 * <p>A backend implements {@link #backendName()}, {@link #configure(StreamConfig)}, {@link #rawView()}
 * and {@link #close()}; adapters are then opened the way an application opens them, through
 * {@link Streams#open(StreamConfig)} and the backend's registration for {@link java.util.ServiceLoader}
 * (the discovery clauses S1–S3 check that registration on its own too).
 */
public interface TckStore extends AutoCloseable {

  /**
   * @return the name of the backend under test, as its provider's {@code name()} gives it and as an
   *     application names it in {@code StreamConfig.builder().backend(...)}
   */
  String backendName();

  /**
   * Adds this store's connection to the options a test chose.
   *
   * @param settings the options the test chose (prefixes, event queue bound, the database; everything
   *     else at its default, the backend unnamed). The database is 0, or 1 where a clause needs a
   *     second database of the same server (E8): the store gives them two different databases of
   *     one server (it may map them to numbers of its own), unless {@link #offersSecondDatabase()}
   *     says it cannot
   * @return the settings with this store's connection options added (host, port, database,
   *     credentials ...); leave the backend unnamed: the TCK names it, or leaves it out on purpose
   */
  StreamConfig configure(StreamConfig settings);

  /**
   * Opens an adapter on this store. By default as an application does: {@link Streams#open} with
   * {@link #configure(StreamConfig)} and {@link #backendName()}; override only to wrap the adapter.
   *
   * @param settings the options the test chose, as for {@link #configure(StreamConfig)}
   * @return a new adapter; the TCK closes it
   */
  default StreamAdapter open(StreamConfig settings) {
    return Streams.open(configure(settings).toBuilder().backend(backendName()).build());
  }

  /**
   * @return whether {@link #configure} can put an adapter asked for database 1 on another database of
   *     the same server as database 0 (true unless overridden); a store that cannot (a backend without
   *     databases, a test server with only one) returns false, and the clauses that need a second
   *     database are reported as skipped with the reason
   */
  default boolean offersSecondDatabase() {
    return true;
  }

  /**
   * @param layout a layout
   * @return whether a group channel's events under that layout reach a subscriber in the order they
   *     were published (E3; true unless overridden). A Redis Cluster under {@code flat} returns false
   *     (L3): a group's items live on every primary, each publishes its own events, so they come in
   *     by several routes, in order per item only; the TCK then checks the order per item and waits
   *     for earlier events with a marker from every node ({@link RawView#publishFromEveryNode})
   */
  default boolean ordersGroupEvents(dev.streams.StreamLayout layout) {
    return true;
  }

  /**
   * @return a view of the store beneath the adapters, or empty if the backend has none (the clauses
   *     that need one are then reported as skipped)
   */
  Optional<RawView> rawView();

  /**
   * Holds back every write to the store (set, delete, clear, send) until the returned handle is
   * closed, while reads and the raw view go on; A2 uses it to keep calls in flight. A Redis store
   * pauses its clients' writes ({@code CLIENT PAUSE ... WRITE}); an in-JVM store holds its write lock.
   *
   * @return the hold, or empty if this store cannot hold writes (A2's test is then reported as
   *     skipped, with the reason); the default is empty
   */
  default Optional<AutoCloseable> holdWrites() {
    return Optional.empty();
  }

  /** Discards the store's data; called after each test, once its adapters are closed. */
  @Override
  void close();
}
