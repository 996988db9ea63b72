package dev.streams.memory;

import dev.streams.StreamConfig;
import dev.streams.tck.RawListener;
import dev.streams.tck.RawView;
import dev.streams.tck.TckStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A fresh in-JVM store per TCK test: a host name no other test uses. */
final class MemoryTckStore implements TckStore {

  private final String host = "tck-" + UUID.randomUUID();
  /** The databases adapters were opened on (E8 opens database 1), each flushed at the end. */
  private final Set<Integer> databases = ConcurrentHashMap.newKeySet();
  private final MemoryRawView raw = MemoryRawView.of(configure(StreamConfig.builder().build()));

  @Override
  public String backendName() {
    return MemoryStreamsProvider.NAME;
  }

  @Override
  public StreamConfig configure(StreamConfig settings) {
    databases.add(settings.database());
    return settings.toBuilder().host(host).build();
  }

  MemoryRawView memoryView() {
    return raw;
  }

  @Override
  public Optional<AutoCloseable> holdWrites() {
    return Optional.of(raw.holdWrites());
  }

  @Override
  public Optional<RawView> rawView() {
    return Optional.of(new RawView() {
      @Override
      public Optional<String> get(String key) {
        return raw.get(key);
      }

      @Override
      public List<String> keys() {
        return raw.keys();
      }

      @Override
      public void putForeign(String key, String value) {
        raw.putForeign(key, value);
      }

      @Override
      public boolean putForeignHash(String key, String field, String value) {
        raw.putForeignField(key, field, value);
        return true;
      }

      @Override
      public Map<String, String> getHash(String key) {
        return raw.getHash(key);
      }

      @Override
      public void publish(String channel, String message) {
        raw.publish(channel, message);
      }

      @Override
      public RawListener listen(String channel) {
        AutoCloseable[] registration = new AutoCloseable[1];
        RawListener listener = new RawListener(channel, () -> {
          try {
            registration[0].close();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        registration[0] = raw.listen(channel, (c, message) -> listener.received(message));
        return listener;
      }
    });
  }

  @Override
  public void close() {
    raw.flush();
    for (int database : databases) {
      MemoryRawView.of(StreamConfig.builder().host(host).database(database).build()).flush();
    }
  }
}
