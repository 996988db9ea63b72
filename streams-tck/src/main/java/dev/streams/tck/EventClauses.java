package dev.streams.tck;

import static dev.streams.tck.DataClauses.json;
import static dev.streams.tck.DataClauses.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** E1–E6: what subscribers receive, in which order, on which thread. */
public interface EventClauses extends ClauseFamily {

  @Test
  @DisplayName("E1 — on the wire an event is exactly {\"type\":...,\"data\":<stored document>}, compact UTF-8")
  default void e1_wireFormat() {
    RawView raw = tck().raw();
    StreamAdapter streams = tck().adapter();
    try (RawListener group = raw.listen(tck().keys().groupChannel("users"));
        RawListener item = raw.listen(tck().keys().itemChannel("users", "u1"))) {
      streams.set("users", "u1", json("{\"name\":\"Zoë\",\"n\":1.50}"));
      streams.set("users", "u1", json("{\"name\":\"Zoë\",\"n\":2}"));
      streams.delete("users", "u1");
      streams.send(StreamChannel.item("users", "u1"), StreamEvent.of("typing", Map.of("on", true)));
      streams.send(StreamChannel.item("users", "u1"), StreamEvent.of("nothing", null));
      await().atMost(EventRecorder.patience()).until(() -> item.messages().size() == 5);
      List<String> expected = List.of(
          "{\"type\":\"create\",\"data\":{\"name\":\"Zoë\",\"n\":1.50,\"id\":\"u1\"}}",
          "{\"type\":\"update\",\"data\":{\"name\":\"Zoë\",\"n\":2,\"id\":\"u1\"}}",
          "{\"type\":\"delete\",\"data\":{\"name\":\"Zoë\",\"n\":2,\"id\":\"u1\"}}",
          "{\"type\":\"typing\",\"data\":{\"on\":true}}",
          "{\"type\":\"nothing\",\"data\":null}");
      assertThat(item.messages()).containsExactlyElementsOf(expected);
      await().atMost(EventRecorder.patience()).until(() -> group.messages().size() == 3);
      assertThat(group.messages()).containsExactlyElementsOf(expected.subList(0, 3));
    }
  }

  @Test
  @DisplayName("E1 — a handler receives the event type and the stored document as data")
  default void e1_handlersReceiveTypeAndDocument() {
    StreamAdapter streams = tck().adapter();
    EventRecorder events = new EventRecorder("group channel");
    streams.subscribe(StreamChannel.group("users"), events);
    ObjectNode stored = streams.set("users", "u1", json("{\"big\":9223372036854775807,\"d\":0.10}"));
    List<StreamEvent> received = events.awaitCount(1);
    assertThat(received.get(0).type()).isEqualTo(StreamEvent.CREATE);
    assertThat(text(received.get(0).data())).isEqualTo(text(stored));
  }

  @Test
  @DisplayName("E2 — two adapters on one store each receive their own and the other's events exactly once")
  default void e2_exactlyOnceAcrossInstances() {
    StreamAdapter first = tck().adapter();
    StreamAdapter second = tck().openAdapter();
    EventRecorder onFirst = new EventRecorder("handler on the first adapter");
    EventRecorder onSecond = new EventRecorder("handler on the second adapter");
    first.subscribe(StreamChannel.group("g"), onFirst);
    second.subscribe(StreamChannel.group("g"), onSecond);

    for (int i = 0; i < 50; i++) {
      (i % 2 == 0 ? first : second).set("g", "i" + i, json("{\"i\":" + i + "}"));
    }
    second.send(StreamChannel.group("g"), StreamEvent.of("from-second", 1));
    first.send(StreamChannel.group("g"), StreamEvent.of("from-first", 1));
    tck().awaitQuiet(first, StreamChannel.group("g"), onFirst, onSecond);
    tck().awaitQuiet(second, StreamChannel.group("g"), onFirst, onSecond);

    for (EventRecorder recorder : List.of(onFirst, onSecond)) {
      List<StreamEvent> events = TckContext.withoutMarkers(recorder.events());
      assertThat(events).as("events of the %s", recorder).hasSize(52);
      // Where a group's events come by several routes (flat on a cluster, L3) the sends may come
      // among the items' events; their own order, one after the other on the channel, holds.
      List<StreamEvent> changes = events.stream().filter(event -> !event.type().startsWith("from-")).toList();
      List<StreamEvent> sends = events.stream().filter(event -> event.type().startsWith("from-")).toList();
      if (tck().ordersGroupEvents()) {
        assertThat(events.subList(0, 50)).as("the item events first, in the %s", recorder).isEqualTo(changes);
      }
      List<String> ids = new ArrayList<>();
      for (StreamEvent event : changes) {
        ids.add(event.data().get("id").asText());
      }
      assertThat(ids).as("items in events of the %s", recorder).doesNotHaveDuplicates().hasSize(50);
      assertThat(sends).extracting(StreamEvent::type).containsExactly("from-second", "from-first");
    }
  }

  @Test
  @DisplayName("E3 — a handler sees a channel's events in publish order (per item where a group's events come by several routes), one call at a time, never on the writer's thread")
  default void e3_orderedSerialOffThread() throws Exception {
    StreamAdapter streams = tck().adapter();
    EventRecorder ordered = new EventRecorder("ordered handler");
    EventRecorder slowish = new EventRecorder("handler that yields").alsoDo(e -> Thread.yield());
    streams.subscribe(StreamChannel.group("seq"), ordered);
    streams.subscribe(StreamChannel.group("seq"), slowish);

    for (int i = 0; i < 1000; i++) {
      streams.set("seq", "k" + (i % 10), json("{\"n\":" + i + "}"));
    }
    // Concurrent senders: whatever their interleaving, calls must not overlap.
    List<Callable<Void>> senders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      StreamAdapter sender = t % 2 == 0 ? streams : tck().openAdapter();
      senders.add(() -> {
        for (int i = 0; i < 250; i++) {
          sender.send(StreamChannel.group("seq"), StreamEvent.of("ping", i));
        }
        return null;
      });
    }
    OperationClauses.race(senders);
    tck().awaitQuiet(streams, StreamChannel.group("seq"), ordered, slowish);

    for (EventRecorder recorder : List.of(ordered, slowish)) {
      List<StreamEvent> events = TckContext.withoutMarkers(recorder.events());
      assertThat(events).as("events of the %s", recorder).hasSize(2000);
      if (tck().ordersGroupEvents()) {
        for (int i = 0; i < 1000; i++) {
          assertThat(events.get(i).data().get("n").asInt()).as("event %d of the %s", i, recorder)
              .isEqualTo(i);
        }
      } else {
        // A group's events by several routes (flat on a cluster, L3): in publish order per item.
        java.util.Map<String, Integer> last = new java.util.HashMap<>();
        for (StreamEvent event : events) {
          if (!"ping".equals(event.type())) {
            String id = event.data().get("id").asText();
            int n = event.data().get("n").asInt();
            assertThat(n).as("event of item %s after n=%s, in the %s", id, last.get(id), recorder)
                .isGreaterThan(last.getOrDefault(id, -1));
            last.put(id, n);
          }
        }
        assertThat(last).as("items whose events reached the %s", recorder).hasSize(10);
      }
      assertThat(recorder.maxConcurrentCalls()).as("overlapping calls of the %s", recorder)
          .isEqualTo(1);
      assertThat(recorder.threads()).as("threads that called the %s", recorder)
          .doesNotContain(Thread.currentThread());
    }
  }

  @Test
  @DisplayName("E3 — a handler is never called on the thread that called set, delete or send")
  default void e3_neverOnTheCallersThread() {
    StreamAdapter streams = tck().adapter();
    List<Thread> callers = new ArrayList<>();
    EventRecorder events = new EventRecorder("group channel");
    streams.subscribe(StreamChannel.group("g"), events);
    callers.add(Thread.currentThread());
    streams.set("g", "1", json("{}"));
    streams.delete("g", "1");
    streams.send(StreamChannel.group("g"), StreamEvent.of("x", 1));
    events.awaitCount(3);
    assertThat(events.threads()).doesNotContainAnyElementsOf(callers);
  }

  @Test
  @DisplayName("E4 — a handler that throws is logged and still receives later events, and other handlers are unaffected")
  default void e4_throwingHandler() {
    StreamAdapter streams = tck().adapter();
    EventRecorder throwing = new EventRecorder("throwing handler").alsoDo(e -> {
      throw new IllegalStateException("handler failure on purpose (TCK E4)");
    });
    EventRecorder other = new EventRecorder("other handler");
    streams.subscribe(StreamChannel.group("g"), throwing);
    streams.subscribe(StreamChannel.group("g"), other);
    for (int i = 0; i < 5; i++) {
      streams.set("g", "i" + i, json("{}"));
    }
    tck().awaitQuiet(streams, StreamChannel.group("g"), throwing, other);
    assertThat(TckContext.withoutMarkers(throwing.events())).hasSize(5);
    assertThat(TckContext.withoutMarkers(other.events())).hasSize(5);
  }

  @Test
  @DisplayName("E5 — a handler that blocks does not delay other subscriptions on its channel or others")
  default void e5_slowHandlerDelaysNobodyElse() throws Exception {
    StreamAdapter streams = tck().adapter();
    CountDownLatch release = new CountDownLatch(1);
    EventRecorder blocked = new EventRecorder("blocked handler").alsoDo(e -> {
      try {
        release.await(EventRecorder.patience().toSeconds() * 2, TimeUnit.SECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    });
    EventRecorder sameChannel = new EventRecorder("handler on the same channel");
    EventRecorder otherChannel = new EventRecorder("handler on another channel");
    streams.subscribe(StreamChannel.group("g"), blocked);
    streams.subscribe(StreamChannel.group("g"), sameChannel);
    streams.subscribe(StreamChannel.group("h"), otherChannel);
    // The writes run on their own thread: a backend that calls handlers on the writer's thread
    // blocks there, and the test fails on the awaits below instead of hanging.
    Thread writer = new Thread(() -> {
      for (int i = 0; i < 20; i++) {
        streams.set("g", "i" + i, json("{}"));
        streams.set("h", "i" + i, json("{}"));
      }
    }, "tck-e5-writer");
    writer.start();
    try {
      sameChannel.awaitCount(20);
      otherChannel.awaitCount(20);
      assertThat(blocked.events()).as("events the blocked handler took").hasSize(1);
    } finally {
      release.countDown();
      writer.join(EventRecorder.patience().toMillis());
    }
    blocked.awaitCount(20);
    assertThat(blocked.events()).extracting(e -> e.data().get("id").asText())
        .containsExactlyElementsOf(sameChannel.events().stream()
            .map(e -> e.data().get("id").asText()).toList());
  }

  @Test
  @DisplayName("E5 — a handler that falls more than eventQueueCapacity events behind loses its backlog for a sync {\"reason\":\"overflow\"}, then gets live events")
  default void e5_overflowTradesTheBacklogForASync() throws Exception {
    int capacity = 50;
    int sent = capacity * 4;
    StreamAdapter subscriber = tck().openAdapter(settings -> settings.eventQueueCapacity(capacity));
    StreamAdapter writer = tck().openAdapter();
    CountDownLatch release = new CountDownLatch(1);
    EventRecorder slow = new EventRecorder("handler that falls behind").alsoDo(e -> {
      if (!e.isSync() && e.data().asInt() == 0) {
        try {
          release.await(EventRecorder.patience().toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    });
    EventRecorder fast = new EventRecorder("handler that keeps up");
    subscriber.subscribe(StreamChannel.group("flood"), slow);
    subscriber.subscribe(StreamChannel.group("flood"), fast);
    // First the event the slow handler gets stuck on, so the flood meets an empty queue.
    writer.send(StreamChannel.group("flood"), StreamEvent.of("n", 0));
    slow.awaitCount(1);
    for (int i = 1; i < sent; i++) {
      writer.send(StreamChannel.group("flood"), StreamEvent.of("n", i));
    }
    // Both handlers share the adapter, which offers each message to the slow handler's queue first:
    // once the fast one has the last message, the slow one's queue was offered every message. The
    // newest message is never dropped, even when a queue overflows.
    fast.awaitEvent(e -> !e.isSync() && e.data().asInt() == sent - 1);
    release.countDown();
    slow.awaitEvent(e -> !e.isSync() && e.data().asInt() == sent - 1);

    List<StreamEvent> events = slow.events();
    assertThat(events.get(0).data().asInt()).as("the event the handler was stuck on").isZero();
    List<StreamEvent> afterwards = events.subList(1, events.size());
    assertThat(afterwards.size()).as("events queued while stuck (bound %d)", capacity)
        .isLessThanOrEqualTo(capacity + 1);
    int lastSync = -1;
    for (int i = 0; i < afterwards.size(); i++) {
      if (afterwards.get(i).isSync()) {
        assertThat(afterwards.get(i).data().get("reason").asText()).isEqualTo("overflow");
        lastSync = i;
      }
    }
    assertThat(lastSync).as("position of the overflow sync").isGreaterThanOrEqualTo(0);
    List<Integer> live = afterwards.subList(lastSync + 1, afterwards.size()).stream()
        .map(e -> e.data().asInt()).toList();
    assertThat(live).as("live events after the sync").isNotEmpty().last().isEqualTo(sent - 1);
    for (int i = 1; i < live.size(); i++) {
      assertThat(live.get(i)).as("live events after the sync, in order").isEqualTo(live.get(i - 1) + 1);
    }
  }

  @Test
  @DisplayName("E5 — a flood of 100,000 events past a stuck handler leaves the heap bounded by the default queue capacity; the handler gets a sync {\"reason\":\"overflow\"}, then live events")
  default void e5_floodKeepsTheHeapBounded() throws Exception {
    int capacity = StreamConfig.DEFAULT_EVENT_QUEUE_CAPACITY;
    int sent = 100_000;
    // About 1 KB per event: 100,000 queued events would take well over 100 MB of heap as text alone;
    // a full queue of the default capacity takes about a fifth of that.
    String padding = "x".repeat(1000);
    long bound = 64L << 20;
    StreamAdapter subscriber = tck().openAdapter(settings -> settings.eventQueueCapacity(capacity));
    StreamAdapter writer = tck().openAdapter();
    StreamChannel channel = StreamChannel.group("flood100k");
    CountDownLatch release = new CountDownLatch(1);
    EventRecorder stuck = new EventRecorder("handler stuck during the flood").alsoDo(e -> {
      if (!e.isSync() && e.data().get("n").asInt() == 0) {
        try {
          release.await(EventRecorder.patience().toSeconds() * 4, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    });
    // Counts only: a recorder keeping 100,000 events would itself be the heap growth measured.
    AtomicInteger counted = new AtomicInteger();
    AtomicInteger lastSeen = new AtomicInteger(-1);
    AtomicBoolean countingHandlerOverflowed = new AtomicBoolean();
    subscriber.subscribe(channel, stuck);
    subscriber.subscribe(channel, event -> {
      if (event.isSync()) {
        countingHandlerOverflowed.set(true);
      } else {
        counted.incrementAndGet();
        lastSeen.set(event.data().get("n").asInt());
      }
    });
    // The writes run on their own thread, so that a backend calling handlers on the writer's thread
    // fails the waits below instead of blocking the test.
    CountDownLatch measured = new CountDownLatch(1);
    AtomicBoolean stopFlood = new AtomicBoolean();
    Thread flood = new Thread(() -> {
      writer.send(channel, StreamEvent.of("n", Map.of("n", 0, "pad", padding)));
      try {
        measured.await();
      } catch (InterruptedException interrupted) {
        return;
      }
      for (int i = 1; i < sent && !stopFlood.get(); i++) {
        writer.send(channel, StreamEvent.of("n", Map.of("n", i, "pad", padding)));
      }
    }, "tck-e5-flood");
    flood.setDaemon(true);
    flood.start();
    try {
      stuck.awaitCount(1);
      long before = usedHeapAfterGc();
      measured.countDown();
      // The counting handler shares the adapter, which offers each message to the stuck handler's
      // queue first: once it has the last one, every message has passed the stuck handler's queue.
      // A throughput wait, not a liveness one: the flood may take longer than the patience on a slow
      // machine (or through the asynchronous API); it fails when events stop coming, or after ten
      // patiences in all.
      long deadline = System.nanoTime() + EventRecorder.patience().multipliedBy(10).toNanos();
      while (lastSeen.get() != sent - 1) {
        int seen = lastSeen.get();
        await().atMost(EventRecorder.patience().multipliedBy(2)).untilAsserted(
            () -> assertThat(lastSeen.get()).as("last event the counting handler saw (it stopped at %d of %d)",
                seen, sent - 1).isNotEqualTo(seen));
        if (System.nanoTime() - deadline > 0) {
          assertThat(lastSeen.get()).as("last event the counting handler saw within ten patiences")
              .isEqualTo(sent - 1);
        }
      }
      long growth = usedHeapAfterGc() - before;
      System.out.printf("TCK E5 flood: %,d events, heap growth %,d bytes (bound %,d)%n", sent, growth, bound);
      assertThat(growth).as("heap growth while %,d events of about 1 KB queued for a stuck handler "
          + "(capacity %,d); bound %,d bytes", sent, capacity, bound).isLessThan(bound);
      if (!countingHandlerOverflowed.get()) {
        // A counting handler can fall behind a fast writer too; if it never did, it lost nothing.
        assertThat(counted.get()).as("events the handler that kept up received").isEqualTo(sent);
      }
    } finally {
      // A failed wait must not leave the flood running into later tests.
      stopFlood.set(true);
      release.countDown();
      measured.countDown();
      flood.join(EventRecorder.patience().toMillis());
    }
    stuck.awaitEvent(e -> !e.isSync() && e.data().get("n").asInt() == sent - 1);
    List<StreamEvent> afterwards = stuck.events().subList(1, stuck.events().size());
    assertThat(afterwards.size()).as("events delivered after the stuck one (bound %d)", capacity)
        .isLessThanOrEqualTo(capacity + 1);
    assertThat(afterwards).as("sync reasons after the stuck event")
        .filteredOn(StreamEvent::isSync).extracting(e -> e.data().get("reason").asText()).contains("overflow");
  }

  /** @return the heap in use after a full collection */
  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    // Twice, and the lower figure: a collection can leave garbage that the next one reclaims.
    for (int i = 0; i < 2; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  @Test
  @DisplayName("E6 — text on a channel that is not an event is dropped and the subscription stays alive")
  default void e6_garbageIsDropped() {
    RawView raw = tck().raw();
    StreamAdapter streams = tck().adapter();
    EventRecorder events = new EventRecorder("group channel");
    streams.subscribe(StreamChannel.group("g"), events);
    String channel = tck().keys().groupChannel("g");
    for (String garbage : List.of("not json", "{\"type\":", "[1,2]", "42", "{\"data\":1}",
        "{\"type\":7,\"data\":1}", "{\"type\":\"\",\"data\":1}", "")) {
      raw.publish(channel, garbage);
    }
    streams.set("g", "after", json("{}"));
    tck().awaitQuiet(streams, StreamChannel.group("g"), events);
    assertThat(TckContext.withoutMarkers(events.events())).extracting(StreamEvent::type)
        .containsExactly("create");
  }

  @Test
  @DisplayName("E8 — events are shared by the databases of one store, data is not: a create on database 1 reaches a subscriber on database 0 with the same prefixes, which cannot get the item; with its own eventPrefix, database 1's events stay apart")
  default void e8_eventsAreSharedByTheDatabasesOfOneStore() {
    tck().requireSecondDatabase();
    StreamAdapter first = tck().openAdapter();
    StreamAdapter second = tck().openAdapter(settings -> settings.database(1));
    // The prefixes of the least-privilege user's second pair: another eventPrefix, the same keys.
    StreamAdapter apart = tck().openAdapter(settings -> settings.database(1).eventPrefix("app-events:"));
    EventRecorder events = new EventRecorder("group channel on database 0");
    first.subscribe(StreamChannel.group("users"), events);

    second.set("users", "u1", json("{\"n\":1}"));
    assertThat(events.awaitEvent(e -> e.type().equals(StreamEvent.CREATE)))
        .as("events on database 0").extracting(e -> text(e.data())).contains("{\"n\":1,\"id\":\"u1\"}");
    assertThat(first.get("users", "u1")).as("database 1's item, read on database 0").isEmpty();
    assertThat(second.get("users", "u1")).as("database 1's item, read on database 1").isPresent();

    apart.set("users", "u2", json("{\"n\":2}"));
    assertThat(second.get("users", "u2")).as("the item written with its own eventPrefix").isPresent();
    tck().awaitQuiet(first, StreamChannel.group("users"), events);
    assertThat(TckContext.withoutMarkers(events.events())).extracting(e -> e.data().get("id").asText())
        .as("items whose events reached database 0").containsExactly("u1");
  }
}
