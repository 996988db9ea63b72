package dev.streams.micrometer;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import dev.streams.StreamMonitor;
import dev.streams.StreamObserver;
import dev.streams.StreamOperation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Binds a {@link StreamAdapter} of any backend to a Micrometer {@link MeterRegistry}:
 *
 * <pre>{@code
 * StreamsMetrics metrics = new StreamsMetrics(adapter);
 * metrics.bindTo(registry);   // from now on every operation and event is measured
 * ...
 * metrics.close();            // stops measuring; the meters stay in the registry
 * }</pre>
 *
 * <p>Every meter has the tag {@code backend} (e.g. {@code redis-lettuce}) and the tags given to the
 * constructor; none has a group id or an item id, so the number of meters stays bounded. Times are in
 * seconds as the registry reports them (timers record nanoseconds).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Tags</th><th>What</th></tr>
 *   <tr><td>{@value #OPERATION}</td><td>timer</td><td>operation, outcome, exception</td>
 *       <td>each call of {@code set}, {@code get}, {@code delete}, {@code getGroup}, {@code query},
 *       {@code clear}, {@code send}; outcome {@code success} or {@code error}, exception the thrown
 *       class's simple name or {@code none}</td></tr>
 *   <tr><td>{@value #GROUP_READ}</td><td>distribution summary (items)</td><td>operation</td>
 *       <td>items read by each {@code getGroup} and {@code query}</td></tr>
 *   <tr><td>{@value #EVENTS_RECEIVED}</td><td>counter</td><td>channel ({@code group}, {@code item})</td>
 *       <td>messages arrived on subscribed channels</td></tr>
 *   <tr><td>{@value #EVENTS_DELIVERED}</td><td>counter</td><td>channel</td>
 *       <td>events handed to handlers, {@code sync} included</td></tr>
 *   <tr><td>{@value #HANDLER}</td><td>timer</td><td>channel, outcome, exception</td>
 *       <td>time spent in handlers</td></tr>
 *   <tr><td>{@value #EVENTS_DROPPED}</td><td>counter</td><td>channel</td>
 *       <td>queued events dropped because a handler fell behind</td></tr>
 *   <tr><td>{@value #SYNC}</td><td>counter</td><td>channel, reason ({@code overflow},
 *       {@code reconnected})</td><td>{@code sync} events queued for handlers</td></tr>
 *   <tr><td>{@value #EVENTS_QUEUED}</td><td>gauge (events)</td><td></td>
 *       <td>events queued for handlers and not yet delivered</td></tr>
 *   <tr><td>{@value #SUBSCRIPTIONS}</td><td>gauge</td><td></td><td>active subscriptions</td></tr>
 *   <tr><td>{@value #RECONNECTS}</td><td>counter</td><td></td>
 *       <td>subscriber connections re-established, every channel restored</td></tr>
 *   <tr><td>{@value #GIVE_UPS}</td><td>counter</td><td></td>
 *       <td>times the reconnect strategy gave up (the adapter is down for good)</td></tr>
 *   <tr><td>{@value #WRITE_BATCH}</td><td>distribution summary (commands)</td><td></td>
 *       <td>commands carried by each write to the store, for backends that coalesce concurrent calls
 *       on one connection ({@code redis-jedis}, {@code redis-lettuce}); never recorded by
 *       {@code memory}</td></tr>
 * </table>
 */
public final class StreamsMetrics implements MeterBinder, AutoCloseable {

  /** Timer of every operation. */
  public static final String OPERATION = "streams.operation";
  /** Distribution summary of the items read by a group read. */
  public static final String GROUP_READ = "streams.group.read.items";
  /** Counter of messages received on subscribed channels. */
  public static final String EVENTS_RECEIVED = "streams.events.received";
  /** Counter of events handed to handlers. */
  public static final String EVENTS_DELIVERED = "streams.events.delivered";
  /** Timer of the handlers. */
  public static final String HANDLER = "streams.events.handler";
  /** Counter of queued events dropped on overflow. */
  public static final String EVENTS_DROPPED = "streams.events.dropped";
  /** Counter of {@code sync} events by reason. */
  public static final String SYNC = "streams.events.sync";
  /** Gauge of the events queued for handlers. */
  public static final String EVENTS_QUEUED = "streams.events.queued";
  /** Gauge of the active subscriptions. */
  public static final String SUBSCRIPTIONS = "streams.subscriptions";
  /** Counter of re-established subscriber connections. */
  public static final String RECONNECTS = "streams.connection.reconnects";
  /** Counter of reconnect strategy give-ups. */
  public static final String GIVE_UPS = "streams.connection.giveups";
  /** Distribution summary of the commands carried by each write to the store. */
  public static final String WRITE_BATCH = "streams.write.commands";

  private static final String NONE = "none";

  private final StreamAdapter adapter;
  private final Tags tags;
  private final List<StreamMonitor.Registration> registrations = new CopyOnWriteArrayList<>();

  /**
   * @param adapter the adapter to measure; built on {@code dev.streams.spi.AbstractStreamAdapter}
   *     (every backend of this project is)
   * @throws UnsupportedOperationException if the adapter has no {@link StreamAdapter#monitor()}
   */
  public StreamsMetrics(StreamAdapter adapter) {
    this(adapter, Tags.empty());
  }

  /**
   * @param adapter the adapter to measure
   * @param tags added to every meter, e.g. to tell two adapters of one application apart
   * @throws UnsupportedOperationException if the adapter has no {@link StreamAdapter#monitor()}
   */
  public StreamsMetrics(StreamAdapter adapter, Iterable<Tag> tags) {
    this.adapter = adapter;
    StreamMonitor monitor = adapter.monitor();
    this.tags = Tags.of(tags).and("backend", monitor.backend());
  }

  /**
   * Registers the meters and starts measuring into the registry, until {@link #close()}.
   *
   * @param registry the registry
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    StreamMonitor monitor = adapter.monitor();
    Gauge.builder(EVENTS_QUEUED, monitor, StreamMonitor::queuedEvents)
        .tags(tags).baseUnit("events")
        .description("Events queued for handlers and not yet delivered")
        .register(registry);
    Gauge.builder(SUBSCRIPTIONS, monitor, StreamMonitor::subscriptions)
        .tags(tags).description("Active subscriptions")
        .register(registry);
    registrations.add(monitor.observe(new Recorder(registry, tags)));
  }

  /** Stops measuring; the meters stay registered. Idempotent. */
  @Override
  public void close() {
    for (StreamMonitor.Registration registration : registrations) {
      registration.close();
    }
    registrations.clear();
  }

  private static String channelTag(StreamChannel.Kind kind) {
    return kind == StreamChannel.Kind.GROUP ? "group" : "item";
  }

  /** Records into one registry; the meters on the success paths are looked up once, here. */
  private static final class Recorder implements StreamObserver {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Timer[] succeeded = new Timer[StreamOperation.values().length];
    private final DistributionSummary[] groupReads = new DistributionSummary[StreamOperation.values().length];
    private final Map<String, Timer> failed = new ConcurrentHashMap<>();
    private final Counter[] received = new Counter[2];
    private final Counter[] delivered = new Counter[2];
    private final Timer[] handled = new Timer[2];
    private final Counter[] dropped = new Counter[2];
    private final Map<String, Counter> syncs = new ConcurrentHashMap<>();
    private final Counter reconnects;
    private final Counter giveUps;
    private final DistributionSummary writeBatches;

    Recorder(MeterRegistry registry, Tags tags) {
      this.registry = registry;
      this.tags = tags;
      for (StreamOperation operation : StreamOperation.values()) {
        succeeded[operation.ordinal()] = operationTimer(operation, "success", NONE);
      }
      for (StreamOperation operation : List.of(StreamOperation.GET_GROUP, StreamOperation.QUERY)) {
        groupReads[operation.ordinal()] = DistributionSummary.builder(GROUP_READ)
            .tags(tags).tag("operation", operation.methodName()).baseUnit("items")
            .description("Items read by a group read (for a query, every item looked at)")
            .register(registry);
      }
      for (StreamChannel.Kind kind : StreamChannel.Kind.values()) {
        Tags channel = tags.and("channel", channelTag(kind));
        received[kind.ordinal()] = Counter.builder(EVENTS_RECEIVED).tags(channel).baseUnit("events")
            .description("Messages received on subscribed channels").register(registry);
        delivered[kind.ordinal()] = Counter.builder(EVENTS_DELIVERED).tags(channel).baseUnit("events")
            .description("Events handed to handlers, sync events included").register(registry);
        handled[kind.ordinal()] = handlerTimer(kind, "success", NONE);
        dropped[kind.ordinal()] = Counter.builder(EVENTS_DROPPED).tags(channel).baseUnit("events")
            .description("Queued events dropped because a handler fell behind").register(registry);
        for (String reason : List.of(StreamEvent.REASON_OVERFLOW, StreamEvent.REASON_RECONNECTED)) {
          syncs.put(syncKey(kind, reason), syncCounter(kind, reason));
        }
      }
      reconnects = Counter.builder(RECONNECTS).tags(tags)
          .description("Subscriber connections re-established with every channel").register(registry);
      giveUps = Counter.builder(GIVE_UPS).tags(tags)
          .description("Times the reconnect strategy gave up").register(registry);
      writeBatches = DistributionSummary.builder(WRITE_BATCH).tags(tags).baseUnit("commands")
          .description("Commands carried by each write to the store (coalesced concurrent calls)")
          .register(registry);
    }

    private Timer operationTimer(StreamOperation operation, String outcome, String exception) {
      return Timer.builder(OPERATION).tags(tags)
          .tag("operation", operation.methodName()).tag("outcome", outcome).tag("exception", exception)
          .description("Stream adapter operations").register(registry);
    }

    private Timer handlerTimer(StreamChannel.Kind kind, String outcome, String exception) {
      return Timer.builder(HANDLER).tags(tags).tag("channel", channelTag(kind))
          .tag("outcome", outcome).tag("exception", exception)
          .description("Time spent in event handlers").register(registry);
    }

    private Counter syncCounter(StreamChannel.Kind kind, String reason) {
      return Counter.builder(SYNC).tags(tags).tag("channel", channelTag(kind)).tag("reason", reason)
          .baseUnit("events").description("Sync events queued for handlers").register(registry);
    }

    private static String syncKey(StreamChannel.Kind kind, String reason) {
      return kind.name() + ' ' + reason;
    }

    @Override
    public void operation(StreamOperation operation, long nanos, Throwable failure) {
      Timer timer = failure == null ? succeeded[operation.ordinal()]
          : failed.computeIfAbsent(operation.name() + ' ' + failure.getClass().getName(),
              key -> operationTimer(operation, "error", failure.getClass().getSimpleName()));
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void groupRead(StreamOperation operation, int items) {
      DistributionSummary summary = groupReads[operation.ordinal()];
      if (summary != null) {
        summary.record(items);
      }
    }

    @Override
    public void eventReceived(StreamChannel.Kind kind) {
      received[kind.ordinal()].increment();
    }

    @Override
    public void eventDelivered(StreamChannel.Kind kind, long handlerNanos, Throwable failure) {
      delivered[kind.ordinal()].increment();
      Timer timer = failure == null ? handled[kind.ordinal()]
          : failed.computeIfAbsent("handler " + kind + ' ' + failure.getClass().getName(),
              key -> handlerTimer(kind, "error", failure.getClass().getSimpleName()));
      timer.record(handlerNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void eventsDropped(StreamChannel.Kind kind, int events) {
      dropped[kind.ordinal()].increment(events);
    }

    @Override
    public void sync(StreamChannel.Kind kind, String reason) {
      syncs.computeIfAbsent(syncKey(kind, reason), key -> syncCounter(kind, reason)).increment();
    }

    @Override
    public void reconnected() {
      reconnects.increment();
    }

    @Override
    public void gaveUp(String reason) {
      giveUps.increment();
    }

    @Override
    public void commandsWritten(int commands) {
      writeBatches.record(commands);
    }
  }
}
