package dev.streams.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.AsyncStreamAdapter;
import dev.streams.EventHandler;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamDataException;
import dev.streams.StreamEvent;
import dev.streams.StreamGroup;
import dev.streams.StreamHealth;
import dev.streams.StreamMonitor;
import dev.streams.StreamObserver;
import dev.streams.StreamOperation;
import dev.streams.Subscription;
import dev.streams.internal.Names;
import dev.streams.json.StreamJson;
import dev.streams.query.Query;
import dev.streams.query.QueryEvaluator;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.Function;

/**
 * The part of an adapter that is the same on every backend: argument validation before any I/O
 * (D2, D3), documents and event text ({@link StreamJson}), keys and channels
 * ({@link KeyLayout}), reading back with foreign-data checks (K7), de-duplication and order of groups
 * (K5, O5), queries ({@link QueryEvaluator}), event delivery ({@link EventDispatcher}) and the closed
 * state (O10).
 *
 * <p>A backend implements the storage primitives below, each in terms of ready keys, channel names
 * and JSON text, and {@link ChannelTransport} for its channels: it passes a factory that builds the
 * transport from the {@link MessageSink} the transport hands its messages to.
 *
 * <p>{@link #monitor()} is the same on every backend too: observers are told of every operation and
 * delivery here and in the {@link EventDispatcher} (and nothing is measured while none is attached),
 * and the health check probes the store with {@link #probe()}.
 */
public abstract class AbstractStreamAdapter implements StreamAdapter {

  /** The group and id the default {@link #probe()} reads: any value there is left as it is. */
  private static final String PROBE_GROUP = "streams-health";
  private static final String PROBE_ID = "probe";

  private final String name;
  private final KeyLayout layout;
  private final EventDispatcher dispatcher;
  private final int maxDocumentBytes;
  private final Observers observers = new Observers();
  private final Monitor monitor = new Monitor();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AsyncView async;

  /**
   * @param config the configuration (prefixes, event queue bound)
   * @param name names this adapter in thread names and {@link #toString()}; no secrets. It starts
   *     with the backend name and {@code ://} (e.g. {@code redis-jedis://host:6379/0}), which
   *     {@link StreamMonitor#backend()} reports
   * @param transports builds, once, the transport that starts and stops channels on the backend, from
   *     the sink it hands every message to; it runs before this constructor returns, so it must not
   *     use the adapter, only what it was built from
   */
  protected AbstractStreamAdapter(StreamConfig config, String name,
      Function<? super MessageSink, ? extends ChannelTransport> transports) {
    this.name = Objects.requireNonNull(name, "name");
    this.layout = KeyLayout.of(config);
    this.dispatcher = new EventDispatcher(name, transports, config.eventQueueCapacity(), observers);
    this.maxDocumentBytes = config.maxDocumentBytes();
    this.async = new AsyncView(this, name, config.maxCallsInFlight());
  }


  /**
   * Writes the document and, in the same atomic step, publishes
   * {@code {"type":"create"|"update","data":document}} on both channels: {@code create} when the
   * key held no value (O2). Replaces only an item: if the key holds a value
   * {@link WireFormat#readDocument} refuses, or another type, fails with
   * {@link dev.streams.StreamDataException} naming the key and writes nothing (K7).
   *
   * @param item the keys
   * @param document the document text
   */
  protected abstract void writeItem(ItemKeys item, String document);

  /**
   * @param item the keys
   * @return the text at the key, or empty
   * @throws dev.streams.StreamDataException if the key holds a value of another type
   */
  protected abstract Optional<String> readItem(ItemKeys item);

  /**
   * Removes the key and, in the same atomic step if it existed, publishes
   * {@code {"type":"delete","data":document}} on both channels (O4). Removes only an item: if the key
   * holds a value {@link WireFormat#readDocument} refuses, or another type, fails with
   * {@link dev.streams.StreamDataException} naming the key and changes nothing (K7).
   *
   * @param item the keys
   * @return the removed text, or empty
   */
  protected abstract Optional<String> removeItem(ItemKeys item);

  /**
   * Hands every entry under the group's key prefix to {@code sink} as it is read, batch by batch, so
   * that the adapter turns each into a document (or drops it, for a query) before the next batch:
   * a backend must not collect the whole group first. A key may be handed over twice (each item is
   * kept once).
   *
   * @param groupId the group
   * @param sink takes each entry; may throw, which ends the read
   * @throws dev.streams.StreamDataException if a key holds a value of another type
   */
  protected abstract void readGroup(String groupId, Consumer<RawEntry> sink);

  /**
   * Reads the whole group for {@code getGroup}, whose result holds every item anyway: as
   * {@link #readGroup} by default; a backend may read in larger steps here (one {@code HGETALL} of a
   * group's hash, L2), where a query must stay within two pages.
   *
   * @param groupId the group
   * @param sink takes each entry; may throw, which ends the read
   */
  protected void readWholeGroup(String groupId, Consumer<RawEntry> sink) {
    readGroup(groupId, sink);
  }

  /**
   * Lists the groups that hold at least one key in this adapter's layout, for
   * {@link StreamMigration} (L4): each group once, in any order. The default says the backend
   * cannot.
   *
   * @param groups takes each group id
   * @throws UnsupportedOperationException if the backend cannot list its groups
   */
  protected void listGroups(Consumer<String> groups) {
    throw new UnsupportedOperationException(this + " cannot list its groups");
  }

  /**
   * Stores each item that has no value yet, without any event, for {@link StreamMigration} (L4): a
   * value already there, item or foreign, is left exactly as it is. The default says the backend
   * cannot.
   *
   * @param groupId the group
   * @param documents id and document text of each item, ids distinct
   * @return how many it stored
   * @throws UnsupportedOperationException if the backend cannot
   * @throws StreamDataException if the group's key holds another type (L2)
   */
  protected long insertAbsent(String groupId, List<Map.Entry<String, String>> documents) {
    throw new UnsupportedOperationException(this + " cannot copy items for a migration");
  }

  /**
   * Removes every item of the group, publishing a {@code delete} event per removed item on both
   * channels, atomically with each removal (O7). A key holding foreign data (a value
   * {@link WireFormat#readDocument} refuses, or another type) is left untouched and handed to
   * {@code foreign}, and the removal goes on: the adapter reports those keys once every item is gone.
   *
   * @param groupId the group
   * @param foreign takes a failure naming each foreign key; a key may be handed over twice
   * @return how many items were removed
   */
  protected abstract long removeGroup(String groupId, Consumer<StreamDataException> foreign);

  /**
   * @param channel the channel name
   * @param message the wire text
   */
  protected abstract void publish(String channel, String message);

  /**
   * Closes the backend's connections; called once, after every subscription has ended and the
   * transport is closed.
   */
  protected abstract void closeBackend();

  /** @return the key layout of this adapter */
  protected final KeyLayout layout() {
    return layout;
  }

  /**
   * @param groupId the group
   * @param id the item
   * @return the validated keys of the item
   */
  protected final ItemKeys itemKeys(String groupId, String id) {
    Names.requireGroupId(groupId);
    Names.requireId(id);
    return new ItemKeys(groupId, id, layout.dataKey(groupId, id), layout.isHash() ? id : null,
        layout.groupChannel(groupId), layout.itemChannel(groupId, id));
  }

  /**
   * Asks the store for a reply, for {@link StreamMonitor#health()}; the default reads one item key
   * ({@code streams-health:probe} under the key prefix), a single round trip that needs no more
   * rights than reads do. A backend may override it with a cheaper check.
   *
   * @throws RuntimeException if the store does not answer; its message is the reported problem
   */
  protected void probe() {
    try {
      readItem(itemKeys(PROBE_GROUP, PROBE_ID));
    } catch (StreamDataException foreign) {
      // Something else is stored there (K7): the store answered, which is all the probe asks.
    }
  }

  @Override
  public final String dataKey(String groupId, String id) {
    return itemKeys(groupId, id).key();
  }

  @Override
  public final ObjectNode set(String groupId, String id, Object data) {
    ensureOpen();
    StreamObserver observer = observers.active();
    return observer == null ? doSet(groupId, id, data)
        : timed(observer, StreamOperation.SET, () -> doSet(groupId, id, data));
  }

  private ObjectNode doSet(String groupId, String id, Object data) {
    ItemKeys item = itemKeys(groupId, id);
    StreamJson.Document document = StreamJson.toDocument(data, id);
    requireSize(document.json(), "data", "its stored document");
    writeItem(item, document.json());
    return document.node();
  }

  @Override
  public final Optional<ObjectNode> get(String groupId, String id) {
    ensureOpen();
    StreamObserver observer = observers.active();
    return observer == null ? doGet(groupId, id)
        : timed(observer, StreamOperation.GET, () -> doGet(groupId, id));
  }

  private Optional<ObjectNode> doGet(String groupId, String id) {
    ItemKeys item = itemKeys(groupId, id);
    return readItem(item).map(text -> WireFormat.readDocument(item.key(), item.field(), text));
  }

  @Override
  public final Optional<ObjectNode> delete(String groupId, String id) {
    ensureOpen();
    StreamObserver observer = observers.active();
    return observer == null ? doDelete(groupId, id)
        : timed(observer, StreamOperation.DELETE, () -> doDelete(groupId, id));
  }

  private Optional<ObjectNode> doDelete(String groupId, String id) {
    ItemKeys item = itemKeys(groupId, id);
    // removeItem removed only text that readDocument accepts (K7).
    return removeItem(item).map(text -> WireFormat.readDocument(item.key(), item.field(), text));
  }

  @Override
  public final List<ObjectNode> getGroup(String groupId) {
    ensureOpen();
    StreamObserver observer = observers.active();
    if (observer == null) {
      return doGetGroup(groupId);
    }
    return timed(observer, StreamOperation.GET_GROUP, () -> {
      List<ObjectNode> documents = doGetGroup(groupId);
      observer.groupRead(StreamOperation.GET_GROUP, documents.size());
      return documents;
    });
  }

  List<ObjectNode> doGetGroup(String groupId) {
    Names.requireGroupId(groupId);
    List<Map.Entry<String, ObjectNode>> byId = new ArrayList<>();
    readWholeGroup(groupId, entry -> byId.add(new AbstractMap.SimpleImmutableEntry<>(
        entry.field() != null ? entry.field() : layout.idOf(groupId, entry.key()),
        WireFormat.readDocument(entry.key(), entry.field(), entry.value()))));
    // The sort is stable: of a key the read reported twice, the first copy comes first and is kept.
    // Cheaper than a set of seen ids, for repeats that SCAN makes rarely.
    byId.sort(Map.Entry.comparingByKey());
    List<ObjectNode> documents = new ArrayList<>(byId.size());
    String previous = null;
    for (Map.Entry<String, ObjectNode> entry : byId) {
      if (!entry.getKey().equals(previous)) {
        documents.add(entry.getValue());
        previous = entry.getKey();
      }
    }
    return documents;
  }

  @Override
  public final List<ObjectNode> query(String groupId, Query query) {
    ensureOpen();
    StreamObserver observer = observers.active();
    return observer == null ? doQuery(groupId, query, null)
        : timed(observer, StreamOperation.QUERY, () -> doQuery(groupId, query, observer));
  }

  List<ObjectNode> doQuery(String groupId, Query query, StreamObserver observer) {
    Names.requireGroupId(groupId);
    if (query == null) {
      throw new IllegalArgumentException("query must not be null");
    }
    // Each document is parsed and filtered as its batch arrives; only the page's candidates stay.
    // The evaluator orders completely (ties by id), so the read order does not matter.
    QueryEvaluator.Selection selection = QueryEvaluator.select(query);
    if (observer == null) {
      readGroup(groupId, entry -> offer(selection, entry));
    } else {
      int[] read = {0};
      readGroup(groupId, entry -> {
        read[0]++;
        offer(selection, entry);
      });
      observer.groupRead(StreamOperation.QUERY, read[0]);
    }
    return selection.page();
  }

  /** The item's key (flat) or field (hash) tells an entry read twice apart from another item. */
  private static void offer(QueryEvaluator.Selection selection, RawEntry entry) {
    selection.offer(entry.field() != null ? entry.field() : entry.key(),
        WireFormat.readDocument(entry.key(), entry.field(), entry.value()));
  }

  @Override
  public final long clear(String groupId) {
    ensureOpen();
    StreamObserver observer = observers.active();
    return observer == null ? doClear(groupId)
        : timed(observer, StreamOperation.CLEAR, () -> doClear(groupId));
  }

  long doClear(String groupId) {
    Names.requireGroupId(groupId);
    ForeignKeys foreign = new ForeignKeys();
    long removed = removeGroup(groupId, foreign);
    foreign.failIfAny(groupId, removed);
    return removed;
  }

  /** The foreign keys a clear left behind (O7), reported once every item is removed. */
  private static final class ForeignKeys implements Consumer<StreamDataException> {
    /** How many keys the message names; the rest are counted. */
    private static final int NAMED = 10;

    /** Each foreign location once: the key, and the hash field where there is one (L2). */
    private final Set<String> keys = new LinkedHashSet<>();
    private StreamDataException first;

    @Override
    public void accept(StreamDataException failure) {
      String location = failure.field() == null ? "'" + failure.key() + "'"
          : "'" + failure.key() + "' field '" + failure.field() + "'";
      if (keys.add(location) && first == null) {
        first = failure;
      }
    }

    void failIfAny(String groupId, long removed) {
      if (first == null) {
        return;
      }
      StringBuilder named = new StringBuilder();
      int count = 0;
      for (String key : keys) {
        if (count == NAMED) {
          named.append(" and ").append(keys.size() - NAMED).append(" more");
          break;
        }
        named.append(count == 0 ? "" : ", ").append(key);
        count++;
      }
      throw new StreamDataException(first.key(), "clear of group '" + groupId + "' removed " + removed
          + " items and left " + keys.size() + (keys.size() == 1 ? " key" : " keys")
          + " untouched that hold no stream item: " + named + ". First: " + first.getMessage(), first);
    }
  }

  @Override
  public final void send(StreamChannel channel, StreamEvent event) {
    ensureOpen();
    StreamObserver observer = observers.active();
    if (observer == null) {
      doSend(channel, event);
    } else {
      timed(observer, StreamOperation.SEND, () -> {
        doSend(channel, event);
        return null;
      });
    }
  }

  private void doSend(StreamChannel channel, StreamEvent event) {
    requireArgument(channel, "channel");
    requireArgument(event, "event");
    String data = StreamJson.write(event.data(), "event data");
    requireSize(data, "event data", "its JSON text");
    publish(layout.channelName(channel), WireFormat.eventMessage(event.type(), data));
  }

  @Override
  public final Subscription subscribe(StreamChannel channel, EventHandler handler) {
    ensureOpen();
    requireArgument(channel, "channel");
    requireArgument(handler, "handler");
    return dispatcher.subscribe(layout.channelName(channel), channel, handler);
  }

  /**
   * The asynchronous API's subscribe (A1); its arguments are checked by the caller.
   *
   * @param blocking threads for the transport's blocking work
   * @return the subscription, once established
   */
  final CompletableFuture<Subscription> subscribeAsync(StreamChannel channel,
      EventHandler handler, Executor blocking) {
    return dispatcher.subscribeAsync(layout.channelName(channel), channel, handler, blocking);
  }

  @Override
  public final void unsubscribe(StreamChannel channel) {
    ensureOpen();
    requireArgument(channel, "channel");
    dispatcher.unsubscribeAll(layout.channelName(channel));
  }

  /** Fails once closed, as every other call does (O10): a view of a closed adapter is of no use. */
  @Override
  public final <T> StreamGroup<T> group(String groupId, Class<T> type) {
    ensureOpen();
    return StreamAdapter.super.group(groupId, type);
  }

  @Override
  public final StreamMonitor monitor() {
    return monitor;
  }

  @Override
  public final AsyncStreamAdapter async() {
    return async;
  }

  // ---- A1: the asynchronous primitives ----
  // Each default runs the blocking primitive on the adapter's pool for blocking calls, so that the
  // caller's thread never waits; a backend whose client can send without blocking overrides them.
  // A primitive's future may complete on any thread (a client's I/O thread too): the caller's stage
  // is completed on the adapter's own threads (see AsyncView). It fails with the exception the
  // blocking primitive throws, possibly wrapped in CompletionException.

  /**
   * {@link #writeItem} without blocking.
   *
   * @param item the keys
   * @param document the document text
   * @return completes once written, or fails as {@link #writeItem} throws
   */
  protected CompletableFuture<Void> writeItemAsync(ItemKeys item, String document) {
    return async.runBlocking(() -> {
      writeItem(item, document);
      return null;
    });
  }

  /**
   * {@link #readItem} without blocking.
   *
   * @param item the keys
   * @return the text at the key, or empty
   */
  protected CompletableFuture<Optional<String>> readItemAsync(ItemKeys item) {
    return async.runBlocking(() -> readItem(item));
  }

  /**
   * {@link #removeItem} without blocking.
   *
   * @param item the keys
   * @return the removed text, or empty
   */
  protected CompletableFuture<Optional<String>> removeItemAsync(ItemKeys item) {
    return async.runBlocking(() -> removeItem(item));
  }

  /**
   * {@link #publish} without blocking.
   *
   * @param channel the channel name
   * @param message the wire text
   * @return completes once published
   */
  protected CompletableFuture<Void> publishAsync(String channel, String message) {
    return async.runBlocking(() -> {
      publish(channel, message);
      return null;
    });
  }

  /** getGroup's read (O5) off the caller's thread: the group read runs on the blocking pool. */
  final CompletableFuture<List<ObjectNode>> readGroupAsync(String groupId) {
    return async.runBlocking(() -> doGetGroup(groupId));
  }

  /** query (O6) off the caller's thread. */
  final CompletableFuture<List<ObjectNode>> queryAsync(String groupId, Query query) {
    return async.runBlocking(() -> doQuery(groupId, query, observers.active()));
  }

  /** clear (O7) off the caller's thread. */
  final CompletableFuture<Long> removeGroupAsync(String groupId) {
    return async.runBlocking(() -> doClear(groupId));
  }

  /** @return the observers, for the asynchronous view */
  final Observers observers() {
    return observers;
  }

  /**
   * Tells the observers that the backend wrote a batch of commands in one write (for backends that
   * coalesce concurrent calls on one connection).
   *
   * @param commands how many commands the write carried
   */
  protected final void commandsWritten(int commands) {
    StreamObserver observer = observers.active();
    if (observer != null) {
      observer.commandsWritten(commands);
    }
  }

  /** Runs an operation, telling the observer how long it took and whether it threw. */
  private static <T> T timed(StreamObserver observer, StreamOperation operation, Supplier<T> call) {
    long start = System.nanoTime();
    T result;
    try {
      result = call.get();
    } catch (RuntimeException | Error e) {
      observer.operation(operation, System.nanoTime() - start, e);
      throw e;
    }
    observer.operation(operation, System.nanoTime() - start, null);
    return result;
  }

  @Override
  public final void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        // Ends every subscription, then closes the transport.
        dispatcher.close();
      } finally {
        try {
          closeBackend();
        } finally {
          async.shutdown();
        }
      }
    }
  }

  /** @return whether {@link #close()} was called */
  protected final boolean isClosed() {
    return closed.get();
  }

  /**
   * @throws IllegalStateException if the adapter is closed
   */
  protected final void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  /**
   * D6: what one event carries stays within {@code maxDocumentBytes}, so that Redis keeps the
   * subscribers it is published to. Cheap for the usual small text: a char takes at most 3 UTF-8
   * bytes, so only long text is measured.
   */
  void requireSize(String json, String argument, String measured) {
    if (json.length() * 3L > maxDocumentBytes) {
      long bytes = Names.utf8Length(json);
      if (bytes > maxDocumentBytes) {
        throw new IllegalArgumentException(argument + " is too large: " + measured + " is " + bytes
            + " UTF-8 bytes, more than maxDocumentBytes (" + maxDocumentBytes + ")");
      }
    }
  }

  static void requireArgument(Object value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + "]";
  }

  /** The same monitor on every backend. */
  private final class Monitor implements StreamMonitor {

    @Override
    public String backend() {
      int scheme = name.indexOf("://");
      return scheme < 0 ? name : name.substring(0, scheme);
    }

    @Override
    public Registration observe(StreamObserver observer) {
      return observers.add(observer);
    }

    @Override
    public int queuedEvents() {
      return dispatcher.queuedEvents();
    }

    @Override
    public int subscriptions() {
      return dispatcher.subscriptions();
    }

    @Override
    public StreamHealth health() {
      String backend = backend();
      if (closed.get()) {
        return new StreamHealth(StreamHealth.Status.DOWN, backend, StreamHealth.Subscriber.ENDED, 0,
            "the adapter is closed");
      }
      String gaveUp = dispatcher.gaveUpReason();
      if (gaveUp != null) {
        return new StreamHealth(StreamHealth.Status.DOWN, backend, StreamHealth.Subscriber.ENDED,
            dispatcher.subscriptions(), "the reconnect strategy gave up: " + gaveUp);
      }
      int subscriptions = dispatcher.subscriptions();
      StreamHealth.Subscriber subscriber = subscriptions == 0 ? StreamHealth.Subscriber.IDLE
          : dispatcher.isTransportConnected() ? StreamHealth.Subscriber.CONNECTED
          : StreamHealth.Subscriber.RECONNECTING;
      try {
        probe();
      } catch (RuntimeException e) {
        // Backend exceptions never carry the password (C3).
        return new StreamHealth(StreamHealth.Status.DOWN, backend, subscriber, subscriptions,
            e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      if (subscriber == StreamHealth.Subscriber.RECONNECTING) {
        return new StreamHealth(StreamHealth.Status.DOWN, backend, subscriber, subscriptions,
            "the subscriber connection is lost; reconnecting");
      }
      return new StreamHealth(StreamHealth.Status.UP, backend, subscriber, subscriptions, null);
    }
  }
}
