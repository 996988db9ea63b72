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
  private final Map<String, List<HandlerQueue>> byChannel = new ConcurrentHashMap<>();
  /**
   * Channels whose asynchronous subscription the transport has not confirmed yet, each with the
   * stage that settles it; later subscribers of the channel wait for the same stage.
   */
  private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
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
    CompletableFuture<Void> settling;
    synchronized (lifecycle) {
      ensureOpen();
      List<HandlerQueue> queues = byChannel.get(channelName);
      if (queues == null) {
        transport.subscribe(channelName);
        queues = new CopyOnWriteArrayList<>();
        byChannel.put(channelName, queues);
      }
      queues.add(queue);
      settling = pending.get(channelName);
    }
    if (settling != null) {
      // An asynchronous subscribe of the channel is on its way: this one is established with it.
      try {
        settling.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException failure) {
          throw failure;
        }
        throw e;
      }
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
   * @param blocking threads for the transport's blocking work, and for giving up a channel whose
   *     subscription failed
   * @return the subscription, once established; it may complete on the transport's I/O thread
   */
  public CompletableFuture<Subscription> subscribeAsync(String channelName, StreamChannel channel,
      EventHandler handler, Executor blocking) {
    HandlerQueue queue = new HandlerQueue(channelName, channel, handler);
    CompletableFuture<Void> settling;
    synchronized (lifecycle) {
      ensureOpen();
      List<HandlerQueue> queues = byChannel.get(channelName);
      if (queues == null) {
        CompletableFuture<Void> confirmed = transport.subscribeAsync(channelName, blocking);
        queues = new CopyOnWriteArrayList<>();
        byChannel.put(channelName, queues);
        settling = new CompletableFuture<>();
        pending.put(channelName, settling);
        settleWhen(confirmed, channelName, queues, settling, blocking);
      } else {
        settling = pending.get(channelName);
      }
      queues.add(queue);
    }
    return settling == null ? CompletableFuture.completedFuture(queue) : settling.thenApply(done -> queue);
  }

  /**
   * Settles a channel's asynchronous subscription. Confirmed, it settles at once, without a lock: it
   * may run on the transport's I/O thread under the transport's own lock. Failed, the channel's
   * subscriptions end first, under the dispatcher's lock, so on one of {@code blocking}'s threads.
   */
  private void settleWhen(CompletableFuture<Void> confirmed, String channelName, List<HandlerQueue> queues,
      CompletableFuture<Void> settling, Executor blocking) {
    confirmed.whenComplete((done, failure) -> {
      if (failure == null) {
        pending.remove(channelName, settling);
        settling.complete(null);
        return;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      try {
        blocking.execute(() -> {
          synchronized (lifecycle) {
            if (byChannel.get(channelName) == queues) {
              byChannel.remove(channelName);
              queues.forEach(HandlerQueue::stop);
            }
            pending.remove(channelName, settling);
          }
          settling.completeExceptionally(cause);
        });
      } catch (RejectedExecutionException closing) {
        // The adapter closes, and its close ends every subscription.
        pending.remove(channelName, settling);
        settling.completeExceptionally(cause);
      }
    });
  }

  /**
   * Ends every subscription on a channel.
   *
   * @param channelName the channel's name under the key layout
   */
  public void unsubscribeAll(String channelName) {
    synchronized (lifecycle) {
      List<HandlerQueue> queues = byChannel.remove(channelName);
      if (queues == null) {
        return;
      }
      queues.forEach(HandlerQueue::stop);
      if (!closed) {
        transport.unsubscribe(channelName);
      }
    }
  }

  /** @return the names of the channels that have at least one subscription */
  public java.util.Set<String> channels() {
    return java.util.Set.copyOf(byChannel.keySet());
  }

  @Override
  public void onMessage(String channelName, String message) {
    List<HandlerQueue> queues = byChannel.get(channelName);
    if (queues == null || queues.isEmpty()) {
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
    offerSync(byChannel.values(), StreamEvent.REASON_RECONNECTED, observer);
  }

  @Override
  public void resubscribed(java.util.Set<String> channelNames) {
    List<List<HandlerQueue>> resubscribed = new ArrayList<>(channelNames.size());
    for (String channelName : channelNames) {
      List<HandlerQueue> queues = byChannel.get(channelName);
      if (queues != null) {
        resubscribed.add(queues);
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
      for (String channel : List.copyOf(byChannel.keySet())) {
        ended.addAll(byChannel.remove(channel));
        if (!closed) {
          transport.unsubscribe(channel);
        }
      }
    }
    for (HandlerQueue queue : ended) {
      queue.finish(last);
    }
  }

  /** @return the events queued and not yet delivered, over every subscription */
  public int queuedEvents() {
    int queued = 0;
    for (List<HandlerQueue> queues : byChannel.values()) {
      for (HandlerQueue queue : queues) {
        queued += queue.size();
      }
    }
    return queued;
  }

  /** @return the active subscriptions */
  public int subscriptions() {
    int subscriptions = 0;
    for (List<HandlerQueue> queues : byChannel.values()) {
      subscriptions += queues.size();
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
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      byChannel.values().forEach(queues -> queues.forEach(HandlerQueue::stop));
      byChannel.clear();
    }
    // Before the transport closes: a subscribe on its way fails saying the adapter closed, not with
    // whatever the transport's shutdown does to its unconfirmed commands.
    IllegalStateException closing = new IllegalStateException("the adapter is closed");
    for (CompletableFuture<Void> settling : List.copyOf(pending.values())) {
      settling.completeExceptionally(closing);
    }
    pending.clear();
    try {
      executor.shutdown();
    } finally {
      transport.close();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the adapter is closed");
    }
  }

  private void remove(HandlerQueue queue) {
    synchronized (lifecycle) {
      List<HandlerQueue> queues = byChannel.get(queue.channelName);
      if (queues == null || !queues.remove(queue)) {
        return;
      }
      if (queues.isEmpty()) {
        byChannel.remove(queue.channelName);
        if (!closed) {
          transport.unsubscribe(queue.channelName);
        }
      }
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
