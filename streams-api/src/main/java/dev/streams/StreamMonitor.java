package dev.streams;

/**
 * What an adapter tells about itself, for metrics and health checks; from
 * {@link StreamAdapter#monitor()}. Thread-safe.
 */
public interface StreamMonitor {

  /** @return the backend name, e.g. {@code memory}, {@code redis-jedis}: a stable tag value */
  String backend();

  /**
   * Attaches an observer until the returned registration is closed. Several may be attached; each is
   * told everything from now on.
   *
   * @param observer the observer
   * @return closes to detach it
   */
  Registration observe(StreamObserver observer);

  /** @return the events queued for this adapter's handlers and not yet delivered, over all of them */
  int queuedEvents();

  /** @return this adapter's active subscriptions */
  int subscriptions();

  /**
   * Asks the store for a reply (one round trip, within the command timeout) and checks the subscriber
   * connection. Never throws: a failure is a {@link StreamHealth.Status#DOWN} result with the reason.
   *
   * @return the adapter's health now
   */
  StreamHealth health();

  /** An attached observer; {@link #close()} detaches it. */
  interface Registration extends AutoCloseable {
    /** Detaches the observer; idempotent. */
    @Override
    void close();
  }
}
