package dev.streams.memory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.EventHandler;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import dev.streams.StreamGroup;
import dev.streams.Subscription;
import dev.streams.query.Query;
import java.util.List;
import java.util.Optional;

/** Passes every call to a real adapter; a broken variant overrides what it breaks. */
class ForwardingStreamAdapter implements StreamAdapter {

  protected final StreamAdapter delegate;

  ForwardingStreamAdapter(StreamAdapter delegate) {
    this.delegate = delegate;
  }

  @Override
  public ObjectNode set(String groupId, String id, Object data) {
    return delegate.set(groupId, id, data);
  }

  @Override
  public String dataKey(String groupId, String id) {
    return delegate.dataKey(groupId, id);
  }

  @Override
  public Optional<ObjectNode> get(String groupId, String id) {
    return delegate.get(groupId, id);
  }

  @Override
  public Optional<ObjectNode> delete(String groupId, String id) {
    return delegate.delete(groupId, id);
  }

  @Override
  public List<ObjectNode> getGroup(String groupId) {
    return delegate.getGroup(groupId);
  }

  @Override
  public List<ObjectNode> query(String groupId, Query query) {
    return delegate.query(groupId, query);
  }

  @Override
  public long clear(String groupId) {
    return delegate.clear(groupId);
  }

  @Override
  public void send(StreamChannel channel, StreamEvent event) {
    delegate.send(channel, event);
  }

  @Override
  public Subscription subscribe(StreamChannel channel, EventHandler handler) {
    return delegate.subscribe(channel, handler);
  }

  @Override
  public void unsubscribe(StreamChannel channel) {
    delegate.unsubscribe(channel);
  }

  @Override
  public <T> StreamGroup<T> group(String groupId, Class<T> type) {
    delegate.group(groupId, type); // only the validation and the closed check are kept
    return StreamAdapter.super.group(groupId, type);
  }

  /** The wrapped adapter's own: a variant breaks the blocking calls it overrides, not these (A1). */
  @Override
  public dev.streams.AsyncStreamAdapter async() {
    return delegate.async();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
