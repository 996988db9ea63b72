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
}
