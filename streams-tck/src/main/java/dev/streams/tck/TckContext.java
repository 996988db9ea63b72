package dev.streams.tck;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamEvent;
import dev.streams.StreamLayout;
import dev.streams.spi.KeyLayout;
import dev.streams.spi.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * What one TCK test works with: its fresh store, the adapters it opened (closed after the test), the
 * raw view, and event markers that prove all earlier events have arrived.
 */
public final class TckContext implements AutoCloseable {

  /** The type of the marker events the TCK sends to know that earlier events have arrived. */
  public static final String MARKER = "tck-marker";

  private final TckStore store;
  private final StreamLayout layout;
  private final List<StreamAdapter> adapters = new ArrayList<>();
  /** The layout of each adapter this context opened. */
  private final Map<StreamAdapter, StreamLayout> layouts = new java.util.IdentityHashMap<>();
  private StreamAdapter adapter;
  private boolean throughAsyncApi;

  TckContext(TckStore store, StreamLayout layout) {
    this.store = store;
    this.layout = layout;
  }

  /** @return the layout this run opens every adapter with (L1): {@link StreamsTck#layout()} */
  public StreamLayout layout() {
    return layout;
  }

  /** @return the keys and channels of this run's layout with the default prefixes */
  public KeyLayout keys() {
    return keys(StreamConfig.DEFAULT_KEY_PREFIX, StreamConfig.DEFAULT_EVENT_PREFIX);
  }

  /**
   * @param keyPrefix a key prefix
   * @param eventPrefix an event prefix
   * @return the keys and channels of this run's layout with these prefixes
   */
  public KeyLayout keys(String keyPrefix, String eventPrefix) {
    return new KeyLayout(keyPrefix, eventPrefix, layout);
  }

  /**
   * @param groupId a group
   * @param id an item
   * @return the text stored for the item as the raw view shows it, with the default prefixes: the
   *     data key's string (flat) or the field of the group's hash (hash)
   */
  public Optional<String> rawItem(String groupId, String id) {
    return rawItem(keys(), groupId, id);
  }

  /**
   * @param keys the layout and prefixes
   * @param groupId a group
   * @param id an item
   * @return the text stored for the item as the raw view shows it
   */
  public Optional<String> rawItem(KeyLayout keys, String groupId, String id) {
    RawView raw = raw();
    if (!keys.isHash()) {
      return raw.get(keys.dataKey(groupId, id));
    }
    return Optional.ofNullable(rawHash(keys.groupKey(groupId)).get(id));
  }

  /**
   * @param groupId a group
   * @return the ids the raw view shows stored in the group, with the default prefixes
   */
  public List<String> rawIds(String groupId) {
    KeyLayout keys = keys();
    if (!keys.isHash()) {
      String prefix = keys.groupKeyPrefix(groupId);
      return raw().keys().stream().filter(key -> key.startsWith(prefix))
          .map(key -> key.substring(prefix.length())).sorted().toList();
    }
    return rawHash(keys.groupKey(groupId)).keySet().stream().sorted().toList();
  }

  /**
   * Stores text for an item bypassing the adapter, as another program would (no event): at the data
   * key (flat) or in the field of the group's hash (hash; skipped, with the reason, on a store of
   * strings only).
   *
   * @param groupId a group
   * @param id an item
   * @param value the text
   */
  public void putRawItem(String groupId, String id, String value) {
    KeyLayout keys = keys();
    if (!keys.isHash()) {
      raw().putForeign(keys.dataKey(groupId, id), value);
    } else {
      assumeTrue(raw().putForeignHash(keys.groupKey(groupId), id, value),
          "The hash layout needs a raw view with hashes (RawView.putForeignHash)");
    }
  }

  private Map<String, String> rawHash(String key) {
    RawView raw = raw();
    try {
      return raw.getHash(key);
    } catch (UnsupportedOperationException noHashes) {
      assumeTrue(false, "The hash layout needs a raw view with hashes (RawView.getHash)");
      throw noHashes;
    }
  }

  /**
   * From now on, the adapters this context opens are blocking adapters made of each adapter's
   * asynchronous API (A1): the clause families run through it as they run through the blocking one.
   */
  void throughAsyncApi() {
    throughAsyncApi = true;
  }

  /** @return the test's first adapter, with default settings */
  public StreamAdapter adapter() {
    if (adapter == null) {
      adapter = openAdapter();
    }
    return adapter;
  }

  /** @return a further adapter on the same store, with default settings: a second instance */
  public StreamAdapter openAdapter() {
    return openAdapter(UnaryOperator.identity());
  }

  /**
   * @param settings changes the default settings (prefixes, event queue bound)
   * @return a further adapter on the same store
   */
  public StreamAdapter openAdapter(UnaryOperator<StreamConfig.Builder> settings) {
    StreamConfig config = settings.apply(StreamConfig.builder().layout(layout)).build();
    StreamAdapter opened = store.open(config);
    if (throughAsyncApi) {
      opened = new AsyncJoiningAdapter(opened);
    }
    synchronized (adapters) {
      adapters.add(opened);
      layouts.put(opened, config.layout());
    }
    return opened;
  }

  /** @return the name of the backend under test ({@link TckStore#backendName()}) */
  public String backendName() {
    return store.backendName();
  }

  /**
   * @param settings changes the default settings
   * @return the settings with the store's connection, the backend unnamed: what an application
   *     passes to {@code Streams.open}
   */
  public StreamConfig connection(UnaryOperator<StreamConfig.Builder> settings) {
    return store.configure(settings.apply(StreamConfig.builder().layout(layout)).build());
  }

  /** @return whether the backend supplies a raw view */
  public boolean hasRawView() {
    return store.rawView().isPresent();
  }

  /**
   * @return the raw view; a test that needs it is skipped, with the reason, when there is none
   */
  public RawView raw() {
    assumeTrue(hasRawView(),
        "This clause needs a raw view of the store: implement TckStore.rawView() to run it");
    return store.rawView().orElseThrow();
  }

  /**
   * @return a hold on the store's writes ({@link TckStore#holdWrites()}); a test that needs it is
   *     skipped, with the reason, when the store has none
   */
  public AutoCloseable holdWrites() {
    Optional<AutoCloseable> hold = store.holdWrites();
    assumeTrue(hold.isPresent(),
        "This clause needs to hold the store's writes: implement TckStore.holdWrites() to run it");
    return hold.orElseThrow();
  }

  /**
   * Skips the running test, with the reason, when the store cannot open database 1 beside database 0.
   */
  public void requireSecondDatabase() {
    assumeTrue(store.offersSecondDatabase(), "This clause needs database 1 of the same server beside"
        + " database 0: TckStore.offersSecondDatabase() says the store cannot offer it");
  }

  /**
   * Sends a marker on a channel and waits until every recorder has it: then, by E3's order, every
   * event published on that channel before the marker has arrived too. Where a group's events come by
   * several routes ({@link TckStore#ordersGroupEvents(StreamLayout)} false) the marker goes out from every node,
   * through the raw view, and the wait is for every copy.
   *
   * @param via the adapter that sends the marker
   * @param channel the channel the recorders listen on
   * @param recorders the recorders
   */
  public void awaitQuiet(StreamAdapter via, StreamChannel channel, EventRecorder... recorders) {
    Marker marker = sendMarker(via, channel);
    for (EventRecorder recorder : recorders) {
      recorder.awaitEvent(e -> isMarker(e, marker.id())
          && recorder.events().stream().filter(seen -> isMarker(seen, marker.id())).count() >= marker.copies());
    }
  }

  /**
   * A marker sent: its id, and how many copies a subscriber receives.
   *
   * @param id the marker's data
   * @param copies one, or one per node where a group's events come by several routes
   */
  public record Marker(String id, int copies) {}

  /**
   * Sends a marker event on a channel: through the adapter, or from every node through the raw view
   * where the events of the adapter's layout come by several routes ({@link
   * TckStore#ordersGroupEvents(StreamLayout)}). Once a subscriber has every copy, it has every event
   * published on the channel before.
   *
   * @param via the adapter
   * @param channel the channel
   * @return the marker
   */
  public Marker sendMarker(StreamAdapter via, StreamChannel channel) {
    String id = UUID.randomUUID().toString();
    StreamLayout viaLayout;
    synchronized (adapters) {
      viaLayout = layouts.getOrDefault(via, layout);
    }
    if (store.ordersGroupEvents(viaLayout)) {
      via.send(channel, StreamEvent.of(MARKER, id));
      return new Marker(id, 1);
    }
    // The TCK's markers travel on the default prefixes' channels.
    KeyLayout names = new KeyLayout(StreamConfig.DEFAULT_KEY_PREFIX, StreamConfig.DEFAULT_EVENT_PREFIX, viaLayout);
    return new Marker(id, raw().publishFromEveryNode(names.channelName(channel),
        WireFormat.eventMessage(StreamEvent.of(MARKER, id))));
  }

  /**
   * Checks what a group channel's handler received against what was published, in publish order,
   * or in any order where a group's events come by several routes (L3: their order holds per item,
   * and the events of several items or sends are compared here).
   *
   * @param actual what the handler got, markers left out
   * @param expected what was published, in publish order
   * @param description what is compared, for the failure message
   * @param <T> what is compared of each event
   */
  public <T> void assertGroupEvents(List<T> actual, List<T> expected, String description) {
    if (ordersGroupEvents()) {
      org.assertj.core.api.Assertions.assertThat(actual).as(description).containsExactlyElementsOf(expected);
    } else {
      org.assertj.core.api.Assertions.assertThat(actual).as(description + ", in any order across items (L3)")
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  /** @return {@link TckStore#ordersGroupEvents(StreamLayout)} of this test's store, for this run's layout */
  public boolean ordersGroupEvents() {
    return store.ordersGroupEvents(layout);
  }

  /**
   * @param events events as a recorder got them
   * @return the events that are not markers
   */
  public static List<StreamEvent> withoutMarkers(List<StreamEvent> events) {
    return events.stream().filter(e -> !MARKER.equals(e.type())).toList();
  }

  private static boolean isMarker(StreamEvent event, String id) {
    return MARKER.equals(event.type()) && id.equals(event.data().asText());
  }

  @Override
  public void close() {
    try {
      synchronized (adapters) {
        for (StreamAdapter opened : adapters) {
          opened.close();
        }
        adapters.clear();
      }
    } finally {
      store.close();
    }
  }
}
