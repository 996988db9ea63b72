package dev.streams.redis.lettuce;

import dev.streams.redis.internal.ConnectionFailures;
import io.lettuce.core.ConnectionBuilder;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.protocol.ConnectionInitializer;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link RedisClient} every connection of the backend is opened with (the command connection's
 * {@link CoalescingClient}, the subscribers' {@link LettuceClient}): a connection whose handshake the
 * server answers with an error (a refused login, say) fails with that error, never with Lettuce's
 * "Connection closed prematurely" or "RedisHandshakeHandler not registered" (C3, C4): see
 * {@link #initializeChannelAsync(ConnectionBuilder)}.
 */
class HandshakeWatchingClient extends RedisClient {

  HandshakeWatchingClient(ClientResources resources, RedisURI uri) {
    super(resources, uri);
  }

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

  /**
   * Opens a connection (Lettuce calls this for every command and pub/sub connection) with Lettuce's
   * own handshake, watched: the first error reply the server gives it is kept, and if the opening
   * then fails as {@link #CLOSED_PREMATURELY} or {@link #HANDLER_GONE} (both the close of the failed
   * handshake outrunning Lettuce's own listeners), it fails with that reply instead, as it does when
   * the close comes last. So a refused login is reported as one whatever the order of Lettuce's
   * listeners (C3: the message must not vary, and must not blame TLS, C4); a connection the server
   * closed without a reply (a TLS-only port) has no reply kept and keeps Lettuce's error.
   */
  @Override
  protected <K, V, T extends RedisChannelHandler<K, V>> ConnectionFuture<T> initializeChannelAsync(
      ConnectionBuilder builder) {
    AtomicReference<Throwable> errorReply = new AtomicReference<>();
    if (builder.connection() instanceof StatefulRedisConnectionImpl<?, ?> connection) {
      // The handshake Lettuce itself just set on the builder (which has no getter for it), made again
      // from the same state. Made anew on each call, it holds no state of its own before initialize.
      ConnectionInitializer handshake = createHandshake(connection.getConnectionState());
      builder.connectionInitializer(channel -> watched(channel, handshake, errorReply));
    }
    ConnectionFuture<T> opening = super.initializeChannelAsync(builder);
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
   * @return Lettuce's handshake on the channel, its first error reply kept in {@code errorReply}
   *     before the handshake handler is told (so before it closes the channel); the stage the handler
   *     gets completes as Lettuce's own, with the very same exception
   */
  private CompletionStage<Void> watched(Channel channel, ConnectionInitializer handshake,
      AtomicReference<Throwable> errorReply) {
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
    return handedToLettuce(channel, relayed);
  }

  /**
   * What Lettuce's handshake handler is given: the watched handshake. A seam for the test that makes
   * the handler's close reach {@code channelInactive} first, as it sometimes does under load.
   *
   * @param channel the connection's channel
   * @param handshake the watched handshake
   * @return the stage the handshake handler waits for
   */
  CompletionStage<Void> handedToLettuce(Channel channel, CompletionStage<Void> handshake) {
    return handshake;
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
