package dev.streams.redis.server;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A plain subscriber on one channel, on its own {@link RespConnection} and thread: what another
 * program listening on the channel receives, byte for byte.
 */
public final class RawSubscriber implements AutoCloseable {

  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final RespConnection connection;
  private final Thread thread;

  private RawSubscriber(RespConnection connection, Thread thread) {
    this.connection = connection;
    this.thread = thread;
  }

  /**
   * Subscribes and returns once the server confirmed the subscription.
   *
   * @param endpoint the server
   * @param channel the channel
   * @param onMessage receives each message's raw bytes, on the subscriber's thread
   * @return the running subscriber; close it to stop
   */
  public static RawSubscriber start(RedisEndpoint endpoint, String channel, Consumer<byte[]> onMessage) {
    RespConnection connection = RespConnection.open(endpoint, CONFIRM_TIMEOUT);
    try {
      connection.send("SUBSCRIBE", channel);
      Object confirmation = connection.readReply(true);
      if (!(confirmation instanceof List<?> parts) || parts.isEmpty()
          || !"subscribe".equals(new String((byte[]) parts.get(0), java.nio.charset.StandardCharsets.UTF_8))) {
        throw new IllegalStateException("raw subscription to " + channel + " not confirmed: " + confirmation);
      }
      // Between messages the connection is idle for as long as the test likes.
      connection.readTimeout(Duration.ZERO);
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
    Thread thread = new Thread(() -> {
      try {
        while (true) {
          if (connection.readReply(true) instanceof List<?> parts && parts.size() == 3
              && parts.get(2) instanceof byte[] payload) {
            onMessage.accept(payload);
          }
        }
      } catch (RuntimeException closed) {
        // The socket was closed by close(): the end of this subscriber.
      }
    }, "raw-subscriber-" + channel);
    thread.setDaemon(true);
    thread.start();
    return new RawSubscriber(connection, thread);
  }

  /** Closes the connection and waits for the thread to end. */
  @Override
  public void close() {
    connection.close();
    try {
      thread.join(STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
