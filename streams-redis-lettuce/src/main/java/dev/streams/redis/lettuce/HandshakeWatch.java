package dev.streams.redis.lettuce;

import dev.streams.redis.internal.ConnectionFailures;
import io.lettuce.core.ConnectionBuilder;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.ConnectionState;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.protocol.ConnectionInitializer;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One connection's handshake, watched, for every client the backend opens connections with
 * ({@link HandshakeWatchingClient}, {@link WatchedClusterClient}): the first error reply the server
 * gives the handshake is kept, and if the opening then fails as {@link #CLOSED_PREMATURELY} or
 * {@link #HANDLER_GONE} (both the close of the failed handshake outrunning Lettuce's own listeners),
 * it fails with that reply instead, as it does when the close comes last. So a refused login is
 * reported as one whatever the order of Lettuce's listeners (C3: the message must not vary, and must
 * not blame TLS, C4); a connection the server closed without a reply (a TLS-only port) has no reply
 * kept and keeps Lettuce's error.
 */
final class HandshakeWatch {

  /**
   * Lettuce's words for a connection that went inactive before its handshake was done. Its
   * {@code RedisHandshakeHandler} also uses them when it closed the connection itself after a failed
   * handshake and the close reached {@code channelInactive} before the handshake's own error was
   * passed on (that error is handed over only in a listener of the close, which can run after it).
   */
  static final String CLOSED_PREMATURELY = "Connection closed prematurely";
  /**
   * Lettuce's words when its connect listener runs after the channel was closed and its handlers
   * removed: the handshake failed and the handler closed the channel before that listener (added
   * from the connecting thread) ran.
   */
  static final String HANDLER_GONE = "RedisHandshakeHandler not registered";

  private final AtomicReference<Throwable> errorReply = new AtomicReference<>();

  private HandshakeWatch() {}

  /**
   * Watches the handshake of the connection {@code builder} is about to open; call it in the
   * client's {@code initializeChannelAsync}, before Lettuce's own.
   *
   * @param builder the connection's builder, its connection set
   * @param handshakes the client's own {@code createHandshake}
   * @param handedToLettuce what Lettuce's handshake handler is given, from the watched handshake (a
   *     seam for tests; the identity otherwise)
   * @return the watch, to {@link #reporting} the opening with
   */
  static HandshakeWatch on(ConnectionBuilder builder, Function<ConnectionState, ConnectionInitializer> handshakes,
      BiFunction<Channel, CompletionStage<Void>, CompletionStage<Void>> handedToLettuce) {
    HandshakeWatch watch = new HandshakeWatch();
    if (builder.connection() instanceof StatefulRedisConnectionImpl<?, ?> connection) {
      // The handshake Lettuce itself just set on the builder (which has no getter for it), made again
      // from the same state. Made anew on each call, it holds no state of its own before initialize.
      ConnectionInitializer handshake = handshakes.apply(connection.getConnectionState());
      builder.connectionInitializer(channel -> handedToLettuce.apply(channel, watch.watched(channel, handshake)));
    }
    return watch;
  }

  /** @return the opening, failed with the server's error reply where Lettuce's close outran it */
  <T> ConnectionFuture<T> reporting(ConnectionFuture<T> opening) {
    return opening.thenCompose((connection, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(connection);
      }
      Throwable reported = unwrap(failure);
      Throwable reply = errorReply.get();
      return CompletableFuture.failedFuture(
          reply != null && hidesTheReply(reported) ? reply : reported);
    });
  }

  /**
   * @return Lettuce's handshake on the channel, its first error reply kept before the handshake
   *     handler is told (so before it closes the channel); the stage completes as Lettuce's own,
   *     with the very same exception
   */
  private CompletionStage<Void> watched(Channel channel, ConnectionInitializer handshake) {
    CompletableFuture<Void> relayed = new CompletableFuture<>();
    handshake.initialize(channel).whenComplete((done, failure) -> {
      if (failure == null) {
        relayed.complete(done);
        return;
      }
      // An error reply: the server answered as Redis does (a TLS-only port never does).
      if (ConnectionFailures.hasCause(failure, RedisCommandExecutionException.class)) {
        errorReply.compareAndSet(null, failure);
      }
      relayed.completeExceptionally(failure);
    });
    return relayed;
  }

  /** @return whether the failure is one of Lettuce's for a close that outran the handshake's error */
  private static boolean hidesTheReply(Throwable failure) {
    return failure instanceof RedisConnectionException && CLOSED_PREMATURELY.equals(failure.getMessage())
        || failure instanceof IllegalStateException && HANDLER_GONE.equals(failure.getMessage());
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
