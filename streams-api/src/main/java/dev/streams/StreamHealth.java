package dev.streams;

/**
 * The result of {@link StreamMonitor#health()}: whether the store answered and the subscriber
 * connection is live.
 *
 * @param status {@link Status#UP} when the store answered and, if the adapter has subscriptions, the
 *     subscriber connection is connected
 * @param backend the backend name, e.g. {@code redis-lettuce}
 * @param subscriber the state of the subscriber connection
 * @param subscriptions how many subscriptions the adapter has
 * @param problem why the status is {@link Status#DOWN} (never containing the password), or
 *     {@code null} when it is up
 */
public record StreamHealth(
    Status status, String backend, Subscriber subscriber, int subscriptions, String problem) {

  /** Up or down. */
  public enum Status {
    /** The store answers and events arrive. */
    UP,
    /** The store does not answer, the subscriber connection is lost, or the adapter is done. */
    DOWN
  }

  /** The state of the connection that receives events. */
  public enum Subscriber {
    /** No subscriptions, so no connection is needed. */
    IDLE,
    /** Connected: events arrive. */
    CONNECTED,
    /** Lost; the backend is reconnecting (events published meanwhile are lost, E7). */
    RECONNECTING,
    /** The reconnect strategy gave up, or the adapter is closed: no events arrive any more. */
    ENDED
  }

  /** @return whether the status is {@link Status#UP} */
  public boolean isUp() {
    return status == Status.UP;
  }
}
