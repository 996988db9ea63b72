package dev.streams.redis.internal;

import dev.streams.StreamConfig;
import dev.streams.StreamDataException;
import dev.streams.spi.AbstractStreamAdapter;
import dev.streams.spi.ChannelTransport;
import dev.streams.spi.ItemKeys;
import dev.streams.spi.RawEntry;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The storage primitives of every Redis backend, on a {@link RedisCommands} seam. A backend extends
 * it with its client's commands, its pub/sub ({@link ChannelTransport}, handing
 * messages to {@link #dispatcher()}) and {@link #closeBackend()}.
 */
public abstract class RedisStreamAdapter extends AbstractStreamAdapter {

  private final RedisCommands commands;

  /**
   * @param config the configuration
   * @param name names the adapter in threads and messages; no secrets
   * @param transport the backend's pub/sub
   * @param commands the backend's commands
   */
  protected RedisStreamAdapter(StreamConfig config, String name,
      ChannelTransport transport, RedisCommands commands) {
    super(config, name, transport);
    this.commands = commands;
  }

  @Override
  protected final void writeItem(ItemKeys item, String document) {
    StreamScripts.set(commands, item, document);
  }

  @Override
  protected final Optional<String> readItem(ItemKeys item) {
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
    GroupOperations.read(commands, layout(), groupId, sink);
  }

  @Override
  protected final long removeGroup(String groupId, Consumer<StreamDataException> foreign) {
    return GroupOperations.clear(commands, layout(), groupId, foreign);
  }

  @Override
  protected final void publish(String channel, String message) {
    commands.publish(channel, message);
  }
}
