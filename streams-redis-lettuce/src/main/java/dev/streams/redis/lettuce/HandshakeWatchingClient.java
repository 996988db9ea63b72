package dev.streams.redis.lettuce;

import io.lettuce.core.ConnectionBuilder;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.Channel;
import java.util.concurrent.CompletionStage;

/**
 * The {@link RedisClient} every connection of the backend to one server is opened with (the command
 * connection's {@link CoalescingClient}, the subscribers' {@link LettuceClient}): a connection whose
 * handshake the server answers with an error (a refused login, say) fails with that error, never
 * with Lettuce's "Connection closed prematurely" or "RedisHandshakeHandler not registered" (C3, C4;
 * see {@link HandshakeWatch}).
 */
class HandshakeWatchingClient extends RedisClient {

  HandshakeWatchingClient(ClientResources resources, RedisURI uri) {
    super(resources, uri);
  }

  @Override
  protected <K, V, T extends RedisChannelHandler<K, V>> ConnectionFuture<T> initializeChannelAsync(
      ConnectionBuilder builder) {
    HandshakeWatch watch = HandshakeWatch.on(builder, this::createHandshake, this::handedToLettuce);
    return watch.reporting(super.initializeChannelAsync(builder));
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
}
