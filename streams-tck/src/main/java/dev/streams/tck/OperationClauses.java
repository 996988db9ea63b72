package dev.streams.tck;

import static dev.streams.tck.DataClauses.json;
import static dev.streams.tck.DataClauses.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import dev.streams.Subscription;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** O1–O10: the operations. */
public interface OperationClauses extends ClauseFamily {

  /**
   * Runs tasks on their own threads, released together, and returns their results.
   *
   * @param tasks the tasks
   * @param <T> the result type
   * @return each task's result, in task order
   * @throws Exception the first task's failure
   */
  static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    CyclicBarrier start = new CyclicBarrier(tasks.size());
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(EventRecorder.patience().toSeconds() * 4, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("O1 — set stores the item and returns the stored document")
  default void o1_setStoresAndReturns() {
    StreamAdapter streams = tck().adapter();
    ObjectNode returned = streams.set("users", "u1", json("{\"name\":\"Ann\"}"));
    assertThat(text(returned)).isEqualTo("{\"name\":\"Ann\",\"id\":\"u1\"}");
    assertThat(streams.get("users", "u1")).map(DataClauses::text).contains(text(returned));
    ObjectNode again = streams.set("users", "u1", json("{\"name\":\"Bo\"}"));
    assertThat(streams.get("users", "u1")).map(DataClauses::text).contains(text(again));
  }

  @Test
  @DisplayName("O2 — the first set sends create, later sets send update, each once on the group and the item channel, data = stored document")
  default void o2_setSendsCreateThenUpdate() {
    StreamAdapter streams = tck().adapter();
    EventRecorder group = new EventRecorder("group channel");
    EventRecorder item = new EventRecorder("item channel");
    EventRecorder otherItem = new EventRecorder("other item channel");
    streams.subscribe(StreamChannel.group("users"), group);
    streams.subscribe(StreamChannel.item("users", "u1"), item);
    streams.subscribe(StreamChannel.item("users", "u2"), otherItem);

    ObjectNode first = streams.set("users", "u1", json("{\"v\":1}"));
    ObjectNode second = streams.set("users", "u1", json("{\"v\":2}"));
    tck().awaitQuiet(streams, StreamChannel.group("users"), group);
    tck().awaitQuiet(streams, StreamChannel.item("users", "u1"), item);
    tck().awaitQuiet(streams, StreamChannel.item("users", "u2"), otherItem);

    for (EventRecorder recorder : List.of(group, item)) {
      List<StreamEvent> events = TckContext.withoutMarkers(recorder.events());
      assertThat(events).as("events on the %s", recorder).extracting(StreamEvent::type)
          .containsExactly("create", "update");
      assertThat(text(events.get(0).data())).isEqualTo(text(first));
      assertThat(text(events.get(1).data())).isEqualTo(text(second));
    }
    assertThat(TckContext.withoutMarkers(otherItem.events())).as("events of another item").isEmpty();
  }

  @Test
  @DisplayName("O2 — 8 threads racing writes on 1,000 keys give exactly 1,000 create and 7,000 update events")
  default void o2_racingFirstWritesCreateExactlyOnce() throws Exception {
    StreamAdapter observer = tck().adapter();
    EventRecorder events = new EventRecorder("group channel");
    observer.subscribe(StreamChannel.group("race"), events);
    List<StreamAdapter> writers = List.of(tck().openAdapter(), tck().openAdapter());
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      StreamAdapter writer = writers.get(t % writers.size());
      int thread = t;
      tasks.add(() -> {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < 1000; k++) {
          order.add(k);
        }
        Collections.shuffle(order, new Random(thread));
        for (int k : order) {
          writer.set("race", "k" + k, json("{\"writer\":" + thread + "}"));
        }
        return thread;
      });
    }
    race(tasks);
    tck().awaitQuiet(observer, StreamChannel.group("race"), events);

    List<StreamEvent> received = TckContext.withoutMarkers(events.events());
    Map<String, Long> byType = new HashMap<>();
    Map<String, List<String>> typesByKey = new HashMap<>();
    for (StreamEvent event : received) {
      byType.merge(event.type(), 1L, Long::sum);
      typesByKey.computeIfAbsent(event.data().get("id").asText(), k -> new ArrayList<>())
          .add(event.type());
    }
    assertThat(byType).as("events by type").containsEntry("create", 1000L)
        .containsEntry("update", 7000L).hasSize(2);
    typesByKey.forEach((key, types) -> assertThat(types)
        .as("events of key %s, in order", key).hasSize(8).first().isEqualTo("create"));
    assertThat(observer.getGroup("race")).hasSize(1000);
  }

  @Test
  @DisplayName("O3 — get returns the item, or empty for an absent item or an unknown group")
  default void o3_get() {
    StreamAdapter streams = tck().adapter();
    streams.set("users", "u1", json("{\"a\":1}"));
    assertThat(streams.get("users", "u1")).isPresent();
    assertThat(streams.get("users", "u2")).isEmpty();
    assertThat(streams.get("nobody", "u1")).isEmpty();
  }

  @Test
  @DisplayName("O4 — delete returns the removed item and sends one delete event on both channels; an absent item returns empty and sends nothing")
  default void o4_delete() {
    StreamAdapter streams = tck().adapter();
    EventRecorder group = new EventRecorder("group channel");
    EventRecorder item = new EventRecorder("item channel");
    ObjectNode stored = streams.set("users", "u1", json("{\"a\":1}"));
    streams.subscribe(StreamChannel.group("users"), group);
    streams.subscribe(StreamChannel.item("users", "u1"), item);

    assertThat(streams.delete("users", "u1")).map(DataClauses::text).contains(text(stored));
    assertThat(streams.get("users", "u1")).isEmpty();
    assertThat(streams.delete("users", "u1")).isEmpty();
    assertThat(streams.delete("nobody", "u1")).isEmpty();
    tck().awaitQuiet(streams, StreamChannel.group("users"), group);
    tck().awaitQuiet(streams, StreamChannel.item("users", "u1"), item);

    for (EventRecorder recorder : List.of(group, item)) {
      List<StreamEvent> events = TckContext.withoutMarkers(recorder.events());
      assertThat(events).as("events on the %s", recorder).extracting(StreamEvent::type)
          .containsExactly("delete");
      assertThat(text(events.get(0).data())).isEqualTo(text(stored));
    }
  }

  @Test
  @DisplayName("O4 — of racing deletes of one item exactly one returns it, and one delete event is sent")
  default void o4_racingDeletes() throws Exception {
    StreamAdapter streams = tck().adapter();
    EventRecorder events = new EventRecorder("group channel");
    streams.subscribe(StreamChannel.group("del"), events);
    int keys = 200;
    for (int k = 0; k < keys; k++) {
      streams.set("del", "k" + k, json("{}"));
    }
    List<StreamAdapter> deleters = List.of(tck().openAdapter(), tck().openAdapter());
    AtomicInteger[] wins = new AtomicInteger[keys];
    for (int k = 0; k < keys; k++) {
      wins[k] = new AtomicInteger();
    }
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      StreamAdapter deleter = deleters.get(t % 2);
      tasks.add(() -> {
        for (int k = 0; k < keys; k++) {
          Optional<ObjectNode> removed = deleter.delete("del", "k" + k);
          if (removed.isPresent()) {
            wins[k].incrementAndGet();
          }
        }
        return null;
      });
    }
    race(tasks);
    for (int k = 0; k < keys; k++) {
      assertThat(wins[k].get()).as("deletes of k%d that returned the item", k).isEqualTo(1);
    }
    tck().awaitQuiet(streams, StreamChannel.group("del"), events);
    List<String> types = TckContext.withoutMarkers(events.events()).stream()
        .map(StreamEvent::type).toList();
    assertThat(types).as("delete events").hasSize(keys + keys).filteredOn("delete"::equals).hasSize(keys);
    assertThat(streams.getGroup("del")).isEmpty();
  }

  @Test
  @DisplayName("O5 — getGroup returns every item ordered by id in String order, and an empty list for an unknown group")
  default void o5_getGroupOrderedById() {
    StreamAdapter streams = tck().adapter();
    List<String> ids = List.of("b", "a", "B", "10", "9", "é", "a:b", "a b", "~", "Z");
    for (String id : ids) {
      streams.set("g", id, json("{}"));
    }
    List<String> expected = new ArrayList<>(ids);
    Collections.sort(expected);
    assertThat(streams.getGroup("g")).extracting(d -> d.get("id").asText())
        .containsExactlyElementsOf(expected);
    assertThat(streams.getGroup("unknown")).isEmpty();
  }

  @Test
  @DisplayName("O6 — query filters, sorts and pages the items of one group only")
  default void o6_query() {
    StreamAdapter streams = tck().adapter();
    streams.set("users", "a", json("{\"status\":\"active\",\"age\":30}"));
    streams.set("users", "b", json("{\"status\":\"inactive\",\"age\":20}"));
    streams.set("users", "c", json("{\"status\":\"active\",\"age\":25}"));
    streams.set("others", "d", json("{\"status\":\"active\",\"age\":99}"));
    List<ObjectNode> result = streams.query("users", Query.builder()
        .where("status", "active").orderBy("age", SortDirection.DESC).limit(10).build());
    assertThat(result).extracting(d -> d.get("id").asText()).containsExactly("a", "c");
    assertThat(streams.query("unknown", Query.all())).isEmpty();
  }

  @Test
  @DisplayName("O7 — clear removes every item of the group, sends one delete event per item on both channels, returns the count, leaves other groups")
  default void o7_clear() {
    StreamAdapter streams = tck().adapter();
    for (int i = 0; i < 25; i++) {
      streams.set("doomed", "i" + i, json("{\"i\":" + i + "}"));
    }
    streams.set("doomedx", "keep", json("{}"));
    streams.set("other", "keep", json("{}"));
    EventRecorder group = new EventRecorder("group channel");
    EventRecorder item = new EventRecorder("item channel i7");
    streams.subscribe(StreamChannel.group("doomed"), group);
    streams.subscribe(StreamChannel.item("doomed", "i7"), item);

    assertThat(streams.clear("doomed")).isEqualTo(25);
    assertThat(streams.getGroup("doomed")).isEmpty();
    assertThat(streams.getGroup("doomedx")).hasSize(1);
    assertThat(streams.getGroup("other")).hasSize(1);
    assertThat(streams.clear("doomed")).isZero();
    tck().awaitQuiet(streams, StreamChannel.group("doomed"), group);
    tck().awaitQuiet(streams, StreamChannel.item("doomed", "i7"), item);

    List<StreamEvent> events = TckContext.withoutMarkers(group.events());
    assertThat(events).hasSize(25).allMatch(e -> e.type().equals("delete"));
    assertThat(events).extracting(e -> e.data().get("id").asText()).doesNotHaveDuplicates();
    List<StreamEvent> itemEvents = TckContext.withoutMarkers(item.events());
    assertThat(itemEvents).hasSize(1);
    assertThat(text(itemEvents.get(0).data())).isEqualTo("{\"i\":7,\"id\":\"i7\"}");
  }

  @Test
  @DisplayName("O7 — clear over 2,000 items and foreign keys removes every item with its delete event, leaves the foreign keys untouched, then fails with StreamDataException naming them")
  default void o7_clearAroundForeignKeys() {
    tck().raw();
    StreamAdapter streams = tck().adapter();
    EventRecorder group = new EventRecorder("group channel");
    streams.subscribe(StreamChannel.group("mixed"), group);
    for (int i = 0; i < 2_000; i++) {
      streams.set("mixed", String.format("i%04d", i), json("{\"i\":" + i + "}"));
    }
    Map<String, String> foreign = Map.of(
        "i0500x", "{\"a\":1,\"a\":2}",
        "i1000x", "not json",
        "i1500x", "{\"a\":0x10}");
    foreign.forEach((id, value) -> tck().putRawItem("mixed", id, value));
    dev.streams.spi.KeyLayout keys = tck().keys();

    assertThatThrownBy(() -> streams.clear("mixed"))
        .isInstanceOf(dev.streams.StreamDataException.class)
        .satisfies(e -> assertThat(foreign.keySet().stream().map(id -> keys.dataKey("mixed", id)))
            .contains(((dev.streams.StreamDataException) e).key()))
        .hasMessageContaining(keys.dataKey("mixed", "i0500x")).hasMessageContaining("i0500x")
        .hasMessageContaining(keys.dataKey("mixed", "i1000x")).hasMessageContaining("i1000x")
        .hasMessageContaining(keys.dataKey("mixed", "i1500x")).hasMessageContaining("i1500x");
    assertThat(tck().rawIds("mixed")).containsExactlyInAnyOrderElementsOf(foreign.keySet());
    foreign.forEach((id, value) -> assertThat(tck().rawItem("mixed", id)).as("value of %s", id)
        .contains(value));
    tck().awaitQuiet(streams, StreamChannel.group("mixed"), group);
    List<StreamEvent> events = TckContext.withoutMarkers(group.events());
    assertThat(events).filteredOn(e -> e.type().equals("delete")).hasSize(2_000)
        .extracting(e -> e.data().get("id").asText()).doesNotHaveDuplicates();

    // Many foreign keys: the message names some and says how many.
    for (int i = 0; i < 30; i++) {
      tck().putRawItem("many", "f" + i, "[" + i + "]");
    }
    streams.set("many", "item", json("{}"));
    assertThatThrownBy(() -> streams.clear("many"))
        .isInstanceOf(dev.streams.StreamDataException.class)
        .hasMessageContaining("30")
        .hasMessageContaining(keys.isHash() ? keys.groupKey("many") : "motia:stream:many:f");
    assertThat(streams.get("many", "item")).isEmpty();
    assertThat(tck().rawIds("many")).hasSize(30);
  }

  @Test
  @DisplayName("O8 — send publishes to exactly the given channel and stores nothing")
  default void o8_send() {
    StreamAdapter streams = tck().adapter();
    EventRecorder group = new EventRecorder("group channel");
    EventRecorder item = new EventRecorder("item channel");
    EventRecorder other = new EventRecorder("other item channel");
    streams.subscribe(StreamChannel.group("chat"), group);
    streams.subscribe(StreamChannel.item("chat", "room-1"), item);
    streams.subscribe(StreamChannel.item("chat", "room-2"), other);

    streams.send(StreamChannel.item("chat", "room-1"), StreamEvent.of("typing", Map.of("who", "ann")));
    streams.send(StreamChannel.group("chat"), StreamEvent.of("announce", "hello"));
    tck().awaitQuiet(streams, StreamChannel.group("chat"), group);
    tck().awaitQuiet(streams, StreamChannel.item("chat", "room-1"), item);
    tck().awaitQuiet(streams, StreamChannel.item("chat", "room-2"), other);

    assertThat(TckContext.withoutMarkers(item.events())).extracting(StreamEvent::type)
        .containsExactly("typing");
    assertThat(text(TckContext.withoutMarkers(item.events()).get(0).data())).isEqualTo("{\"who\":\"ann\"}");
    assertThat(TckContext.withoutMarkers(group.events())).extracting(StreamEvent::type)
        .containsExactly("announce");
    assertThat(TckContext.withoutMarkers(other.events())).isEmpty();
    assertThat(streams.getGroup("chat")).isEmpty();
    if (tck().hasRawView()) {
      assertThat(tck().raw().keys()).isEmpty();
    }
  }

  @Test
  @DisplayName("O9 — several handlers share a channel; closing one subscription stops delivery to that handler only")
  default void o9_closingOneSubscription() {
    StreamAdapter streams = tck().adapter();
    EventRecorder kept = new EventRecorder("kept");
    EventRecorder closed = new EventRecorder("closed");
    streams.subscribe(StreamChannel.group("g"), kept);
    Subscription subscription = streams.subscribe(StreamChannel.group("g"), closed);
    assertThat(subscription.isActive()).isTrue();
    assertThat(subscription.channel()).isEqualTo(StreamChannel.group("g"));

    streams.set("g", "1", json("{}"));
    tck().awaitQuiet(streams, StreamChannel.group("g"), kept, closed);
    subscription.close();
    subscription.close();
    assertThat(subscription.isActive()).isFalse();
    streams.set("g", "2", json("{}"));
    tck().awaitQuiet(streams, StreamChannel.group("g"), kept);

    assertThat(TckContext.withoutMarkers(kept.events())).hasSize(2);
    assertThat(TckContext.withoutMarkers(closed.events())).hasSize(1);
  }

  @Test
  @DisplayName("O9 — unsubscribe ends every subscription of this adapter on the channel, not other channels' or other adapters'")
  default void o9_unsubscribe() {
    StreamAdapter streams = tck().adapter();
    StreamAdapter second = tck().openAdapter();
    EventRecorder first = new EventRecorder("first");
    EventRecorder alsoFirst = new EventRecorder("also first");
    EventRecorder otherChannel = new EventRecorder("other channel");
    EventRecorder otherAdapter = new EventRecorder("other adapter");
    Subscription a = streams.subscribe(StreamChannel.group("g"), first);
    Subscription b = streams.subscribe(StreamChannel.group("g"), alsoFirst);
    streams.subscribe(StreamChannel.group("h"), otherChannel);
    second.subscribe(StreamChannel.group("g"), otherAdapter);

    streams.unsubscribe(StreamChannel.group("g"));
    assertThat(a.isActive()).isFalse();
    assertThat(b.isActive()).isFalse();
    streams.set("g", "1", json("{}"));
    streams.set("h", "1", json("{}"));
    tck().awaitQuiet(streams, StreamChannel.group("g"), otherAdapter);
    tck().awaitQuiet(streams, StreamChannel.group("h"), otherChannel);

    assertThat(first.events()).isEmpty();
    assertThat(alsoFirst.events()).isEmpty();
    assertThat(TckContext.withoutMarkers(otherAdapter.events())).hasSize(1);
    assertThat(TckContext.withoutMarkers(otherChannel.events())).hasSize(1);

    // A new subscription on the channel works again.
    EventRecorder again = new EventRecorder("again");
    streams.subscribe(StreamChannel.group("g"), again);
    streams.set("g", "2", json("{}"));
    tck().awaitQuiet(streams, StreamChannel.group("g"), again);
    assertThat(TckContext.withoutMarkers(again.events())).hasSize(1);
  }

  @Test
  @DisplayName("O10 — an adapter is thread-safe: 8 threads writing, reading and deleting their own items see their own writes")
  default void o10_threadSafe() throws Exception {
    StreamAdapter streams = tck().adapter();
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      tasks.add(() -> {
        int checked = 0;
        for (int i = 0; i < 250; i++) {
          String id = "t" + thread + "-" + i;
          streams.set("shared", id, json("{\"t\":" + thread + ",\"i\":" + i + "}"));
          ObjectNode read = streams.get("shared", id).orElseThrow();
          if (read.get("i").asInt() != i || read.get("t").asInt() != thread) {
            throw new AssertionError("thread " + thread + " read " + read + " for " + id);
          }
          if (i % 5 == 0) {
            streams.delete("shared", id);
          }
          checked++;
        }
        return checked;
      });
    }
    assertThat(race(tasks)).containsOnly(250);
    assertThat(streams.getGroup("shared")).hasSize(8 * 200);
  }

  @Test
  @DisplayName("O10 — close is idempotent, ends subscriptions, and every later call fails with IllegalStateException")
  default void o10_close() {
    StreamAdapter closing = tck().openAdapter();
    StreamAdapter other = tck().openAdapter();
    EventRecorder ended = new EventRecorder("subscription of the closed adapter");
    EventRecorder alive = new EventRecorder("subscription of another adapter");
    Subscription subscription = closing.subscribe(StreamChannel.group("g"), ended);
    other.subscribe(StreamChannel.group("g"), alive);
    closing.close();
    closing.close();
    assertThat(subscription.isActive()).isFalse();

    other.set("g", "1", json("{}"));
    tck().awaitQuiet(other, StreamChannel.group("g"), alive);
    assertThat(ended.events()).isEmpty();

    List<ThrowingCallable> calls = List.of(
        () -> closing.set("g", "1", json("{}")),
        () -> closing.get("g", "1"),
        () -> closing.delete("g", "1"),
        () -> closing.getGroup("g"),
        () -> closing.query("g", Query.all()),
        () -> closing.clear("g"),
        () -> closing.send(StreamChannel.group("g"), StreamEvent.of("t", 1)),
        () -> closing.subscribe(StreamChannel.group("g"), event -> {}),
        () -> closing.unsubscribe(StreamChannel.group("g")),
        () -> closing.group("g", ObjectNode.class));
    for (int i = 0; i < calls.size(); i++) {
      assertThatThrownBy(calls.get(i)).as("call %d after close", i)
          .isInstanceOf(IllegalStateException.class);
    }
    assertThat(other.getGroup("g")).hasSize(1);
  }
}
