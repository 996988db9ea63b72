package dev.streams.spi;

import dev.streams.EventHandler;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import dev.streams.StreamObserver;
import dev.streams.Subscription;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the messages a backend receives on its channels to the handlers of one adapter, as the
 * clauses E2–E7 require, the same way on every backend.
 *
 * <ul>
 *   <li>Each subscription has its own bounded queue, drained by a pool thread, one event at a time
 *       and in arrival order (E3); a slow handler holds up only its own queue (E5).
 *   <li>A handler that throws is logged; delivery goes on (E4).
 *   <li>A message that is not a valid event is logged once and dropped (E6).
 *   <li>When a queue is full, its backlog is dropped and the handler gets a {@code sync} event with
 *       reason {@value StreamEvent#REASON_OVERFLOW}; {@link #reconnected()} gives every handler a
 *       {@code sync} with reason {@value StreamEvent#REASON_RECONNECTED} (E7).
 * </ul>
 *
 * <p>The backend's transport tells the dispatcher, its {@link MessageSink}, what arrives; the
 * dispatcher tells the transport when a channel gets its first subscription and loses its last. The
 * dispatcher builds the transport from a factory that gets the sink, so each side has the other from
 * the start.
 */
public final class EventDispatcher implements MessageSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
  /** Events one drain pass delivers before it yields its thread, so pool threads stay fair. */
  private static final int DRAIN_BATCH = 256;


  private final String name;
  private final ChannelTransport transport;
  private final int queueCapacity;
  private final ExecutorService executor;
  private final Observers observers;
  /**
   * Every channel with subscriptions, or whose transport subscription is still on its way. A channel
   * has one entry from its transport subscribe until its transport unsubscribe (or failure), so the
   * transport never has two calls for one channel at once.
   */
  private final Map<String, ChannelState> byChannel = new ConcurrentHashMap<>();
  private final Object lifecycle = new Object();
  private volatile boolean closed;
  /** The reconnect strategy's reason once it gave up, or null. */
  private volatile String gaveUp;

  /**
   * @param name names the delivery threads, e.g. the backend and endpoint
   * @param transports builds the transport that starts and stops channels on the backend, given this
   *     dispatcher as its sink; it may keep the sink, and anything the sink gets before the first
   *     {@link #subscribe} finds no subscription and is dropped
   * @param queueCapacity the bound of each subscription's queue
   */
  public EventDispatcher(String name,
      Function<? super MessageSink, ? extends ChannelTransport> transports, int queueCapacity) {
    this(name, transports, queueCapacity, new Observers());
  }

  /** As the public constructor; tells {@code observers} what it delivers. */
  EventDispatcher(String name, Function<? super MessageSink, ? extends ChannelTransport> transports,
      int queueCapacity, Observers observers) {
    this.observers = observers;
    this.name = name;
    this.queueCapacity = queueCapacity;
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "streams-events-" + name + "-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    this.executor = pool;
    // Last: the sink's state exists, and a transport it gets reaches no channel before subscribe.
    this.transport = Objects.requireNonNull(transports.apply(this), "transport");
  }

  /**
   * @param channelName the channel's name under the key layout
   * @param channel the channel
   * @param handler the handler
   * @return the subscription, established when this returns
   */
  public Subscription subscribe(String channelName, StreamChannel channel, EventHandler handler) {
    HandlerQueue queue = new HandlerQueue(channelName, channel, handler);
    ChannelState state = join(channelName, queue);
    if (state.starter == queue) {
      // Outside the lock: other channels' subscribes and every delivery go on while the server answers.
      Throwable failure = null;
      try {
        transport.subscribe(channelName);
      } catch (RuntimeException | Error e) {
        failure = e;
      }
      settle(channelName, state, failure, Runnable::run);
    }
    try {
      // Bounded by the transport: its subscribe answers or fails within its timeouts.
      state.established.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
    return queue;
  }

  /**
   * As {@link #subscribe}, without blocking the caller: the transport's subscription is started
   * with {@link ChannelTransport#subscribeAsync}, so that many channels are on their way at once.
   *
   * @param channelName the channel's name under the key layout
   * @param channel the channel
   * @param handler the handler
   * @param blocking threads for the transport's blocking work, and for settling a channel whose
   *     subscription failed or whose subscriptions all ended while it was on its way
   * @return the subscription, once established; it may complete on the transport's I/O thread
   */
  public CompletableFuture<Subscription> subscribeAsync(String channelName, StreamChannel channel,
      EventHandler handler, Executor blocking) {
    HandlerQueue queue = new HandlerQueue(channelName, channel, handler);
    ChannelState state = join(channelName, queue);
    if (state.starter == queue) {
      CompletableFuture<Void> confirmed;
      try {
        confirmed = transport.subscribeAsync(channelName, blocking);
      } catch (RuntimeException e) {
        confirmed = CompletableFuture.failedFuture(e);
      }
      confirmed.whenComplete((done, failure) -> settle(channelName, state,
          failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure,
          blocking));
    }
    return state.established.thenApply(done -> queue);
  }

  /**
   * Adds a subscription to its channel's entry, made now if the channel has none: then the
   * subscription is the entry's {@code starter}, whose caller starts the transport's subscription.
   */
  private ChannelState join(String channelName, HandlerQueue queue) {
    synchronized (lifecycle) {
      ensureOpen();
      ChannelState state = byChannel.get(channelName);
      if (state == null) {
        state = new ChannelState(queue);
        byChannel.put(channelName, state);
      } else {
        // A channel whose subscriptions all ended while it was on its way is wanted again.
        state.phase.compareAndSet(Phase.RELEASED, Phase.ESTABLISHING);
      }
      state.queues.add(queue);
      return state;
    }
  }

  /**
   * Settles a channel's transport subscription. Confirmed while wanted, it settles at once, without a
   * lock: it may run on the transport's I/O thread under the transport's own lock. Otherwise the
   * dispatcher's lock is needed, so it settles on {@code where}: a failure ends the channel's
   * subscriptions; a channel nobody wants any more is unsubscribed now, after its confirmation, so
   * that no transport subscribe of it is ever overtaken by its unsubscribe.
   */
  private void settle(String channelName, ChannelState state, Throwable failure, Executor where) {
    if (failure == null && state.phase.compareAndSet(Phase.ESTABLISHING, Phase.ESTABLISHED)) {
      state.established.complete(null);
      return;
    }
    Runnable underLock = () -> {
      synchronized (lifecycle) {
        if (closed || byChannel.get(channelName) != state) {
          // Closed: close ended the subscriptions and fails the stage saying so.
          state.established.completeExceptionally(failure != null ? failure : closedFailure());
          return;
        }
        if (failure != null) {
          byChannel.remove(channelName);
          state.queues.forEach(HandlerQueue::stop);
          state.queues.clear();
        } else if (state.queues.isEmpty()) {
          byChannel.remove(channelName);
          transport.unsubscribe(channelName);
        }
        state.phase.set(Phase.ESTABLISHED);
      }
      if (failure != null) {
        state.established.completeExceptionally(failure);
      } else {
        state.established.complete(null);
      }
    };
    try {
      where.execute(underLock);
    } catch (RejectedExecutionException closing) {
      // The adapter closes, and its close ends every subscription.
      state.established.completeExceptionally(failure != null ? failure : closedFailure());
    }
  }

  /**
   * Ends every subscription on a channel.
   *
   * @param channelName the channel's name under the key layout
   */
  public void unsubscribeAll(String channelName) {
    synchronized (lifecycle) {
      ChannelState state = byChannel.get(channelName);
      if (state == null) {
        return;
      }
      state.queues.forEach(HandlerQueue::stop);
      state.queues.clear();
      release(channelName, state);
    }
  }

  /**
   * Under the lock, once a channel's last subscription ended: an established channel is unsubscribed
   * now, one on its way once its transport subscription settles ({@link #settle}).
   */
  private void release(String channelName, ChannelState state) {
    if (state.phase.compareAndSet(Phase.ESTABLISHING, Phase.RELEASED) || state.phase.get() == Phase.RELEASED) {
      return;
    }
    byChannel.remove(channelName);
    if (!closed) {
      transport.unsubscribe(channelName);
    }
  }

  /** @return the names of the channels that have at least one subscription */
  public java.util.Set<String> channels() {
    java.util.Set<String> names = new java.util.HashSet<>();
    byChannel.forEach((name, state) -> {
      if (!state.queues.isEmpty()) {
        names.add(name);
      }
    });
    return java.util.Set.copyOf(names);
  }

  @Override
  public void onMessage(String channelName, String message) {
    ChannelState state = byChannel.get(channelName);
    List<HandlerQueue> queues = state == null ? List.of() : state.queues;
    if (queues.isEmpty()) {
      return;
    }
    Inbound inbound = new Inbound(channelName, message);
    StreamObserver observer = observers.active();
    if (observer != null) {
      // Every queue of a channel name has the same channel, so the first one's kind is the kind.
      observer.eventReceived(queues.get(0).channel.kind());
    }
    for (HandlerQueue queue : queues) {
      queue.offer(inbound);
    }
  }

  @Override
  public void reconnected() {
    StreamObserver observer = observers.active();
    if (observer != null) {
      observer.reconnected();
    }
    List<List<HandlerQueue>> all = new ArrayList<>();
    byChannel.values().forEach(state -> all.add(state.queues));
    offerSync(all, StreamEvent.REASON_RECONNECTED, observer);
  }

  @Override
  public void resubscribed(java.util.Set<String> channelNames) {
    List<List<HandlerQueue>> resubscribed = new ArrayList<>(channelNames.size());
    for (String channelName : channelNames) {
      ChannelState state = byChannel.get(channelName);
      if (state != null) {
        resubscribed.add(state.queues);
      }
    }
    offerSync(resubscribed, StreamEvent.REASON_RESUBSCRIBED, observers.active());
  }

  /** Queues one {@code sync} with the reason for every handler of the given channels' queues. */
  private static void offerSync(
      Collection<List<HandlerQueue>> channels, String reason, StreamObserver observer) {
    StreamEvent sync = StreamEvent.sync(reason);
    for (List<HandlerQueue> queues : channels) {
      for (HandlerQueue queue : queues) {
        if (queue.offer(sync) && observer != null) {
          observer.sync(queue.channel.kind(), reason);
        }
      }
    }
  }

  /**
   * Every handler gets one final {@value StreamEvent#DISCONNECTED} event carrying the reason, after
   * what is already queued, and then its subscription ends. New subscriptions can be made afterwards
   * (the backend decides whether they can connect).
   *
   * @param reason the strategy's reason
   */
  @Override
  public void disconnected(String reason) {
    gaveUp = reason;
    StreamObserver observer = observers.active();
    if (observer != null) {
      observer.gaveUp(reason);
    }
    StreamEvent last = new StreamEvent(StreamEvent.DISCONNECTED,
        JsonNodeFactory.instance.objectNode().put("reason", reason));
    List<HandlerQueue> ended = new ArrayList<>();
    synchronized (lifecycle) {
      for (Map.Entry<String, ChannelState> entry : List.copyOf(byChannel.entrySet())) {
        ChannelState state = entry.getValue();
        ended.addAll(state.queues);
        state.queues.clear();
        release(entry.getKey(), state);
      }
    }
    for (HandlerQueue queue : ended) {
      queue.finish(last);
    }
  }

  /** @return the events queued and not yet delivered, over every subscription */
  public int queuedEvents() {
    int queued = 0;
    for (ChannelState state : byChannel.values()) {
      for (HandlerQueue queue : state.queues) {
        queued += queue.size();
      }
    }
    return queued;
  }

  /** @return the active subscriptions */
  public int subscriptions() {
    int subscriptions = 0;
    for (ChannelState state : byChannel.values()) {
      subscriptions += state.queues.size();
    }
    return subscriptions;
  }

  /** @return whether the transport's connection is up now ({@link ChannelTransport#isConnected()}) */
  boolean isTransportConnected() {
    return transport.isConnected();
  }

  /** @return the reconnect strategy's reason if {@link #disconnected} was called, else null */
  String gaveUpReason() {
    return gaveUp;
  }

  /** Ends every subscription, stops the delivery threads and closes the transport. Idempotent. */
  @Override
  public void close() {
    List<ChannelState> states;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      states = List.copyOf(byChannel.values());
      states.forEach(state -> state.queues.forEach(HandlerQueue::stop));
      byChannel.clear();
    }
    // Before the transport closes: a subscribe on its way fails saying the adapter closed, not with
    // whatever the transport's shutdown does to its unconfirmed commands.
    IllegalStateException closing = closedFailure();
    for (ChannelState state : states) {
      state.established.completeExceptionally(closing);
    }
    try {
      executor.shutdown();
    } finally {
      transport.close();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw closedFailure();
    }
  }

  private static IllegalStateException closedFailure() {
    return new IllegalStateException("the adapter is closed");
  }

  private void remove(HandlerQueue queue) {
    synchronized (lifecycle) {
      ChannelState state = byChannel.get(queue.channelName);
      if (state == null || !state.queues.remove(queue)) {
        return;
      }
      if (state.queues.isEmpty()) {
        release(queue.channelName, state);
      }
    }
  }

  /** Where a channel's transport subscription stands. */
  private enum Phase {
    /** Started, its outcome not in yet. */
    ESTABLISHING,
    /** On its way, and every subscription of the channel ended: unsubscribed once it settles. */
    RELEASED,
    /** Confirmed (or, for an entry no longer in the map, failed). */
    ESTABLISHED
  }

  /** One channel's subscriptions and the transport subscription they share. */
  private static final class ChannelState {
    /** The subscription whose caller starts the transport's subscription. */
    final HandlerQueue starter;
    final List<HandlerQueue> queues = new CopyOnWriteArrayList<>();
    /** Completes once the transport's subscription is established; fails as it failed. */
    final CompletableFuture<Void> established = new CompletableFuture<>();
    final AtomicReference<Phase> phase = new AtomicReference<>(Phase.ESTABLISHING);

    ChannelState(HandlerQueue starter) {
      this.starter = starter;
    }
  }

  /** A message as it arrived; parsed once, by whichever subscription needs it first. */
  private static final class Inbound {
    private final String channelName;
    private final String message;
    private volatile Object parsed;

    Inbound(String channelName, String message) {
      this.channelName = channelName;
      this.message = message;
    }

    /** @return the event, or null if the message is not one (logged once) */
    StreamEvent event() {
      Object result = parsed;
      if (result == null) {
        synchronized (this) {
          result = parsed;
          if (result == null) {
            try {
              result = WireFormat.readEvent(message);
            } catch (IllegalArgumentException e) {
              LOG.warn("Dropped a message on channel '{}' that is not a stream event ({}): {}",
                  channelName, e.getMessage(), abbreviate(message));
              result = e;
            }
            parsed = result;
          }
        }
      }
      return result instanceof StreamEvent event ? event : null;
    }

    private static String abbreviate(String text) {
      return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " chars)";
    }
  }

  /** One subscription: its handler, its bounded queue, and whether a drain is scheduled. */
  private final class HandlerQueue implements Subscription {
    private final String channelName;
    private final StreamChannel channel;
    private final EventHandler handler;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean scheduled;
    /** Set by {@link #finish}: deliver what is queued, then end. */
    private boolean finishing;
    private volatile boolean active = true;

    HandlerQueue(String channelName, StreamChannel channel, EventHandler handler) {
      this.channelName = channelName;
      this.channel = channel;
      this.handler = handler;
    }

    /** @return whether the item was queued: false once the subscription ends */
    boolean offer(Object item) {
      boolean schedule;
      int dropped = 0;
      synchronized (queue) {
        if (!active || finishing) {
          return false;
        }
        if (queue.size() >= queueCapacity) {
          dropped = queue.size();
          LOG.warn("Handler on channel '{}' fell {} events behind; dropped them and sent it a sync",
              channelName, dropped);
          queue.clear();
          queue.add(StreamEvent.sync(StreamEvent.REASON_OVERFLOW));
        }
        queue.add(item);
        schedule = !scheduled;
        scheduled = true;
      }
      if (dropped > 0) {
        StreamObserver observer = observers.active();
        if (observer != null) {
          observer.eventsDropped(channel.kind(), dropped);
          observer.sync(channel.kind(), StreamEvent.REASON_OVERFLOW);
        }
      }
      if (schedule) {
        schedule();
      }
      return true;
    }

    int size() {
      synchronized (queue) {
        return queue.size();
      }
    }

    /** Queues a last event; the subscription ends once it is delivered. */
    void finish(StreamEvent last) {
      boolean schedule;
      synchronized (queue) {
        if (!active || finishing) {
          return;
        }
        queue.add(last);
        finishing = true;
        schedule = !scheduled;
        scheduled = true;
      }
      if (schedule) {
        schedule();
      }
    }

    private void schedule() {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // Only after close(): nothing is delivered any more.
        stop();
      }
    }

    private void drain() {
      for (int delivered = 0; delivered < DRAIN_BATCH; delivered++) {
        Object next;
        synchronized (queue) {
          next = active ? queue.poll() : null;
          if (next == null) {
            scheduled = false;
            if (finishing) {
              active = false;
            }
            return;
          }
        }
        StreamEvent event = next instanceof Inbound inbound ? inbound.event() : (StreamEvent) next;
        if (event != null && active) {
          deliver(event);
        }
      }
      schedule();
    }

    private void deliver(StreamEvent event) {
      StreamObserver observer = observers.active();
      long start = observer == null ? 0 : System.nanoTime();
      Throwable failure = null;
      try {
        handler.onEvent(event);
      } catch (Throwable e) {
        failure = e;
        LOG.warn("Handler on channel '{}' threw on a '{}' event; it keeps receiving events",
            channelName, event.type(), e);
      }
      if (observer != null) {
        observer.eventDelivered(channel.kind(), System.nanoTime() - start, failure);
      }
    }

    void stop() {
      active = false;
      synchronized (queue) {
        queue.clear();
      }
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
      if (active) {
        stop();
        remove(this);
      }
    }

    @Override
    public String toString() {
      return "Subscription{channel=" + channelName + ", dispatcher=" + name + ", active=" + active + "}";
    }
  }
}
