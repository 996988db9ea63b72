package dev.streams.redis.lettuce;

import io.lettuce.core.ConnectionBuilder;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.Channel;
import java.util.concurrent.CompletionStage;

/**
 * The {@link RedisClusterClient} of the backend on a Redis Cluster (L3): every connection it opens,
 * to a seed, a node or for sharded pub/sub, has its handshake watched as on one server (C3, C4; see
 * {@link HandshakeWatch}).
 */
class WatchedClusterClient extends RedisClusterClient {

  WatchedClusterClient(ClientResources resources, Iterable<RedisURI> seeds) {
    super(resources, seeds);
  }

  @Override
  protected <K, V, T extends RedisChannelHandler<K, V>> ConnectionFuture<T> initializeChannelAsync(
      ConnectionBuilder builder) {
    HandshakeWatch watch = HandshakeWatch.on(builder, this::createHandshake, this::handedToLettuce);
    return watch.reporting(super.initializeChannelAsync(builder));
  }

  /**
   * What Lettuce's handshake handler is given, as {@link HandshakeWatchingClient#handedToLettuce}: a
   * seam for the test that makes the handler's close come first.
   *
   * @param channel the connection's channel
   * @param handshake the watched handshake
   * @return the stage the handshake handler waits for
   */
  CompletionStage<Void> handedToLettuce(Channel channel, CompletionStage<Void> handshake) {
    return handshake;
  }
}
