package dev.streams.memory;

import dev.streams.StreamConfig;
import dev.streams.StreamDataException;
import dev.streams.StreamEvent;
import dev.streams.spi.AbstractStreamAdapter;
import dev.streams.spi.ChannelTransport;
import dev.streams.spi.ItemKeys;
import dev.streams.spi.MessageSink;
import dev.streams.spi.RawEntry;
import dev.streams.spi.WireFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** An adapter on a {@link MemoryStore}. */
final class MemoryStreamAdapter extends AbstractStreamAdapter {

  private final MemoryStore store;

  private MemoryStreamAdapter(StreamConfig config, MemoryStore store) {
    super(config, "memory://" + config.endpoint() + "/" + config.database(),
        sink -> new Channels(store, sink));
    this.store = store;
  }

  static MemoryStreamAdapter open(StreamConfig config) {
    MemoryStore store = MemoryStore.at(
        new MemoryStore.Address(config.host(), config.port(), config.database()));
    return new MemoryStreamAdapter(config, store);
  }

  @Override
  protected void writeItem(ItemKeys item, String document) {
    // Foreign data is never replaced (K7): the value there must be one get accepts.
    store.put(item.key(), document, WireFormat::readDocument, (previous, written) -> {
      String type = previous == null ? StreamEvent.CREATE : StreamEvent.UPDATE;
      publishBoth(item, WireFormat.eventMessage(type, written));
    });
  }

  @Override
  protected Optional<String> readItem(ItemKeys item) {
    return Optional.ofNullable(store.get(item.key()));
  }

  @Override
  protected Optional<String> removeItem(ItemKeys item) {
    return Optional.ofNullable(store.remove(item.key(), (key, removed) -> {
      // Foreign data is never deleted (K7), nor sent as event data that is not JSON.
      WireFormat.readDocument(key, removed);
      publishBoth(item, WireFormat.eventMessage(StreamEvent.DELETE, removed));
    }));
  }

  @Override
  protected void readGroup(String groupId, Consumer<RawEntry> sink) {
    store.forEachWithPrefix(layout().groupKeyPrefix(groupId),
        (key, value) -> sink.accept(new RawEntry(key, value)));
  }

  @Override
  protected long removeGroup(String groupId, Consumer<StreamDataException> foreign) {
    return store.removeWithPrefix(layout().groupKeyPrefix(groupId), (key, value) -> {
      // The same judge as get (K7): what it refuses stays, and is reported once the items are gone.
      try {
        WireFormat.readDocument(key, value);
        return true;
      } catch (StreamDataException notAnItem) {
        foreign.accept(notAnItem);
        return false;
      }
    }, (key, removed) -> {
      String id = layout().idOf(groupId, key);
      publishBoth(itemKeys(groupId, id), WireFormat.eventMessage(StreamEvent.DELETE, removed));
    });
  }

  @Override
  protected void publish(String channel, String message) {
    store.publish(channel, message);
  }

  @Override
  protected void closeBackend() {
    // The store outlives the adapter; the channels' listeners went with the transport.
  }

  /** Runs under the store's write lock. */
  private void publishBoth(ItemKeys item, String message) {
    store.publishLocked(item.groupChannel(), message);
    store.publishLocked(item.itemChannel(), message);
  }

  /** This adapter's listener registrations on the store's channels. */
  private static final class Channels implements ChannelTransport {
    private final MemoryStore store;
    private final BiConsumer<String, String> listener;
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();

    Channels(MemoryStore store, MessageSink sink) {
      this.store = store;
      // One listener object for listen and unlisten alike: the store removes it by identity.
      this.listener = sink::onMessage;
    }

    @Override
    public void subscribe(String channel) {
      if (subscribed.add(channel)) {
        store.listen(channel, listener);
      }
    }

    @Override
    public void unsubscribe(String channel) {
      if (subscribed.remove(channel)) {
        store.unlisten(channel, listener);
      }
    }

    @Override
    public void close() {
      for (String channel : List.copyOf(subscribed)) {
        unsubscribe(channel);
      }
    }
  }
}
