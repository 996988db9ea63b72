package dev.streams;

/**
 * Receives the events of one subscription.
 *
 * <p>Calls for one subscription come one at a time, in publish order, never on the thread that
 * wrote (E3). An exception thrown here is logged and does not end the subscription (E4).
 */
@FunctionalInterface
public interface EventHandler {

  /**
   * @param event the event; {@link StreamEvent#isSync()} tells that events may have been missed
   */
  void onEvent(StreamEvent event);
}
