package dev.streams.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.EventHandler;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamEvent;
import dev.streams.Subscription;
import dev.streams.query.Query;
import java.util.List;
import java.util.Optional;

/**
 * What the test providers open: remembers which provider opened it, with which configuration.
 *
 * @param provider the provider's name
 * @param config the configuration it was opened with
 */
public record FakeAdapter(String provider, StreamConfig config) implements StreamAdapter {

  @Override
  public ObjectNode set(String groupId, String id, Object data) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<ObjectNode> get(String groupId, String id) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<ObjectNode> delete(String groupId, String id) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<ObjectNode> getGroup(String groupId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<ObjectNode> query(String groupId, Query query) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long clear(String groupId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void send(StreamChannel channel, StreamEvent event) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Subscription subscribe(StreamChannel channel, EventHandler handler) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void unsubscribe(StreamChannel channel) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
