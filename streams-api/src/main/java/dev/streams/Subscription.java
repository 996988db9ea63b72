package dev.streams;

/**
 * A handler's registration on a channel. Closing it stops delivery to that handler only (O9).
 */
public interface Subscription extends AutoCloseable {

  /** @return the channel this subscription listens on */
  StreamChannel channel();

  /** @return whether events are still delivered to the handler */
  boolean isActive();

  /** Stops delivery to this handler; idempotent. Events already being handled finish. */
  @Override
  void close();
}
