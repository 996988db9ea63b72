package dev.streams.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.streams.AsyncStreamAdapter;
import dev.streams.EventHandler;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamDataException;
import dev.streams.StreamEvent;
import dev.streams.Subscription;
import dev.streams.internal.Names;
import dev.streams.query.Query;
import dev.streams.json.StreamJson;
import dev.streams.query.QueryEvaluator;
import dev.streams.spi.KeyLayout;
import dev.streams.spi.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Deliberately wrong backends: each breaks one clause of docs/CONTRACT.md on top of the memory backend, so the
 * TCK can be shown to catch it. Nothing here is a correct adapter.
 */
final class BrokenVariants {

  private BrokenVariants() {}

  /** Tells every subscriber "create", even for an update (breaks O2). */
  static final class AlwaysCreate extends ForwardingStreamAdapter {
    AlwaysCreate(StreamAdapter delegate) {
      super(delegate);
    }

    @Override
    public Subscription subscribe(StreamChannel channel, EventHandler handler) {
      EventHandler lying = handler == null ? null : event -> handler.onEvent(
          event.type().equals(StreamEvent.UPDATE) ? new StreamEvent(StreamEvent.CREATE, event.data()) : event);
      return delegate.subscribe(channel, lying);
    }
  }

  /** Filters and sorts numbers by their text, as a naive string comparison would (breaks Q2, Q4). */
  static final class NumbersAsStrings extends ForwardingStreamAdapter {
    NumbersAsStrings(StreamAdapter delegate) {
      super(delegate);
    }

    @Override
    public List<ObjectNode> query(String groupId, Query query) {
      if (query == null) {
        return delegate.query(groupId, null);
      }
      Query.Builder textual = Query.builder();
      query.where().forEach((field, value) -> textual.where(field, asText(value)));
      query.orderBy().ifPresent(field -> textual.orderBy(field, query.direction()));
      textual.offset(query.offset());
      query.limit().ifPresent(textual::limit);
      List<ObjectNode> documents = new ArrayList<>();
      for (ObjectNode document : delegate.getGroup(groupId)) {
        ObjectNode copy = document.deepCopy();
        copy.properties().forEach(field -> field.setValue(asText(field.getValue())));
        documents.add(copy);
      }
      List<ObjectNode> result = new ArrayList<>();
      for (ObjectNode match : QueryEvaluator.apply(textual.build(), documents)) {
        result.add(delegate.get(groupId, match.get("id").asText()).orElseThrow());
      }
      return result;
    }

    private static JsonNode asText(JsonNode value) {
      return value.isNumber() ? TextNode.valueOf(value.asText()) : value;
    }
  }

  /** Reads a group through an unescaped glob, so group {@code a*} also sees {@code abc} (breaks K5). */
  static final class GlobLeak extends ForwardingStreamAdapter {
    private final MemoryRawView raw;

    GlobLeak(StreamAdapter delegate, MemoryRawView raw) {
      super(delegate);
      this.raw = raw;
    }

    @Override
    public List<ObjectNode> getGroup(String groupId) {
      delegate.getGroup(groupId); // only the validation and the closed check are kept
      Pattern glob = globToRegex(StreamConfig.DEFAULT_KEY_PREFIX + groupId + ":*");
      List<ObjectNode> documents = new ArrayList<>();
      for (String key : raw.keys()) {
        if (glob.matcher(key).matches()) {
          documents.add(WireFormat.readDocument(key, raw.get(key).orElseThrow()));
        }
      }
      return documents;
    }

    @Override
    public List<ObjectNode> query(String groupId, Query query) {
      delegate.query(groupId, query); // only the validation and the closed check are kept
      return QueryEvaluator.apply(query, getGroup(groupId));
    }

    /** Only {@code *} and {@code ?} are wild here; everything else is literal. */
    private static Pattern globToRegex(String glob) {
      StringBuilder regex = new StringBuilder();
      glob.codePoints().forEach(c -> {
        if (c == '*') {
          regex.append(".*");
        } else if (c == '?') {
          regex.append('.');
        } else {
          regex.append(Pattern.quote(Character.toString(c)));
        }
      });
      return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
  }

  /**
   * Calls handlers directly from the store's publish, on the writer's thread (breaks E3, and E5:
   * a blocked handler blocks the writer).
   */
  static final class HandlersOnWriterThread extends ForwardingStreamAdapter {
    private final MemoryRawView raw;
    private final KeyLayout layout = KeyLayout.defaults();
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    HandlersOnWriterThread(StreamAdapter delegate, MemoryRawView raw) {
      super(delegate);
      this.raw = raw;
    }

    @Override
    public Subscription subscribe(StreamChannel channel, EventHandler handler) {
      if (closed || channel == null || handler == null) {
        return delegate.subscribe(channel, handler);
      }
      Registration registration = new Registration(channel, raw.listen(layout.channelName(channel),
          (name, message) -> {
            try {
              handler.onEvent(WireFormat.readEvent(message));
            } catch (RuntimeException e) {
              // Swallowed like a dispatcher would log it.
            }
          }));
      registrations.add(registration);
      return registration;
    }

    @Override
    public void unsubscribe(StreamChannel channel) {
      delegate.unsubscribe(channel);
      registrations.stream().filter(r -> r.channel.equals(channel)).forEach(Registration::close);
    }

    @Override
    public void close() {
      closed = true;
      registrations.forEach(Registration::close);
      delegate.close();
    }

    private final class Registration implements Subscription {
      private final StreamChannel channel;
      private final AutoCloseable listener;
      private volatile boolean active = true;

      Registration(StreamChannel channel, AutoCloseable listener) {
        this.channel = channel;
        this.listener = listener;
      }

      @Override
      public StreamChannel channel() {
        return channel;
      }

      @Override
      public boolean isActive() {
        return active;
      }

      @Override
      public void close() {
        active = false;
        registrations.remove(this);
        try {
          listener.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /**
   * Clears a group key by key in key order and stops at the first foreign key, as the Redis backends
   * once did batch by batch: the items after it stay (breaks O7).
   */
  static final class ClearStopsAtForeignKey extends ForwardingStreamAdapter {
    private final MemoryRawView raw;
    private volatile boolean closed;

    ClearStopsAtForeignKey(StreamAdapter delegate, MemoryRawView raw) {
      super(delegate);
      this.raw = raw;
    }

    @Override
    public long clear(String groupId) {
      try {
        Names.requireGroupId(groupId);
      } catch (IllegalArgumentException e) {
        return delegate.clear(groupId);
      }
      if (closed) {
        return delegate.clear(groupId);
      }
      String prefix = KeyLayout.defaults().groupKeyPrefix(groupId);
      long removed = 0;
      for (String key : raw.keys()) {
        String value = key.startsWith(prefix) ? raw.get(key).orElse(null) : null;
        if (value != null) {
          WireFormat.readDocument(key, value);
          delegate.delete(groupId, key.substring(prefix.length()));
          removed++;
        }
      }
      return removed;
    }

    @Override
    public void close() {
      closed = true;
      delegate.close();
    }
  }

  /** Writes over foreign data instead of failing, as the Redis backends once did (breaks K7). */
  static final class SetOverwritesForeignData extends ForwardingStreamAdapter {
    private final MemoryRawView raw;

    SetOverwritesForeignData(StreamAdapter delegate, MemoryRawView raw) {
      super(delegate);
      this.raw = raw;
    }

    @Override
    public ObjectNode set(String groupId, String id, Object data) {
      try {
        return delegate.set(groupId, id, data);
      } catch (StreamDataException foreign) {
        StreamJson.Document document = StreamJson.toDocument(data, id);
        raw.putForeign(foreign.key(), document.json());
        return document.node();
      }
    }
  }

  /**
   * Completes an asynchronous subscribe's stage at once and makes the subscription a moment later,
   * as a transport would that took the SUBSCRIBE's sending for its confirmation (breaks A1: events
   * published once the stage completed are lost). Invalid arguments and a closed adapter still
   * fail the stage.
   */
  static final class ConfirmsSubscribesEarly extends ForwardingStreamAdapter {
    private static final java.util.concurrent.Executor LATER =
        CompletableFuture.delayedExecutor(300, java.util.concurrent.TimeUnit.MILLISECONDS);
    private volatile boolean closed;

    ConfirmsSubscribesEarly(StreamAdapter delegate, MemoryRawView raw) {
      super(delegate);
    }

    @Override
    public AsyncStreamAdapter async() {
      AsyncStreamAdapter real = delegate.async();
      return new AsyncStreamAdapter() {
        @Override
        public CompletionStage<ObjectNode> set(String groupId, String id, Object data) {
          return real.set(groupId, id, data);
        }

        @Override
        public CompletionStage<Optional<ObjectNode>> get(String groupId, String id) {
          return real.get(groupId, id);
        }

        @Override
        public CompletionStage<Optional<ObjectNode>> delete(String groupId, String id) {
          return real.delete(groupId, id);
        }

        @Override
        public CompletionStage<List<ObjectNode>> getGroup(String groupId) {
          return real.getGroup(groupId);
        }

        @Override
        public CompletionStage<List<ObjectNode>> query(String groupId, Query query) {
          return real.query(groupId, query);
        }

        @Override
        public CompletionStage<Long> clear(String groupId) {
          return real.clear(groupId);
        }

        @Override
        public CompletionStage<Void> send(StreamChannel channel, StreamEvent event) {
          return real.send(channel, event);
        }

        @Override
        public CompletionStage<Subscription> subscribe(StreamChannel channel, EventHandler handler) {
          if (closed || channel == null || handler == null) {
            return real.subscribe(channel, handler);
          }
          CompletableFuture<Subscription> late =
              CompletableFuture.supplyAsync(() -> delegate.subscribe(channel, handler), LATER);
          return CompletableFuture.completedFuture(new Subscription() {
            @Override
            public StreamChannel channel() {
              return channel;
            }

            @Override
            public boolean isActive() {
              return !late.isDone() || late.join().isActive();
            }

            @Override
            public void close() {
              late.thenAccept(Subscription::close);
            }
          });
        }

        @Override
        public CompletionStage<Void> unsubscribe(StreamChannel channel) {
          return real.unsubscribe(channel);
        }
      };
    }

    @Override
    public void close() {
      closed = true;
      delegate.close();
    }
  }
}
