package dev.streams.redis.lettuce;

import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.redis.internal.RedisStreamAdapter;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Redis adapter on Lettuce: one multiplexed command connection, one pub/sub connection. */
final class LettuceStreamAdapter extends RedisStreamAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(LettuceStreamAdapter.class);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  private final LettuceClient client;
  private final ClientResources resources;
  private final LettuceSubscriber subscriber;

  private LettuceStreamAdapter(StreamConfig config, LettuceClient client, ClientResources resources,
      LettuceRedisCommands commands, LettuceSubscriber subscriber) {
    super(config, LettuceStreamsProvider.NAME + "://" + config.endpoint() + "/" + config.database(),
        subscriber, commands);
    this.client = client;
    this.resources = resources;
    this.subscriber = subscriber;
    subscriber.deliverTo(dispatcher());
  }

  static LettuceStreamAdapter open(StreamConfig config) {
    LettuceSettings settings = new LettuceSettings(config);
    LettuceSubscriber subscriber = new LettuceSubscriber(settings);
    AtomicReference<StatefulRedisConnection<String, String>> commandConnection = new AtomicReference<>();
    ClientResources resources = settings.clientResources(
        reason -> gaveUp(settings, reason, commandConnection.get(), subscriber));
    LettuceClient client = new LettuceClient(resources, settings.redisUri(), subscriber);
    client.setOptions(settings.clientOptions());
    subscriber.attach(client);
    try {
      commandConnection.set(connect(client, settings));
    } catch (RuntimeException e) {
      // In the background: a connect still pending would hold the caller past the connect timeout.
      CompletableFuture.runAsync(() -> shutdown(client, resources));
      throw e;
    }
    return new LettuceStreamAdapter(config, client, resources,
        new LettuceRedisCommands(commandConnection.get(), settings), subscriber);
  }

  /** Connects, logs in and selects the database (Lettuce's handshake), bounded by connectTimeout (C4). */
  private static StatefulRedisConnection<String, String> connect(LettuceClient client, LettuceSettings settings) {
    Duration wait = settings.connectWait();
    CompletableFuture<StatefulRedisConnection<String, String>> connecting =
        client.connectAsync(StringCodec.UTF8, settings.redisUri()).toCompletableFuture();
    try {
      return connecting.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw settings.openingFailure("connecting", e.getCause());
    } catch (TimeoutException e) {
      throw settings.noConnection("connecting");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StreamConnectionException("Interrupted while connecting to Redis at " + settings.endpoint(), e);
    }
  }

  /**
   * The reconnect strategy gave up (on a Lettuce thread): later calls fail with its reason, every
   * handler gets a last {@code disconnected} event, and both connections are closed so that Lettuce
   * stops trying.
   */
  private static void gaveUp(LettuceSettings settings, String reason,
      StatefulRedisConnection<String, String> commands, LettuceSubscriber subscriber) {
    if (!settings.failures().giveUp(reason)) {
      return;
    }
    LOG.error("Gave up reconnecting to {}: {}; calls fail from now on and subscriptions end",
        settings.endpoint(), reason);
    // Not on the Lettuce thread that asked for the delay: closing waits for that thread's work.
    CompletableFuture.runAsync(() -> {
      if (commands != null) {
        commands.closeAsync();
      }
      subscriber.gaveUp(reason);
    });
  }

  @Override
  protected void closeBackend() {
    try {
      subscriber.stop();
    } finally {
      // Closes both connections: closing them one by one first would only make Lettuce warn.
      shutdown(client, resources);
    }
  }

  /** Closes the connections and stops the adapter's Lettuce threads, without a quiet period. */
  private static void shutdown(LettuceClient client, ClientResources resources) {
    try {
      client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
    } catch (RuntimeException e) {
      LOG.debug("Closing the Lettuce client failed: {}", e.toString());
    } finally {
      resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis() + 500);
    }
  }
}
