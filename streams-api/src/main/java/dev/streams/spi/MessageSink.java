package dev.streams.spi;

/**
 * Where a backend's {@link ChannelTransport} hands what arrives on its channels. The adapter gives
 * the transport its sink when it builds it ({@link AbstractStreamAdapter}); the sink is the
 * {@link EventDispatcher}, which turns each message into events for the handlers (E2–E7).
 *
 * <p>Every method returns quickly and never blocks, so a transport may call them on its client's I/O
 * thread.
 */
public interface MessageSink {

  /**
   * A message arrived on a subscribed channel; one that is not a valid event is logged and dropped
   * (E6).
   *
   * @param channelName the channel it arrived on
   * @param message the message text
   */
  void onMessage(String channelName, String message);

  /**
   * The transport re-established its connection and every channel: each handler gets a {@code sync}
   * event, as messages may have been missed meanwhile (E7).
   */
  void reconnected();

  /**
   * The server ended these channels' subscriptions while the connection stayed up (a sharded channel
   * whose slot moved to another node, or whose node failed over) and the transport subscribed them
   * again: each of their handlers gets one {@code sync} event with reason
   * {@value dev.streams.StreamEvent#REASON_RESUBSCRIBED}, the other handlers nothing (E7). Channels
   * without a subscription are ignored.
   *
   * @param channelNames the channels subscribed again
   */
  void resubscribed(java.util.Set<String> channelNames);

  /**
   * The reconnect strategy gave up: each handler gets one last {@code disconnected} event carrying
   * the reason, and its subscription ends (E7). The sink unsubscribes the ended channels through the
   * transport, so the transport calls this outside its own locks.
   *
   * @param reason the strategy's reason
   */
  void disconnected(String reason);
}
