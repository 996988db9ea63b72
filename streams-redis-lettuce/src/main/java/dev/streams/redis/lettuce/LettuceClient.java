package dev.streams.redis.lettuce;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.PubSubEndpoint;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnectionImpl;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * A {@link RedisClient} whose pub/sub connections tell an observer when they (re)connect, and which
 * channels Lettuce is about to subscribe again. Lettuce offers no event that says when its own
 * re-subscription starts; {@code activated()} is that moment, on the connection's event loop, before
 * any reply to the re-subscription can be read.
 *
 * <p>Its pub/sub endpoints also remember the network channel of each activation, so that the
 * subscriber's keepalive can close exactly the channel it found silent: Lettuce's connection watchdog
 * then reconnects as after any loss (closing the connection instead would end it for good).
 *
 * <p>A connection whose handshake the server answers with an error fails with that error, as every
 * connection of the adapter does (see {@link HandshakeWatchingClient}).
 */
class LettuceClient extends HandshakeWatchingClient {

  /** Told about the life of each pub/sub connection, on its event loop thread; must not block. */
  interface PubSubObserver {

    /**
     * The connection is up (handshake done) and Lettuce is about to subscribe these channels again.
     * The network channel it is up on is {@link ObservedPubSubConnection#activeChannel()} now.
     *
     * @param connection the connection
     * @param resubscribing the channels Lettuce subscribes again; empty on the first connect
     * @param reconnection false on the first connect
     */
    void beforeResubscribe(ObservedPubSubConnection connection, Set<String> resubscribing, boolean reconnection);

    /**
     * Lettuce has sent its re-subscription.
     *
     * @param connection the connection
     */
    void afterResubscribe(ObservedPubSubConnection connection);

    /** The connection was lost; Lettuce reconnects. */
    void deactivated();
  }

  private final PubSubObserver observer;
  /** Where each connect and reconnect goes in turn, or null for the URI's own host and port. */
  private final Supplier<List<RedisURI>> nodes;
  private final AtomicInteger nextNode = new AtomicInteger();

  LettuceClient(ClientResources resources, RedisURI uri, PubSubObserver observer) {
    this(resources, uri, observer, null);
  }

  /**
   * @param resources the adapter's resources
   * @param uri the login, TLS and timeouts of every connection; its host and port are not used if
   *     {@code nodes} is given
   * @param observer told about each pub/sub connection
   * @param nodes the servers to connect to, each (re)connect to the next one in turn (any node of a
   *     cluster serves classic pub/sub, L3); null to connect to the URI's host and port
   */
  LettuceClient(ClientResources resources, RedisURI uri, PubSubObserver observer, Supplier<List<RedisURI>> nodes) {
    super(resources, uri);
    this.observer = observer;
    this.nodes = nodes;
  }

  /**
   * Asked by Lettuce on every connect and every reconnect (its watchdog subscribes the address
   * again each time): with nodes to rotate over, a connection lost with its node reconnects to the
   * next one, so that some attempt reaches a node that runs (E7).
   */
  @Override
  protected Mono<SocketAddress> getSocketAddress(RedisURI redisURI) {
    if (nodes == null) {
      return super.getSocketAddress(redisURI);
    }
    return Mono.fromCallable(() -> {
      List<RedisURI> candidates = nodes.get();
      RedisURI node = candidates.isEmpty() ? redisURI
          : candidates.get(Math.floorMod(nextNode.getAndIncrement(), candidates.size()));
      return getResources().socketAddressResolver().resolve(node);
    });
  }


  @Override
  protected <K, V> PubSubEndpoint<K, V> createPubSubEndpoint() {
    return new ChannelRecordingEndpoint<>(getOptions(), getResources());
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <K, V> StatefulRedisPubSubConnectionImpl<K, V> newStatefulRedisPubSubConnection(
      PubSubEndpoint<K, V> endpoint, RedisChannelWriter channelWriter, RedisCodec<K, V> codec, Duration timeout) {
    // This client opens pub/sub connections with StringCodec only.
    return (StatefulRedisPubSubConnectionImpl<K, V>) new ObservedPubSubConnection(
        (PubSubEndpoint<String, String>) endpoint, channelWriter, (RedisCodec<String, String>) codec, timeout, observer);
  }

  /** A pub/sub endpoint that remembers the network channel it was last activated on. */
  static final class ChannelRecordingEndpoint<K, V> extends PubSubEndpoint<K, V> {

    private volatile Channel activeChannel;

    ChannelRecordingEndpoint(ClientOptions options, ClientResources resources) {
      super(options, resources);
    }

    @Override
    public void notifyChannelActive(Channel channel) {
      // Before super: it runs the connection's activated(), whose observer asks for the channel.
      activeChannel = channel;
      super.notifyChannelActive(channel);
    }

    /** @return the channel of the latest activation, or null before the first one */
    Channel activeChannel() {
      return activeChannel;
    }
  }

  /** A pub/sub connection that reports its activations to the observer. */
  static final class ObservedPubSubConnection extends StatefulRedisPubSubConnectionImpl<String, String> {

    private final PubSubEndpoint<String, String> endpoint;
    private final PubSubObserver observer;
    private boolean activatedBefore;

    ObservedPubSubConnection(PubSubEndpoint<String, String> endpoint, RedisChannelWriter writer,
        RedisCodec<String, String> codec, Duration timeout, PubSubObserver observer) {
      super(endpoint, writer, codec, timeout);
      this.endpoint = endpoint;
      this.observer = observer;
    }

    /** @return the channels the server confirmed on this connection (Lettuce's own record) */
    Set<String> confirmedChannels() {
      return endpoint.getChannels();
    }

    /** @return the network channel of the latest activation, or null if this client did not make the endpoint */
    Channel activeChannel() {
      return endpoint instanceof ChannelRecordingEndpoint<?, ?> recording ? recording.activeChannel() : null;
    }

    @Override
    public void activated() {
      boolean reconnection;
      synchronized (this) {
        reconnection = activatedBefore;
        activatedBefore = true;
      }
      // Told before super.activated() sends the re-subscription, so no confirmation can come first.
      observer.beforeResubscribe(this, endpoint.getChannels(), reconnection);
      super.activated();
      observer.afterResubscribe(this);
    }

    @Override
    public void deactivated() {
      observer.deactivated();
      super.deactivated();
    }
  }
}
