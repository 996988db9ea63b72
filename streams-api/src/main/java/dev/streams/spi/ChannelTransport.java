package dev.streams.spi;

/** How a backend starts and stops receiving a channel. */
public interface ChannelTransport {
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
}
