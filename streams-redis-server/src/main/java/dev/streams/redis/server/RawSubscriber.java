package dev.streams.redis.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A plain subscriber on one channel, on its own {@link RespConnection} and thread: what another
 * program listening on the channel receives, byte for byte. Classic ({@code SUBSCRIBE}) or sharded
 * ({@code SSUBSCRIBE}, Redis 7: on a cluster, on the node that owns the channel's slot).
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
   * Subscribes ({@code SUBSCRIBE}) and returns once the server confirmed the subscription.
   *
   * @param endpoint the server
   * @param channel the channel
   * @param onMessage receives each message's raw bytes, on the subscriber's thread
   * @return the running subscriber; close it to stop
   * @throws IllegalStateException if the server does not confirm the subscription
   */
  public static RawSubscriber start(RedisEndpoint endpoint, String channel, Consumer<byte[]> onMessage) {
    return start(endpoint, channel, onMessage, Kind.CLASSIC);
  }

  /**
   * Subscribes to a shard channel ({@code SSUBSCRIBE}) and returns once the server confirmed the
   * subscription. On a cluster the endpoint must be the node that owns the channel's slot (or one
   * of its replicas); another node answers {@code MOVED}, which this throws.
   *
   * @param endpoint the server
   * @param channel the shard channel
   * @param onMessage receives each message's raw bytes ({@code SPUBLISH}), on the subscriber's thread
   * @return the running subscriber; close it to stop
   * @throws RespConnection.RedisReplyError if the server refuses the subscription, e.g. {@code MOVED}
   * @throws IllegalStateException if the server does not confirm the subscription
   */
  public static RawSubscriber startSharded(RedisEndpoint endpoint, String channel, Consumer<byte[]> onMessage) {
    return start(endpoint, channel, onMessage, Kind.SHARDED);
  }

  private static RawSubscriber start(RedisEndpoint endpoint, String channel, Consumer<byte[]> onMessage,
      Kind kind) {
    RespConnection connection = RespConnection.open(endpoint, CONFIRM_TIMEOUT);
    try {
      connection.send(kind.command, channel);
      Object confirmation = connection.readReply(true);
      if (!kind.confirmation.equals(kindOf(confirmation))) {
        throw new IllegalStateException("raw " + kind.command + " to " + channel + " not confirmed: "
            + confirmation);
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
          Object push = connection.readReply(true);
          // [kind, channel, payload]; other pushes (a sunsubscribe when the slot moves) carry none.
          if (push instanceof List<?> parts && parts.size() == 3 && kind.message.equals(kindOf(push))
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

  /** @return the first part of a push ({@code subscribe}, {@code message} ...), or null */
  private static String kindOf(Object push) {
    return push instanceof List<?> parts && !parts.isEmpty() && parts.get(0) instanceof byte[] kind
        ? new String(kind, StandardCharsets.UTF_8) : null;
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

  /** Classic or sharded pub/sub: the command, its confirmation and its messages. */
  private enum Kind {
    CLASSIC("SUBSCRIBE", "subscribe", "message"),
    SHARDED("SSUBSCRIBE", "ssubscribe", "smessage");

    final String command;
    final String confirmation;
    final String message;

    Kind(String command, String confirmation, String message) {
      this.command = command;
      this.confirmation = confirmation;
      this.message = message;
    }
  }
}
