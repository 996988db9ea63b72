package dev.streams;

/**
 * Told what an adapter does, for metrics: attach one with {@link StreamMonitor#observe}. Every
 * method has an empty default, so an observer implements only what it records.
 *
 * <p>Calls come on the threads that do the work: the caller's for operations, the delivery threads
 * for events, the backend's connection threads for reconnections. An observer must be fast and
 * thread-safe, and should not throw; an exception it throws is logged and does not change the
 * operation or the delivery. With no observer attached the adapter measures nothing.
 *
 * <p>Nothing here carries a group id, an item id or a document: what an observer records stays of
 * bounded size whatever the data.
 */
public interface StreamObserver {

  /**
   * An operation finished, successfully or not (including invalid arguments, D2, D3).
   *
   * @param operation the operation
   * @param nanos how long it took, in nanoseconds
   * @param failure what it threw, or {@code null} if it returned
   */
  default void operation(StreamOperation operation, long nanos, Throwable failure) {}

  /**
   * A group read ({@link StreamOperation#GET_GROUP} or {@link StreamOperation#QUERY}) read the items
   * of a group: for a query, every item it looked at, not only those it returned.
   *
   * @param operation the operation
   * @param items how many items were read
   */
  default void groupRead(StreamOperation operation, int items) {}

  /**
   * A message arrived on a channel this adapter subscribes; counted once however many handlers
   * the channel has.
   *
   * @param kind the channel's kind
   */
  default void eventReceived(StreamChannel.Kind kind) {}

  /**
   * A handler was called with an event (a {@code sync} or a last {@code disconnected} event too).
   *
   * @param kind the kind of the handler's channel
   * @param handlerNanos how long the handler took, in nanoseconds
   * @param failure what the handler threw (it keeps receiving events, E4), or {@code null}
   */
  default void eventDelivered(StreamChannel.Kind kind, long handlerNanos, Throwable failure) {}

  /**
   * A handler fell {@link StreamConfig#eventQueueCapacity()} events behind: its backlog was dropped
   * and it gets a {@code sync} event with reason {@value StreamEvent#REASON_OVERFLOW} (E5, E7).
   *
   * @param kind the kind of the handler's channel
   * @param events how many queued events were dropped
   */
  default void eventsDropped(StreamChannel.Kind kind, int events) {}

  /**
   * A {@code sync} event was queued for a handler.
   *
   * @param kind the kind of the handler's channel
   * @param reason {@value StreamEvent#REASON_OVERFLOW} or {@value StreamEvent#REASON_RECONNECTED}
   */
  default void sync(StreamChannel.Kind kind, String reason) {}

  /** The backend re-established its subscriber connection and every channel on it (E7). */
  default void reconnected() {}

  /**
   * The reconnect strategy gave up: the adapter is down for good (C4).
   *
   * @param reason the strategy's reason
   */
  default void gaveUp(String reason) {}

  /**
   * The backend wrote a batch of commands to the store in one write: how many calls share each
   * system call, for backends that coalesce concurrent calls on one connection.
   *
   * @param commands how many commands the write carried, 1 or more
   */
  default void commandsWritten(int commands) {}
}
