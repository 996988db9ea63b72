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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
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
    BiConsumer<String, String> published = (previous, written) -> {
      String type = previous == null ? StreamEvent.CREATE : StreamEvent.UPDATE;
      publishBoth(item, WireFormat.eventMessage(type, written));
    };
    if (item.inHash()) {
      store.hput(item.key(), item.field(), document,
          (field, previous) -> WireFormat.readDocument(item.key(), field, previous), published);
    } else {
      store.put(item.key(), document, WireFormat::readDocument, published);
    }
  }

  @Override
  protected Optional<String> readItem(ItemKeys item) {
    return Optional.ofNullable(item.inHash() ? store.hget(item.key(), item.field()) : store.get(item.key()));
  }

  @Override
  protected Optional<String> removeItem(ItemKeys item) {
    // Foreign data is never deleted (K7), nor sent as event data that is not JSON.
    if (item.inHash()) {
      return Optional.ofNullable(store.hremove(item.key(), item.field(), (field, removed) -> {
        WireFormat.readDocument(item.key(), field, removed);
        publishBoth(item, WireFormat.eventMessage(StreamEvent.DELETE, removed));
      }));
    }
    return Optional.ofNullable(store.remove(item.key(), (key, removed) -> {
      WireFormat.readDocument(key, removed);
      publishBoth(item, WireFormat.eventMessage(StreamEvent.DELETE, removed));
    }));
  }

  @Override
  protected void readGroup(String groupId, Consumer<RawEntry> sink) {
    if (layout().isHash()) {
      String key = layout().groupKey(groupId);
      NavigableMap<String, String> hash = store.hash(key);
      if (hash != null) {
        hash.forEach((field, value) -> sink.accept(new RawEntry(key, field, value)));
      }
      return;
    }
    store.forEachWithPrefix(layout().groupKeyPrefix(groupId),
        (key, value) -> sink.accept(new RawEntry(key, value)));
  }

  @Override
  protected long removeGroup(String groupId, Consumer<StreamDataException> foreign) {
    if (layout().isHash()) {
      String key = layout().groupKey(groupId);
      return store.hremoveAll(key, (field, value) -> isItem(key, field, value, foreign),
          (field, removed) -> publishBoth(itemKeys(groupId, field),
              WireFormat.eventMessage(StreamEvent.DELETE, removed)));
    }
    return store.removeWithPrefix(layout().groupKeyPrefix(groupId),
        (key, value) -> isItem(key, null, value, foreign), (key, removed) -> {
          String id = layout().idOf(groupId, key);
          publishBoth(itemKeys(groupId, id), WireFormat.eventMessage(StreamEvent.DELETE, removed));
        }, foreign);
  }

  /** The same judge as get (K7): what it refuses stays, and is reported once the items are gone. */
  private static boolean isItem(String key, String field, String value,
      Consumer<StreamDataException> foreign) {
    try {
      WireFormat.readDocument(key, field, value);
      return true;
    } catch (StreamDataException notAnItem) {
      foreign.accept(notAnItem);
      return false;
    }
  }

  @Override
  protected void listGroups(Consumer<String> groups) {
    for (String key : store.keys()) {
      String groupId = layout().groupOfKey(key);
      if (groupId != null) {
        groups.accept(groupId);
      }
    }
  }

  @Override
  protected long insertAbsent(String groupId, List<Map.Entry<String, String>> documents) {
    if (layout().isHash()) {
      return store.putAbsent(layout().groupKey(groupId), documents);
    }
    List<Map.Entry<String, String>> byKey = new ArrayList<>(documents.size());
    for (Map.Entry<String, String> document : documents) {
      byKey.add(Map.entry(layout().dataKey(groupId, document.getKey()), document.getValue()));
    }
    return store.putAbsent(null, byKey);
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

    /** A listener registration is all a subscription takes here: done before this returns. */
    @Override
    public CompletableFuture<Void> subscribeAsync(String channel, Executor blocking) {
      subscribe(channel);
      return CompletableFuture.completedFuture(null);
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
