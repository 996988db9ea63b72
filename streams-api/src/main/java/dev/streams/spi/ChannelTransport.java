package dev.streams.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * How a backend starts and stops receiving a channel. The adapter builds it once, from a factory that
 * gets the {@link MessageSink} where the transport hands every message that arrives (see
 * {@link AbstractStreamAdapter}).
 *
 * <p>Calls for different channels may come at the same time, from different threads. For one
 * channel they come one after the other: a {@link #subscribe} or {@link #subscribeAsync} is
 * followed by an {@link #unsubscribe} only once it returned or its stage completed, and by another
 * subscribe of the channel only after that unsubscribe returned (or after the subscribe failed).
 */
public interface ChannelTransport extends AutoCloseable {
  /**
   * Starts receiving a channel; returns once messages published afterwards will arrive.
   *
   * @param channel the channel name
   */
  void subscribe(String channel);

  /**
   * Starts receiving a channel without blocking the caller on I/O (A1): the stage completes once
   * messages published afterwards will arrive, or fails with what {@link #subscribe} would throw.
   * Many of these may be outstanding at once; a transport that can send a subscription and be told
   * of its confirmation keeps them all on the wire together. The stage may complete on the
   * transport's own I/O thread, so what depends on it must not block.
   *
   * <p>The default runs {@link #subscribe} on {@code blocking}: correct for every transport, one
   * waiting thread per channel in flight.
   *
   * @param channel the channel name
   * @param blocking the adapter's threads for blocking calls; it may refuse a task while the
   *     adapter closes
   * @return the confirmation
   */
  default CompletableFuture<Void> subscribeAsync(String channel, Executor blocking) {
    return CompletableFuture.runAsync(() -> subscribe(channel), blocking);
  }

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
