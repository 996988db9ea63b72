package dev.streams.redis.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamAdapterProvider;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamEvent;
import dev.streams.StreamLayout;
import dev.streams.json.StreamJson;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import dev.streams.redis.jedis.JedisStreamsProvider;
import dev.streams.redis.lettuce.LettuceStreamsProvider;
import dev.streams.spi.KeyLayout;
import dev.streams.tck.EventRecorder;
import dev.streams.tck.RawListener;
import dev.streams.tck.RawView;
import dev.streams.tck.TckStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The two Redis backends on one store behave as one: each reads what the other wrote, each receives
 * the other's events exactly once, and both write and publish the same bytes for the same operations
 * (K2, E1, E2), as checked by the TCK store's raw view beneath them. A subclass gives the store (one
 * server or a cluster, L3) and the layout.
 */
abstract class CrossBackendTests {

  private static final Duration WAIT = Duration.ofSeconds(20);
  static final StreamAdapterProvider JEDIS = new JedisStreamsProvider();
  static final StreamAdapterProvider LETTUCE = new LettuceStreamsProvider();

  /** Unicode (with a character outside the BMP), 64-bit and larger integers, decimals, nesting. */
  private static final String HARD_DOCUMENT = "{\"name\":\"Zoë ✓ 日本語 🚀 \\\"quoted\\\" \\\\ \\n\","
      + "\"long\":9223372036854775807,\"negative\":-9223372036854775808,\"big\":123456789012345678901234567890,"
      + "\"decimal\":0.1,\"precise\":3.141592653589793238462643383279,\"exponent\":1.5E+300,\"trailing\":2.50,"
      + "\"nested\":{\"list\":[1,-0.0,null,true,\"\\u0000\"],\"empty\":{}},\"id\":\"replaced\"}";

  private final List<StreamAdapter> adapters = new ArrayList<>();
  private TckStore store;

  /** @return a store, flushed, whose raw view sees what both backends wrote */
  abstract TckStore newStore();

  /** @return the layout of both backends' adapters */
  abstract StreamLayout layout();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void close() {
    adapters.forEach(StreamAdapter::close);
    adapters.clear();
    store.close();
  }

  private StreamAdapter open(StreamAdapterProvider provider) {
    StreamAdapter adapter = provider.open(store.configure(StreamConfig.builder().layout(layout()).build())
        .toBuilder().backend(provider.name()).build());
    adapters.add(adapter);
    return adapter;
  }

  private RawView raw() {
    return store.rawView().orElseThrow();
  }

  private static ObjectNode json(String text) {
    return StreamJson.readObject(text);
  }

  @Test
  @DisplayName("each backend reads, queries, deletes and clears the items the other wrote")
  void readEachOthersItems() {
    StreamAdapter jedis = open(JEDIS);
    StreamAdapter lettuce = open(LETTUCE);

    ObjectNode fromJedis = jedis.set("shared", "by-jedis", json(HARD_DOCUMENT));
    ObjectNode fromLettuce = lettuce.set("shared", "by-lettuce:ünï", json(HARD_DOCUMENT).put("rank", 2));
    jedis.set("shared", "rank-1", json("{\"rank\":1.0}"));

    assertThat(lettuce.get("shared", "by-jedis")).contains(fromJedis);
    assertThat(jedis.get("shared", "by-lettuce:ünï")).contains(fromLettuce);
    assertThat(lettuce.getGroup("shared")).isEqualTo(jedis.getGroup("shared")).hasSize(3);
    Query query = Query.builder().orderBy("rank", SortDirection.DESC).build();
    assertThat(lettuce.query("shared", query)).isEqualTo(jedis.query("shared", query))
        .extracting(d -> d.get("id").asText()).containsExactly("by-lettuce:ünï", "rank-1", "by-jedis");

    assertThat(lettuce.delete("shared", "by-jedis")).contains(fromJedis);
    assertThat(jedis.get("shared", "by-jedis")).isEmpty();
    assertThat(jedis.clear("shared")).isEqualTo(2);
    assertThat(lettuce.getGroup("shared")).isEmpty();
  }

  @Test
  @DisplayName("each backend's handlers receive the other's events, exactly once and in publish order")
  void receiveEachOthersEvents() {
    StreamAdapter jedis = open(JEDIS);
    StreamAdapter lettuce = open(LETTUCE);
    EventRecorder jedisGroup = new EventRecorder("group handler on redis-jedis");
    EventRecorder lettuceGroup = new EventRecorder("group handler on redis-lettuce");
    EventRecorder jedisItem = new EventRecorder("item handler on redis-jedis");
    EventRecorder lettuceItem = new EventRecorder("item handler on redis-lettuce");
    jedis.subscribe(StreamChannel.group("g"), jedisGroup);
    lettuce.subscribe(StreamChannel.group("g"), lettuceGroup);
    jedis.subscribe(StreamChannel.item("g", "a"), jedisItem);
    lettuce.subscribe(StreamChannel.item("g", "a"), lettuceItem);

    // Alternating writers, one thread: each call returns after the server ran it, so this is the
    // publish order. The last event marks the end: anything duplicated would arrive before it.
    jedis.set("g", "a", json(HARD_DOCUMENT));
    lettuce.set("g", "a", json("{\"v\":2}"));
    lettuce.set("g", "b", json("{\"v\":3}"));
    jedis.delete("g", "b");
    lettuce.send(StreamChannel.group("g"), StreamEvent.of("custom", json("{\"n\":1.10}")));
    jedis.send(StreamChannel.item("g", "a"), StreamEvent.of("custom", json("{\"n\":2}")));
    lettuce.clear("g");
    jedis.send(StreamChannel.group("g"), StreamEvent.of("end", null));
    lettuce.send(StreamChannel.item("g", "a"), StreamEvent.of("end", null));

    List<String> groupTypes = List.of("create", "update", "create", "delete", "custom", "delete", "end");
    List<String> itemTypes = List.of("create", "update", "custom", "delete", "end");
    for (EventRecorder log : List.of(jedisGroup, lettuceGroup)) {
      if (groupOrderKept()) {
        log.awaitTypes(groupTypes.toArray(String[]::new));
      } else {
        // Items a and b may live on different primaries: their events may cross (E3).
        assertThat(log.awaitCount(groupTypes.size())).extracting(StreamEvent::type)
            .containsExactlyInAnyOrderElementsOf(groupTypes);
      }
    }
    for (EventRecorder log : List.of(jedisItem, lettuceItem)) {
      log.awaitTypes(itemTypes.toArray(String[]::new));
    }
    assertThat(inPromisedOrder(lettuceGroup.events(), CrossBackendTests::itemOf))
        .isEqualTo(inPromisedOrder(jedisGroup.events(), CrossBackendTests::itemOf));
    assertThat(lettuceItem.events()).isEqualTo(jedisItem.events());
    StreamEvent firstOfA = jedisGroup.events().stream().filter(e -> "a".equals(itemOf(e))).findFirst().orElseThrow();
    assertThat(firstOfA.data()).isEqualTo(jedis.set("g", "x", json(HARD_DOCUMENT))
        .put("id", "a"));
  }

  @Test
  @DisplayName("the same operations leave byte-identical keys and values and publish byte-identical messages on both backends")
  void sameBytes() {
    Trace jedis = trace(JEDIS);
    store.close();
    store = newStore();
    Trace lettuce = trace(LETTUCE);
    assertThat(lettuce.states()).isEqualTo(jedis.states());
    for (String channel : jedis.messages().keySet()) {
      assertThat(inPromisedOrder(lettuce.messages().get(channel), CrossBackendTests::itemOfMessage))
          .as("messages on %s", channel)
          .isEqualTo(inPromisedOrder(jedis.messages().get(channel), CrossBackendTests::itemOfMessage));
    }
    assertThat(lettuce.messages().keySet()).isEqualTo(jedis.messages().keySet());
    // The trace saw something worth comparing.
    // Two items: two keys under flat, two fields of one hash under hash.
    assertThat(jedis.states().get(1)).hasSize(layout() == StreamLayout.HASH ? 1 : 2);
    assertThat(jedis.states().get(1).toString()).contains("u1=").contains("ünï:cødé*?[]=");
    assertThat(jedis.messages().values()).allSatisfy(messages -> assertThat(messages).hasSizeGreaterThan(1));
  }

  /**
   * What a raw client sees of one scripted sequence of operations: the keys and values after each
   * step, and the messages on each channel.
   *
   * @param states keys and values after each step
   * @param messages the messages per channel, in arrival order
   */
  private record Trace(List<Map<String, String>> states, Map<String, List<String>> messages) {}

  private Trace trace(StreamAdapterProvider provider) {
    String group = "grp ✓";
    String unicodeId = "ünï:cødé*?[]";
    KeyLayout names = new KeyLayout("motia:stream:", "motia:stream:events:", layout());
    List<String> channels = List.of(names.groupChannel(group), names.itemChannel(group, "u1"),
        names.itemChannel(group, unicodeId));
    Map<String, RawListener> listeners = new TreeMap<>();
    List<Map<String, String>> states = new ArrayList<>();
    try {
      for (String channel : channels) {
        listeners.put(channel, raw().listen(channel));
      }
      StreamAdapter adapter = open(provider);
      List<Runnable> steps = List.of(
          () -> adapter.set(group, "u1", json(HARD_DOCUMENT)),
          () -> adapter.set(group, unicodeId, json("{\"id\":\"first\",\"n\":1e2,\"m\":100.000}")),
          () -> adapter.set(group, "u1", json("{\"n\":-1.0E-7,\"s\":\"\\ud83d\\ude80\"}")),
          () -> adapter.delete(group, unicodeId),
          () -> adapter.send(StreamChannel.group(group), StreamEvent.of("custom", json(HARD_DOCUMENT))),
          () -> adapter.send(StreamChannel.item(group, unicodeId), StreamEvent.of("note", "Zoë 🚀")),
          () -> adapter.send(StreamChannel.item(group, "u1"), StreamEvent.of("n", 12345678901234567890.5)),
          () -> adapter.clear(group));
      for (Runnable step : steps) {
        step.run();
        states.add(rawState());
      }
      // A marker on every channel: when it arrived, everything before it has.
      for (String channel : channels) {
        adapter.send(channel.endsWith(unicodeId) ? StreamChannel.item(group, unicodeId)
            : channel.endsWith(":u1") ? StreamChannel.item(group, "u1") : StreamChannel.group(group),
            StreamEvent.of("end", null));
      }
      String end = "{\"type\":\"end\",\"data\":null}";
      await().atMost(WAIT).until(() -> listeners.values().stream().map(RawListener::messages)
          .allMatch(list -> list.contains(end)));
      if (!groupOrderKept()) {
        // Events come from every primary, each by its own route: the adapter's marker can overtake
        // them. Once a copy of a raw marker from every node has arrived, everything before it has.
        Map<String, Integer> copies = new TreeMap<>();
        for (String channel : channels) {
          copies.put(channel, raw().publishFromEveryNode(channel, SEEN_ALL));
        }
        await().atMost(WAIT).until(() -> copies.entrySet().stream().allMatch(c ->
            listeners.get(c.getKey()).messages().stream().filter(SEEN_ALL::equals).count() == c.getValue()));
      }
    } finally {
      listeners.values().forEach(RawListener::close);
    }
    Map<String, List<String>> messages = new TreeMap<>();
    listeners.forEach((channel, listener) -> messages.put(channel,
        listener.messages().stream().filter(message -> !SEEN_ALL.equals(message)).toList()));
    return new Trace(states, messages);
  }

  /** The raw marker that tells every earlier event has arrived where events come by several routes. */
  private static final String SEEN_ALL = "{\"type\":\"seen-all\",\"data\":null}";

  private boolean groupOrderKept() {
    return store.ordersGroupEvents(layout());
  }

  /**
   * @param events events of one channel, in arrival order
   * @param itemOf the item an event changes, or null for a send
   * @return the events in the order the store promises (E3): as they are where it keeps a group's
   *     order; else each item's changes in their order and the sends in theirs, apart
   */
  private <T> Object inPromisedOrder(List<T> events, Function<T, String> itemOf) {
    if (groupOrderKept()) {
      return events;
    }
    Map<String, List<T>> byItem = new TreeMap<>();
    for (T event : events) {
      String item = itemOf.apply(event);
      byItem.computeIfAbsent(item == null ? "(sends)" : "item " + item, k -> new ArrayList<>()).add(event);
    }
    return byItem;
  }

  /** The event types that change an item; the others are sends. */
  private static final List<String> ITEM_CHANGES =
      List.of(StreamEvent.CREATE, StreamEvent.UPDATE, StreamEvent.DELETE);

  private static String itemOf(StreamEvent event) {
    return ITEM_CHANGES.contains(event.type()) ? event.data().get("id").asText() : null;
  }

  private static String itemOfMessage(String message) {
    ObjectNode parsed = StreamJson.readObject(message);
    return itemOf(new StreamEvent(parsed.get("type").asText(), parsed.get("data")));
  }

  /**
   * @return every key and its value (a hash as its fields and values) as the raw view reads them:
   *     UTF-8 text of valid UTF-8 bytes, so equal text is equal bytes
   */
  private Map<String, String> rawState() {
    Map<String, String> state = new TreeMap<>();
    for (String key : raw().keys()) {
      state.put(key, layout() == StreamLayout.HASH ? new TreeMap<>(raw().getHash(key)).toString()
          : raw().get(key).orElse(null));
    }
    return state;
  }
}
