package dev.streams.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.streams.EventHandler;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import dev.streams.Subscription;
import dev.streams.json.StreamJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventDispatcherTest {

  private static final String USERS = "motia:stream:events:users";
  private static final String ORDERS = "motia:stream:events:orders";
  private static final StreamChannel USERS_CHANNEL = StreamChannel.group("users");
  private static final StreamChannel ORDERS_CHANNEL = StreamChannel.group("orders");

  private final RecordingTransport transport = new RecordingTransport();
  private final List<CountDownLatch> toRelease = new CopyOnWriteArrayList<>();
  private EventDispatcher dispatcher = new EventDispatcher("test", sink -> transport, 10_000);

  @AfterEach
  void closeDispatcher() {
    toRelease.forEach(latch -> {
      while (latch.getCount() > 0) {
        latch.countDown();
      }
    });
    dispatcher.close();
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5));
  }

  private static String message(int n) {
    return "{\"type\":\"update\",\"data\":{\"n\":" + n + "}}";
  }

  private static int numberOf(StreamEvent event) {
    return event.data().get("n").intValue();
  }

  // ---- transport lifecycle ----

  @Test
  void firstSubscriptionStartsTheChannelAndLastCloseStopsIt() {
    Subscription first = dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {});
    assertThat(transport.calls()).containsExactly("subscribe " + USERS);
    assertThat(dispatcher.channels()).containsExactly(USERS);

    Subscription second = dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {});
    assertThat(transport.calls()).containsExactly("subscribe " + USERS);

    first.close();
    assertThat(first.isActive()).isFalse();
    assertThat(second.isActive()).isTrue();
    assertThat(transport.calls()).containsExactly("subscribe " + USERS);

    second.close();
    assertThat(transport.calls()).containsExactly("subscribe " + USERS, "unsubscribe " + USERS);
    assertThat(dispatcher.channels()).isEmpty();

    second.close();
    first.close();
    assertThat(transport.calls()).containsExactly("subscribe " + USERS, "unsubscribe " + USERS);
  }

  @Test
  void resubscribingAfterTheLastCloseStartsTheChannelAgain() {
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {}).close();
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {});
    assertThat(transport.calls())
        .containsExactly("subscribe " + USERS, "unsubscribe " + USERS, "subscribe " + USERS);
  }

  @Test
  void eachChannelIsStartedOnce() {
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {});
    dispatcher.subscribe(ORDERS, ORDERS_CHANNEL, event -> {});
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {});
    assertThat(transport.calls()).containsExactly("subscribe " + USERS, "subscribe " + ORDERS);
    assertThat(dispatcher.channels()).containsExactlyInAnyOrder(USERS, ORDERS);
  }

  @Test
  void subscriptionKnowsItsChannel() {
    Subscription subscription = dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {});
    assertThat(subscription.channel()).isEqualTo(USERS_CHANNEL);
    assertThat(subscription.isActive()).isTrue();
    assertThat(subscription.toString()).contains(USERS).contains("test");
  }

  @Test
  void unsubscribeAllEndsEverySubscriptionOfTheChannelOnly() {
    Subscription a = dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {});
    Subscription b = dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {});
    Subscription other = dispatcher.subscribe(ORDERS, ORDERS_CHANNEL, event -> {});

    dispatcher.unsubscribeAll(USERS);

    assertThat(a.isActive()).isFalse();
    assertThat(b.isActive()).isFalse();
    assertThat(other.isActive()).isTrue();
    assertThat(transport.calls())
        .containsExactly("subscribe " + USERS, "subscribe " + ORDERS, "unsubscribe " + USERS);
    a.close();
    dispatcher.unsubscribeAll(USERS);
    dispatcher.unsubscribeAll("never-subscribed");
    assertThat(transport.calls()).hasSize(3);
  }

  @Test
  void failedTransportSubscribeLeavesNoSubscription() {
    transport.failNextSubscribe = true;
    assertThatThrownBy(() -> dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {}))
        .isInstanceOf(IllegalStateException.class).hasMessage("transport down");
    assertThat(dispatcher.channels()).isEmpty();

    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {});
    assertThat(transport.calls()).containsExactly("subscribe " + USERS, "subscribe " + USERS);
  }

  @Test
  void subscribeAfterCloseFails() {
    dispatcher.close();
    dispatcher.close();
    assertThatThrownBy(() -> dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {}))
        .isInstanceOf(IllegalStateException.class).hasMessage("the adapter is closed");
  }

  // ---- asynchronous subscribe (A1) ----

  @Test
  void anAsynchronousSubscribeIsEstablishedAtTheTransportsConfirmation() {
    List<Integer> received = new CopyOnWriteArrayList<>();
    CompletableFuture<Subscription> subscribing =
        dispatcher.subscribeAsync(USERS, USERS_CHANNEL, event -> received.add(numberOf(event)), Runnable::run);
    assertThat(transport.calls()).containsExactly("subscribeAsync " + USERS);
    assertThat(subscribing).isNotDone();

    transport.confirmations.get(USERS).complete(null);
    assertThat(subscribing).isCompleted();
    Subscription subscription = subscribing.join();
    assertThat(subscription.isActive()).isTrue();
    dispatcher.onMessage(USERS, message(1));
    eventually().until(() -> received.size() == 1);

    subscription.close();
    assertThat(transport.calls()).containsExactly("subscribeAsync " + USERS, "unsubscribe " + USERS);
  }

  @Test
  void everySubscriberOfAChannelOnItsWayWaitsForTheOneTransportSubscription() throws Exception {
    CompletableFuture<Subscription> first = dispatcher.subscribeAsync(USERS, USERS_CHANNEL, event -> {}, Runnable::run);
    CompletableFuture<Subscription> second = dispatcher.subscribeAsync(USERS, USERS_CHANNEL, event -> {}, Runnable::run);
    CompletableFuture<Subscription> blocking =
        CompletableFuture.supplyAsync(() -> dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {}));
    eventually().until(() -> dispatcher.subscriptions() == 3);
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    assertThat(blocking).isNotDone();

    transport.confirmations.get(USERS).complete(null);
    assertThat(first.join().isActive()).isTrue();
    assertThat(second.join().isActive()).isTrue();
    assertThat(blocking.get(10, TimeUnit.SECONDS).isActive()).isTrue();
    assertThat(transport.calls()).containsExactly("subscribeAsync " + USERS);
  }

  @Test
  void aFailedAsynchronousSubscribeEndsEverySubscriptionThatWaitedForIt() throws Exception {
    CompletableFuture<Subscription> first = dispatcher.subscribeAsync(USERS, USERS_CHANNEL, event -> {}, Runnable::run);
    CompletableFuture<Subscription> second = dispatcher.subscribeAsync(USERS, USERS_CHANNEL, event -> {}, Runnable::run);
    CompletableFuture<Subscription> blocking =
        CompletableFuture.supplyAsync(() -> dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {}));
    eventually().until(() -> dispatcher.subscriptions() == 3);

    IllegalStateException down = new IllegalStateException("transport down");
    transport.confirmations.get(USERS).completeExceptionally(down);
    assertThatThrownBy(first::join).hasCause(down);
    assertThatThrownBy(second::join).hasCause(down);
    assertThatThrownBy(() -> blocking.get(10, TimeUnit.SECONDS)).hasCause(down);
    assertThat(dispatcher.channels()).isEmpty();
    assertThat(dispatcher.subscriptions()).isZero();

    // Nothing of the failed attempt stays: the next subscribe starts the channel again.
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {});
    assertThat(transport.calls()).containsExactly("subscribeAsync " + USERS, "subscribe " + USERS);
  }

  @Test
  void unsubscribingAChannelOnItsWayEndsItsSubscriptionsAndUnsubscribesItOnceConfirmed() {
    CompletableFuture<Subscription> subscribing =
        dispatcher.subscribeAsync(USERS, USERS_CHANNEL, event -> {}, Runnable::run);
    dispatcher.unsubscribeAll(USERS);
    assertThat(dispatcher.channels()).isEmpty();
    assertThat(dispatcher.subscriptions()).isZero();
    // Not before: an unsubscribe must never overtake the subscribe it undoes.
    assertThat(transport.calls()).containsExactly("subscribeAsync " + USERS);

    transport.confirmations.get(USERS).complete(null);
    assertThat(subscribing.join().isActive()).isFalse();
    assertThat(transport.calls()).containsExactly("subscribeAsync " + USERS, "unsubscribe " + USERS);
    assertThat(dispatcher.channels()).isEmpty();
  }

  @Test
  void aChannelWantedAgainWhileItsUndoneSubscribeIsOnItsWayKeepsThatOneTransportSubscription()
      throws Exception {
    dispatcher.subscribeAsync(USERS, USERS_CHANNEL, event -> {}, Runnable::run);
    dispatcher.unsubscribeAll(USERS);
    List<Integer> received = new CopyOnWriteArrayList<>();
    CompletableFuture<Subscription> again = CompletableFuture.supplyAsync(
        () -> dispatcher.subscribe(USERS, USERS_CHANNEL, event -> received.add(numberOf(event))));
    eventually().until(() -> dispatcher.subscriptions() == 1);
    assertThat(again).isNotDone();

    transport.confirmations.get(USERS).complete(null);
    Subscription subscription = again.get(10, TimeUnit.SECONDS);
    assertThat(subscription.isActive()).isTrue();
    assertThat(transport.calls()).containsExactly("subscribeAsync " + USERS);
    dispatcher.onMessage(USERS, message(7));
    eventually().until(() -> received.equals(List.of(7)));
  }

  @Test
  void aChannelWantedAgainWhileItsUndoneSubscribeIsOnItsWayFailsWithItAndLeavesNothing() {
    dispatcher.subscribeAsync(USERS, USERS_CHANNEL, event -> {}, Runnable::run);
    dispatcher.unsubscribeAll(USERS);
    CompletableFuture<Subscription> again =
        CompletableFuture.supplyAsync(() -> dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {}));
    eventually().until(() -> dispatcher.subscriptions() == 1);

    IllegalStateException down = new IllegalStateException("transport down");
    transport.confirmations.get(USERS).completeExceptionally(down);
    assertThatThrownBy(() -> again.get(10, TimeUnit.SECONDS)).hasCause(down);
    assertThat(dispatcher.subscriptions()).isZero();
    assertThat(dispatcher.channels()).isEmpty();
    assertThat(transport.calls()).containsExactly("subscribeAsync " + USERS);
  }

  @Test
  void aSubscribeWaitingForTheServerHoldsUpNoOtherChannelsSubscribe() throws Exception {
    CountDownLatch server = latch();
    transport.holdSubscribe = server;
    CompletableFuture<Subscription> waiting =
        CompletableFuture.supplyAsync(() -> dispatcher.subscribe(ORDERS, ORDERS_CHANNEL, event -> {}));
    eventually().until(() -> transport.calls().contains("subscribe " + ORDERS));
    transport.holdSubscribe = null;

    CompletableFuture<CompletableFuture<Subscription>> calling = CompletableFuture.supplyAsync(
        () -> dispatcher.subscribeAsync(USERS, USERS_CHANNEL, event -> {}, Runnable::run));
    CompletableFuture<Subscription> blockingOther =
        CompletableFuture.supplyAsync(() -> dispatcher.subscribe(
            "motia:stream:events:other", StreamChannel.group("other"), event -> {}));
    CompletableFuture<Subscription> subscribing = calling.get(10, TimeUnit.SECONDS);
    assertThat(blockingOther.get(10, TimeUnit.SECONDS).isActive()).isTrue();
    transport.confirmations.get(USERS).complete(null);
    assertThat(subscribing.join().isActive()).isTrue();
    assertThat(waiting).isNotDone();

    server.countDown();
    assertThat(waiting.get(10, TimeUnit.SECONDS).isActive()).isTrue();
  }

  @Test
  void closingFailsEverySubscribeOnItsWay() {
    CompletableFuture<Subscription> subscribing =
        dispatcher.subscribeAsync(USERS, USERS_CHANNEL, event -> {}, Runnable::run);
    dispatcher.close();
    assertThatThrownBy(subscribing::join).hasCauseInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("the adapter is closed");
  }

  // ---- delivery ----

  @Test
  void eventsArriveInOrderOneAtATimeOffTheCallersThread() {
    List<Integer> received = Collections.synchronizedList(new ArrayList<>());
    List<String> threads = new CopyOnWriteArrayList<>();
    AtomicInteger inHandler = new AtomicInteger();
    AtomicInteger maxInHandler = new AtomicInteger();
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {
      int now = inHandler.incrementAndGet();
      maxInHandler.accumulateAndGet(now, Math::max);
      threads.add(Thread.currentThread().getName());
      if (numberOf(event) % 50 == 0) {
        Thread.yield();
      }
      received.add(numberOf(event));
      inHandler.decrementAndGet();
    });

    int count = 2000;
    for (int i = 0; i < count; i++) {
      dispatcher.onMessage(USERS, message(i));
    }

    eventually().until(() -> received.size() == count);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add(i);
    }
    assertThat(received).isEqualTo(expected);
    assertThat(maxInHandler.get()).isEqualTo(1);
    assertThat(threads).doesNotContain(Thread.currentThread().getName());
    assertThat(threads).allMatch(name -> name.startsWith("streams-events-test-"));
  }

  @Test
  void eventsFromSeveralPublishingThreadsAreNeverHandledConcurrently() throws Exception {
    AtomicInteger inHandler = new AtomicInteger();
    AtomicInteger maxInHandler = new AtomicInteger();
    AtomicInteger handled = new AtomicInteger();
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {
      maxInHandler.accumulateAndGet(inHandler.incrementAndGet(), Math::max);
      handled.incrementAndGet();
      inHandler.decrementAndGet();
    });
    List<Thread> publishers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread publisher = new Thread(() -> {
        for (int i = 0; i < 500; i++) {
          dispatcher.onMessage(USERS, message(i));
        }
      });
      publishers.add(publisher);
      publisher.start();
    }
    for (Thread publisher : publishers) {
      publisher.join(10_000);
    }
    eventually().until(() -> handled.get() == 2000);
    assertThat(maxInHandler.get()).isEqualTo(1);
  }

  @Test
  void everyHandlerOfAChannelGetsEveryEventAndOtherChannelsNone() {
    List<Integer> a = new CopyOnWriteArrayList<>();
    List<Integer> b = new CopyOnWriteArrayList<>();
    List<Integer> orders = new CopyOnWriteArrayList<>();
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> a.add(numberOf(event)));
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> b.add(numberOf(event)));
    dispatcher.subscribe(ORDERS, ORDERS_CHANNEL, event -> orders.add(numberOf(event)));

    dispatcher.onMessage(USERS, message(1));
    dispatcher.onMessage(USERS, message(2));
    dispatcher.onMessage("motia:stream:events:unknown", message(3));
    dispatcher.onMessage(ORDERS, message(4));

    eventually().until(() -> a.size() == 2 && b.size() == 2 && orders.size() == 1);
    assertThat(a).containsExactly(1, 2);
    assertThat(b).containsExactly(1, 2);
    assertThat(orders).containsExactly(4);
  }

  @Test
  void theEventCarriesTypeAndDataOfTheMessage() {
    List<StreamEvent> received = new CopyOnWriteArrayList<>();
    dispatcher.subscribe(USERS, USERS_CHANNEL, received::add);
    dispatcher.onMessage(USERS, "{\"type\":\"create\",\"data\":{\"name\":\"Ann\",\"big\":9223372036854775807,"
        + "\"d\":1.10,\"id\":\"u1\"}}");
    eventually().until(() -> received.size() == 1);
    assertThat(received.get(0).type()).isEqualTo("create");
    assertThat(StreamJson.write(received.get(0).data(), "data"))
        .isEqualTo("{\"name\":\"Ann\",\"big\":9223372036854775807,\"d\":1.10,\"id\":\"u1\"}");
  }

  @Test
  void aThrowingHandlerKeepsReceivingAndOthersAreUnaffected() {
    AtomicInteger thrower = new AtomicInteger();
    List<Integer> calm = new CopyOnWriteArrayList<>();
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {
      thrower.incrementAndGet();
      throw new IllegalStateException("handler failure (expected by the test)");
    });
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> calm.add(numberOf(event)));
    for (int i = 0; i < 5; i++) {
      dispatcher.onMessage(USERS, message(i));
    }
    eventually().until(() -> thrower.get() == 5 && calm.size() == 5);
    assertThat(calm).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void aHandlerThrowingAnErrorKeepsReceiving() {
    AtomicInteger calls = new AtomicInteger();
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {
      calls.incrementAndGet();
      throw new AssertionError("error from a handler (expected by the test)");
    });
    dispatcher.onMessage(USERS, message(1));
    dispatcher.onMessage(USERS, message(2));
    eventually().until(() -> calls.get() == 2);
  }

  @Test
  void garbageMessagesAreDroppedAndTheSubscriptionStaysAlive() {
    List<Integer> received = new CopyOnWriteArrayList<>();
    Subscription subscription = dispatcher.subscribe(USERS, USERS_CHANNEL, event -> received.add(numberOf(event)));
    dispatcher.onMessage(USERS, "garbage");
    dispatcher.onMessage(USERS, message(1));
    dispatcher.onMessage(USERS, "[1,2]");
    dispatcher.onMessage(USERS, "{\"type\":\"\",\"data\":{}}");
    dispatcher.onMessage(USERS, "{\"type\":\"x\"}");
    dispatcher.onMessage(USERS, "");
    dispatcher.onMessage(USERS, "x".repeat(500));
    dispatcher.onMessage(USERS, message(2));
    eventually().until(() -> received.size() == 2);
    assertThat(received).containsExactly(1, 2);
    assertThat(subscription.isActive()).isTrue();
    dispatcher.onMessage(USERS, message(3));
    eventually().until(() -> received.size() == 3);
  }

  @Test
  void aSlowHandlerDoesNotDelayOtherSubscriptions() {
    CountDownLatch release = latch();
    AtomicInteger slow = new AtomicInteger();
    List<Integer> fast = new CopyOnWriteArrayList<>();
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {
      slow.incrementAndGet();
      awaitQuietly(release);
    });
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> fast.add(numberOf(event)));
    for (int i = 0; i < 20; i++) {
      dispatcher.onMessage(USERS, message(i));
    }
    eventually().until(() -> fast.size() == 20);
    assertThat(slow.get()).isEqualTo(1);
    release.countDown();
    eventually().until(() -> slow.get() == 20);
  }

  @Test
  void overflowDropsTheBacklogForOneSyncAndThenGoesOn() {
    dispatcher.close();
    int capacity = 10;
    dispatcher = new EventDispatcher("small", sink -> transport, capacity);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = latch();
    List<StreamEvent> received = new CopyOnWriteArrayList<>();
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {
      received.add(event);
      entered.countDown();
      awaitQuietly(release);
    });

    dispatcher.onMessage(USERS, message(0));
    eventually().until(() -> entered.getCount() == 0);
    int total = 1000;
    for (int i = 1; i < total; i++) {
      dispatcher.onMessage(USERS, message(i));
    }
    release.countDown();

    eventually().until(() -> !received.isEmpty() && !received.get(received.size() - 1).isSync()
        && numberOf(received.get(received.size() - 1)) == total - 1);
    assertThat(numberOf(received.get(0))).isZero();
    StreamEvent sync = received.get(1);
    assertThat(sync.type()).isEqualTo("sync");
    assertThat(sync.isSync()).isTrue();
    assertThat(sync.data().toString()).isEqualTo("{\"reason\":\"overflow\"}");
    List<StreamEvent> afterSync = received.subList(2, received.size());
    assertThat(afterSync).noneMatch(StreamEvent::isSync);
    assertThat(afterSync).isNotEmpty();
    int first = numberOf(afterSync.get(0));
    for (int i = 0; i < afterSync.size(); i++) {
      assertThat(numberOf(afterSync.get(i))).as("contiguous after the sync").isEqualTo(first + i);
    }
    // the sync plus what was queued after it never exceeds the bound (+1 for the sync)
    assertThat(received.size() - 1).isLessThanOrEqualTo(capacity + 1);

    // delivery goes on normally afterwards
    dispatcher.onMessage(USERS, message(5000));
    eventually().until(() -> numberOf(received.get(received.size() - 1)) == 5000);
    assertThat(received.stream().filter(StreamEvent::isSync)).hasSize(1);
  }

  @Test
  void overflowOfOneHandlerDoesNotTouchAnother() {
    dispatcher.close();
    dispatcher = new EventDispatcher("small", sink -> transport, 5);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = latch();
    List<StreamEvent> slow = new CopyOnWriteArrayList<>();
    List<StreamEvent> fast = new CopyOnWriteArrayList<>();
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {
      slow.add(event);
      entered.countDown();
      awaitQuietly(release);
    });
    dispatcher.subscribe(USERS, USERS_CHANNEL, fast::add);

    dispatcher.onMessage(USERS, message(0));
    eventually().until(() -> entered.getCount() == 0);
    for (int i = 1; i <= 50; i++) {
      dispatcher.onMessage(USERS, message(i));
      int expected = i + 1;
      // the fast handler keeps up (its queue never fills) while the slow one falls behind
      eventually().until(() -> fast.size() == expected);
    }
    release.countDown();
    eventually().until(() -> numberOf(slow.get(slow.size() - 1)) == 50);

    assertThat(fast).noneMatch(StreamEvent::isSync);
    assertThat(fast.stream().map(EventDispatcherTest::numberOf).toList())
        .isEqualTo(java.util.stream.IntStream.rangeClosed(0, 50).boxed().toList());
    assertThat(numberOf(slow.get(0))).isZero();
    assertThat(slow.get(1).data().toString()).isEqualTo("{\"reason\":\"overflow\"}");
    assertThat(slow.subList(2, slow.size())).noneMatch(StreamEvent::isSync).hasSizeLessThanOrEqualTo(5);
  }

  @Test
  void reconnectedGivesEveryHandlerOneSync() {
    List<StreamEvent> a = new CopyOnWriteArrayList<>();
    List<StreamEvent> b = new CopyOnWriteArrayList<>();
    List<StreamEvent> orders = new CopyOnWriteArrayList<>();
    dispatcher.subscribe(USERS, USERS_CHANNEL, a::add);
    dispatcher.subscribe(USERS, USERS_CHANNEL, b::add);
    dispatcher.subscribe(ORDERS, ORDERS_CHANNEL, orders::add);

    dispatcher.onMessage(USERS, message(1));
    dispatcher.reconnected();
    dispatcher.onMessage(USERS, message(2));

    eventually().until(() -> a.size() == 3 && b.size() == 3 && orders.size() == 1);
    for (List<StreamEvent> events : List.of(a, b)) {
      assertThat(numberOf(events.get(0))).isEqualTo(1);
      assertThat(events.get(1).type()).isEqualTo("sync");
      assertThat(events.get(1).data().toString()).isEqualTo("{\"reason\":\"reconnected\"}");
      assertThat(numberOf(events.get(2))).isEqualTo(2);
    }
    assertThat(orders.get(0).type()).isEqualTo("sync");
    assertThat(orders.get(0).data().toString()).isEqualTo("{\"reason\":\"reconnected\"}");
    assertThat(transport.calls()).containsExactly("subscribe " + USERS, "subscribe " + ORDERS);
  }

  @Test
  void resubscribedGivesOnlyTheHandlersOfThoseChannelsOneSync() {
    List<StreamEvent> users = new CopyOnWriteArrayList<>();
    List<StreamEvent> orders = new CopyOnWriteArrayList<>();
    dispatcher.subscribe(USERS, USERS_CHANNEL, users::add);
    dispatcher.subscribe(ORDERS, ORDERS_CHANNEL, orders::add);

    dispatcher.resubscribed(java.util.Set.of(USERS, "a channel nobody subscribed"));
    dispatcher.onMessage(USERS, message(1));
    dispatcher.onMessage(ORDERS, message(2));

    eventually().until(() -> users.size() == 2 && orders.size() == 1);
    assertThat(users.get(0).type()).isEqualTo("sync");
    assertThat(users.get(0).data().toString()).isEqualTo("{\"reason\":\"resubscribed\"}");
    assertThat(numberOf(users.get(1))).isEqualTo(1);
    // The other channel's handler gets its event and no sync before it.
    assertThat(numberOf(orders.get(0))).isEqualTo(2);
  }

  @Test
  void disconnectedIsTheLastEventOfEverySubscription() {
    List<StreamEvent> users = new CopyOnWriteArrayList<>();
    List<StreamEvent> orders = new CopyOnWriteArrayList<>();
    Subscription first = dispatcher.subscribe(USERS, USERS_CHANNEL, users::add);
    Subscription second = dispatcher.subscribe(ORDERS, ORDERS_CHANNEL, orders::add);

    dispatcher.onMessage(USERS, message(1));
    dispatcher.disconnected("Too many retries");
    dispatcher.onMessage(USERS, message(2));
    dispatcher.reconnected();

    eventually().until(() -> !first.isActive() && !second.isActive());
    assertThat(users).extracting(StreamEvent::type).containsExactly("update", "disconnected");
    assertThat(users.get(1).data().toString()).isEqualTo("{\"reason\":\"Too many retries\"}");
    assertThat(orders).extracting(StreamEvent::type).containsExactly("disconnected");
    assertThat(dispatcher.channels()).isEmpty();
    assertThat(transport.calls()).containsExactlyInAnyOrder("subscribe " + USERS,
        "subscribe " + ORDERS, "unsubscribe " + USERS, "unsubscribe " + ORDERS);
  }

  @Test
  void closingASubscriptionStopsDeliveryToThatHandlerOnly() {
    List<Integer> closed = new CopyOnWriteArrayList<>();
    List<Integer> open = new CopyOnWriteArrayList<>();
    Subscription subscription = dispatcher.subscribe(USERS, USERS_CHANNEL, event -> closed.add(numberOf(event)));
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> open.add(numberOf(event)));
    dispatcher.onMessage(USERS, message(1));
    eventually().until(() -> closed.size() == 1 && open.size() == 1);

    subscription.close();
    dispatcher.onMessage(USERS, message(2));
    dispatcher.onMessage(USERS, message(3));

    eventually().until(() -> open.size() == 3);
    assertThat(closed).containsExactly(1);
  }

  @Test
  void closingASubscriptionDropsWhatItHadQueued() {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = latch();
    List<Integer> received = new CopyOnWriteArrayList<>();
    Subscription subscription = dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {
      received.add(numberOf(event));
      entered.countDown();
      awaitQuietly(release);
    });
    dispatcher.onMessage(USERS, message(1));
    eventually().until(() -> entered.getCount() == 0);
    dispatcher.onMessage(USERS, message(2));
    dispatcher.onMessage(USERS, message(3));

    subscription.close();
    release.countDown();

    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
        .until(() -> received.size() == 1);
    assertThat(received).containsExactly(1);
  }

  @Test
  void closeStopsDeliveryOfQueuedAndLaterMessages() {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = latch();
    List<Integer> received = new CopyOnWriteArrayList<>();
    Subscription subscription = dispatcher.subscribe(USERS, USERS_CHANNEL, event -> {
      received.add(numberOf(event));
      entered.countDown();
      awaitQuietly(release);
    });
    dispatcher.onMessage(USERS, message(1));
    eventually().until(() -> entered.getCount() == 0);
    dispatcher.onMessage(USERS, message(2));

    dispatcher.close();
    release.countDown();
    dispatcher.onMessage(USERS, message(3));
    dispatcher.reconnected();

    assertThat(subscription.isActive()).isFalse();
    assertThat(dispatcher.channels()).isEmpty();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
        .until(() -> received.size() == 1);
    assertThat(received).containsExactly(1);
    subscription.close();
    assertThat(transport.calls()).containsExactly("subscribe " + USERS);
  }

  @Test
  void messagesForAChannelWithoutSubscriptionsAreIgnored() {
    dispatcher.onMessage(USERS, message(1));
    dispatcher.reconnected();
    List<Integer> received = new CopyOnWriteArrayList<>();
    dispatcher.subscribe(USERS, USERS_CHANNEL, event -> received.add(numberOf(event)));
    dispatcher.onMessage(USERS, message(2));
    eventually().until(() -> received.size() == 1);
    assertThat(received).containsExactly(2);
  }

  private CountDownLatch latch() {
    CountDownLatch latch = new CountDownLatch(1);
    toRelease.add(latch);
    return latch;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records the calls the dispatcher makes, in order. */
  static final class RecordingTransport implements ChannelTransport {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, CompletableFuture<Void>> confirmations = new ConcurrentHashMap<>();
    volatile boolean failNextSubscribe;
    /** While set, a subscribe waits for it: a server that has not answered yet. */
    volatile CountDownLatch holdSubscribe;

    @Override
    public void subscribe(String channel) {
      calls.add("subscribe " + channel);
      CountDownLatch held = holdSubscribe;
      if (held != null) {
        awaitQuietly(held);
      }
      if (failNextSubscribe) {
        failNextSubscribe = false;
        throw new IllegalStateException("transport down");
      }
    }

    /** Held until the test confirms or fails it: {@link #confirmations}. */
    @Override
    public CompletableFuture<Void> subscribeAsync(String channel, Executor blocking) {
      calls.add("subscribeAsync " + channel);
      CompletableFuture<Void> confirmation = new CompletableFuture<>();
      confirmations.put(channel, confirmation);
      return confirmation;
    }

    @Override
    public void unsubscribe(String channel) {
      calls.add("unsubscribe " + channel);
    }

    List<String> calls() {
      return List.copyOf(calls);
    }
  }

  @SuppressWarnings("unused")
  private static EventHandler ignore() {
    return event -> {};
  }
}
