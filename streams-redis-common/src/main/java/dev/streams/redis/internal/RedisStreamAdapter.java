package dev.streams.redis.internal;

import dev.streams.StreamConfig;
import dev.streams.StreamDataException;
import dev.streams.spi.AbstractStreamAdapter;
import dev.streams.spi.ChannelTransport;
import dev.streams.spi.ItemKeys;
import dev.streams.spi.MessageSink;
import dev.streams.spi.RawEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The storage primitives of every Redis backend, on a {@link RedisCommands} seam. A backend extends
 * it with its client's commands, a factory for its pub/sub ({@link ChannelTransport}, built from the
 * {@link MessageSink} it hands messages to) and {@link #closeBackend()}.
 */
public abstract class RedisStreamAdapter extends AbstractStreamAdapter {

  private final RedisCommands commands;
  private final AsyncRedisCommands asyncCommands;

  /**
   * @param config the configuration
   * @param name names the adapter in threads and messages; no secrets
   * @param transports builds the backend's pub/sub from the sink it hands messages to
   * @param commands the backend's commands
   */
  protected RedisStreamAdapter(StreamConfig config, String name,
      Function<? super MessageSink, ? extends ChannelTransport> transports, RedisCommands commands) {
    this(config, name, transports, commands, null);
  }

  /**
   * @param config the configuration
   * @param name names the adapter in threads and messages; no secrets
   * @param transports builds the backend's pub/sub from the sink it hands messages to
   * @param commands the backend's commands
   * @param asyncCommands the backend's non-blocking commands for the asynchronous API (A1), or null
   *     to run the blocking ones on the adapter's threads
   */
  protected RedisStreamAdapter(StreamConfig config, String name,
      Function<? super MessageSink, ? extends ChannelTransport> transports, RedisCommands commands,
      AsyncRedisCommands asyncCommands) {
    super(config, name, transports);
    this.commands = commands;
    this.asyncCommands = asyncCommands;
  }

  // Under the hash layout (L2) the item primitives of the asynchronous API run the blocking ones on
  // the adapter's threads: the non-blocking scripts and reads are those of the flat layout so far,
  // and the non-blocking publish is the classic one (sharded events, L3, take the blocking path too).
  @Override
  protected final CompletableFuture<Void> writeItemAsync(ItemKeys item, String document) {
    if (asyncCommands == null || item.inHash()) {
      return super.writeItemAsync(item, document);
    }
    return StreamScripts.setAsync(asyncCommands, item, document).thenApply(created -> null);
  }

  @Override
  protected final CompletableFuture<Optional<String>> readItemAsync(ItemKeys item) {
    if (asyncCommands == null || item.inHash()) {
      return super.readItemAsync(item);
    }
    return asyncCommands.getAsync(item.key()).handle((value, failure) -> {
      if (failure == null) {
        return Optional.ofNullable(value);
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof RedisErrorReply error) {
        throw RedisErrors.forKey(error, item.key());
      }
      throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    });
  }

  @Override
  protected final CompletableFuture<Optional<String>> removeItemAsync(ItemKeys item) {
    if (asyncCommands == null || item.inHash()) {
      return super.removeItemAsync(item);
    }
    return StreamScripts.deleteAsync(asyncCommands, item).thenApply(Optional::ofNullable);
  }

  @Override
  protected final CompletableFuture<Void> publishAsync(String channel, String message) {
    if (asyncCommands == null || sharded()) {
      return super.publishAsync(channel, message);
    }
    return asyncCommands.publishAsync(channel, message);
  }

  @Override
  protected final void writeItem(ItemKeys item, String document) {
    StreamScripts.set(commands, item, document);
  }

  @Override
  protected final Optional<String> readItem(ItemKeys item) {
    if (item.inHash()) {
      return Optional.ofNullable(StreamScripts.hget(commands, item.key(), item.field()));
    }
    try {
      return Optional.ofNullable(commands.get(item.key()));
    } catch (RedisErrorReply e) {
      throw RedisErrors.forKey(e, item.key());
    }
  }

  @Override
  protected final Optional<String> removeItem(ItemKeys item) {
    return Optional.ofNullable(StreamScripts.delete(commands, item));
  }

  @Override
  protected final void readGroup(String groupId, Consumer<RawEntry> sink) {
    if (layout().isHash()) {
      GroupOperations.readHash(commands, layout(), groupId, GroupOperations.SCAN_COUNT, sink);
    } else {
      GroupOperations.read(commands, layout(), groupId, sink);
    }
  }

  @Override
  protected final void readWholeGroup(String groupId, Consumer<RawEntry> sink) {
    if (layout().isHash()) {
      GroupOperations.readHash(commands, layout(), groupId, GroupOperations.HSCAN_WHOLE_COUNT, sink);
    } else {
      GroupOperations.read(commands, layout(), groupId, sink);
    }
  }

  @Override
  protected final long removeGroup(String groupId, Consumer<StreamDataException> foreign) {
    return layout().isHash()
        ? GroupOperations.clearHash(commands, layout(), groupId, foreign)
        : GroupOperations.clear(commands, layout(), groupId, foreign);
  }

  @Override
  protected final void listGroups(Consumer<String> groups) {
    GroupOperations.listGroups(commands, layout(), groups);
  }

  @Override
  protected final long insertAbsent(String groupId, List<Map.Entry<String, String>> documents) {
    return StreamScripts.copyAbsent(commands, layout(), groupId, documents);
  }

  @Override
  protected final void publish(String channel, String message) {
    if (sharded()) {
      commands.spublish(channel, message);
    } else {
      commands.publish(channel, message);
    }
  }

  /** Whether events travel by sharded pub/sub: the hash layout on a cluster (L3). */
  private boolean sharded() {
    return layout().isHash() && commands.isCluster();
  }
}
