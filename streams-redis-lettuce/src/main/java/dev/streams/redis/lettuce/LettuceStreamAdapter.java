package dev.streams.redis.lettuce;

import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.redis.internal.RedisStreamAdapter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis adapter on Lettuce: one multiplexed command connection, whose commands go out in batches
 * ({@link CoalescingClient}), and one pub/sub connection.
 */
final class LettuceStreamAdapter extends RedisStreamAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(LettuceStreamAdapter.class);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  private final RedisClient client;
  private final ClientResources resources;

  /**
   * The system property that makes the command connection flush every command on its own, as
   * Lettuce does by default: only for the benchmark's before-and-after comparison of the batches.
   */
  static final String FLUSH_EACH_COMMAND = "streams.lettuce.flushEachCommand";

  private LettuceStreamAdapter(LettuceSettings settings, RedisClient client, ClientResources resources,
      LettuceRedisCommands commands) {
    super(settings.config(), LettuceStreamsProvider.NAME + "://" + settings.config().endpoint() + "/"
            + settings.config().database(),
        sink -> LettuceSubscriber.create(settings, resources, sink), commands, commands);
    this.client = client;
    this.resources = resources;
    if (client instanceof CoalescingClient coalescing) {
      coalescing.onBatch(this::commandsWritten);
    }
  }

  static LettuceStreamAdapter open(StreamConfig config) {
    LettuceSettings settings = new LettuceSettings(config);
    ClientResources resources = settings.clientResources();
    // The command connection's client; the subscriber has its own on the same resources.
    RedisClient client = Boolean.getBoolean(FLUSH_EACH_COMMAND)
        ? RedisClient.create(resources, settings.redisUri())
        : new CoalescingClient(resources, settings.redisUri());
    client.setOptions(settings.clientOptions());
    StatefulRedisConnection<String, String> commands;
    try {
      commands = connect(client, settings);
    } catch (RuntimeException e) {
      // In the background: a connect still pending would hold the caller past the connect timeout.
      CompletableFuture.runAsync(() -> shutdown(client, resources));
      throw e;
    }
    // Closed once the strategy gives up, so that Lettuce stops reconnecting it (E7); not on the
    // Lettuce thread that asked for the delay, as closing waits for that thread's work.
    settings.giveUp().whenGivenUp(reason -> CompletableFuture.runAsync(commands::closeAsync));
    return new LettuceStreamAdapter(settings, client, resources, new LettuceRedisCommands(commands, settings));
  }

  /** Connects, logs in and selects the database (Lettuce's handshake), bounded by connectTimeout (C4). */
  private static StatefulRedisConnection<String, String> connect(RedisClient client, LettuceSettings settings) {
    Duration wait = settings.connectWait();
    CompletableFuture<StatefulRedisConnection<String, String>> connecting =
        client.connectAsync(StringCodec.UTF8, settings.redisUri()).toCompletableFuture();
    try {
      return connecting.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw settings.failures().openingFailure("connecting", e.getCause());
    } catch (TimeoutException e) {
      throw settings.failures().noConnection("connecting");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StreamConnectionException("Interrupted while connecting to Redis at " + settings.endpoint(), e);
    }
  }

  @Override
  protected void closeBackend() {
    // The subscriber, the transport, has shut its client down by now.
    shutdown(client, resources);
  }

  /** Closes the client's connection and stops the adapter's Lettuce threads, without a quiet period. */
  private static void shutdown(RedisClient client, ClientResources resources) {
    try {
      // The client closes its connection: closing it first would only make Lettuce warn.
      client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
    } catch (RuntimeException e) {
      LOG.debug("Closing the Lettuce client failed: {}", e.toString());
    } finally {
      resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis() + 500);
    }
  }
}
