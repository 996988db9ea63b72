package dev.streams.spi;

/**
 * How a backend starts and stops receiving a channel. The adapter builds it once, from a factory that
 * gets the {@link MessageSink} where the transport hands every message that arrives (see
 * {@link AbstractStreamAdapter}).
 */
public interface ChannelTransport extends AutoCloseable {
  /**
   * Starts receiving a channel; returns once messages published afterwards will arrive.
   *
   * @param channel the channel name
   */
  void subscribe(String channel);

  /**
   * Stops receiving a channel.
   *
   * @param channel the channel name
   */
  void unsubscribe(String channel);

  /**
   * For health checks: whether the connection that receives the channels is up now. Asked only while
   * the adapter has subscriptions.
   *
   * @return false while the connection is lost and being reconnected; true by default, for a
   *     transport without a connection
   */
  default boolean isConnected() {
    return true;
  }

  /**
   * Stops receiving every channel and releases what the transport holds. The adapter calls it once,
   * when it closes, after every subscription has ended and before
   * {@link AbstractStreamAdapter#closeBackend()}; nothing is subscribed afterwards.
   */
  @Override
  default void close() {}
}
