package dev.streams.tck;

import static dev.streams.tck.DataClauses.json;
import static dev.streams.tck.DataClauses.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.AsyncStreamAdapter;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConnectionException;
import dev.streams.StreamDataException;
import dev.streams.StreamEvent;
import dev.streams.StreamOverloadedException;
import dev.streams.query.Query;
import dev.streams.spi.KeyLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A1–A2: the asynchronous API. The operation, event and query families also run through it
 * ({@link StreamsTck.ThroughTheAsyncApi}); these clauses pin what only the asynchronous API has:
 * failed stages instead of throws, where stages complete, and the bound on calls in flight.
 */
public interface AsyncClauses extends ClauseFamily {

  /**
   * @return what the stage failed with, as {@code whenComplete} sees it, or null if it succeeded
   */
  private static Throwable failureOf(CompletionStage<?> stage) {
    CompletableFuture<Throwable> seen = new CompletableFuture<>();
    stage.whenComplete((value, failure) -> seen.complete(failure));
    return seen.orTimeout(EventRecorder.patience().toSeconds(), TimeUnit.SECONDS).join();
  }

  /** @return the stage the call returned; fails the test if the call threw instead */
  private static <T> CompletionStage<T> returned(String call, Supplier<CompletionStage<T>> async) {
    try {
      return async.get();
    } catch (RuntimeException e) {
      throw new AssertionError(call + " threw " + e + " instead of returning a failed stage", e);
    }
  }

  @Test
  @DisplayName("A1 — invalid input fails the returned stage, unwrapped, before any I/O: nothing is written or sent, and the call never throws")
  default void a1_invalidInputFailsTheStage() {
    StreamAdapter streams = tck().adapter();
    AsyncStreamAdapter async = streams.async();
    EventRecorder events = new EventRecorder("group channel");
    streams.subscribe(StreamChannel.group("g"), events);
    List<Supplier<CompletionStage<?>>> invalid = List.of(
        () -> async.set("g", "", json("{}")),
        () -> async.set("g:x", "1", json("{}")),
        () -> async.set("g", "1", "not an object"),
        () -> async.get(null, "1"),
        () -> async.delete("g", null),
        () -> async.getGroup(""),
        () -> async.query("g", null),
        () -> async.clear("a:b"),
        () -> async.send(null, StreamEvent.of("x", 1)),
        () -> async.send(StreamChannel.group("g"), null),
        () -> async.subscribe(StreamChannel.group("g"), null),
        () -> async.unsubscribe(null));
    for (int i = 0; i < invalid.size(); i++) {
      Throwable failure = failureOf(returned("call " + i, invalid.get(i)::get));
      assertThat(failure).as("failure of invalid call %s", i).isInstanceOf(IllegalArgumentException.class);
    }
    tck().awaitQuiet(streams, StreamChannel.group("g"), events);
    assertThat(TckContext.withoutMarkers(events.events())).as("events of invalid calls").isEmpty();
    assertThat(streams.getGroup("g")).isEmpty();
  }

  @Test
  @DisplayName("A1 — every call on a closed adapter fails its stage with IllegalStateException, and never throws")
  default void a1_closedAdapterFailsTheStage() {
    StreamAdapter streams = tck().openAdapter();
    AsyncStreamAdapter async = streams.async();
    streams.close();
    List<Supplier<CompletionStage<?>>> calls = List.of(
        () -> async.set("g", "1", json("{}")),
        () -> async.get("g", "1"),
        () -> async.delete("g", "1"),
        () -> async.getGroup("g"),
        () -> async.query("g", Query.all()),
        () -> async.clear("g"),
        () -> async.send(StreamChannel.group("g"), StreamEvent.of("x", 1)),
        () -> async.subscribe(StreamChannel.group("g"), event -> {}),
        () -> async.unsubscribe(StreamChannel.group("g")));
    for (int i = 0; i < calls.size(); i++) {
      assertThat(failureOf(returned("call " + i, calls.get(i)::get))).as("failure of call %s", i)
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  @DisplayName("A1 — the stages give the blocking calls' results, and a store's failure as the blocking call's exception type, unwrapped")
  default void a1_resultsAndErrorsAsTheBlockingCalls() {
    StreamAdapter streams = tck().adapter();
    AsyncStreamAdapter async = streams.async();
    ObjectNode stored = async.set("g", "a", json("{\"n\":1}")).toCompletableFuture().join();
    assertThat(text(stored)).isEqualTo("{\"n\":1,\"id\":\"a\"}");
    assertThat(async.get("g", "a").toCompletableFuture().join()).map(DataClauses::text)
        .contains(text(stored));
    assertThat(async.getGroup("g").toCompletableFuture().join()).extracting(DataClauses::text)
        .containsExactly(text(stored));
    assertThat(async.delete("g", "a").toCompletableFuture().join()).map(DataClauses::text).contains(text(stored));
    assertThat(async.get("g", "a").toCompletableFuture().join()).isEmpty();
    assertThat(async.clear("g").toCompletableFuture().join()).isZero();
    if (!tck().hasRawView()) {
      return;
    }
    // The run's layout with the default prefixes (K1, L2), as the raw view sees it.
    KeyLayout keys = tck().keys();
    String key = keys.isHash() ? keys.groupKey("foreign") : keys.dataKey("foreign", "x");
    tck().putRawItem("foreign", "x", "not json");
    for (Supplier<CompletionStage<?>> call : List.<Supplier<CompletionStage<?>>>of(
        () -> async.get("foreign", "x"), () -> async.set("foreign", "x", json("{}")),
        () -> async.delete("foreign", "x"), () -> async.getGroup("foreign"))) {
      Throwable failure = failureOf(call.get());
      assertThat(failure).isInstanceOf(StreamDataException.class).hasMessageContaining(key);
      assertThat(failure).isNotInstanceOf(CompletionException.class);
    }
    assertThat(tck().rawItem("foreign", "x")).contains("not json");
  }

  @Test
  @DisplayName("A1 — a continuation that blocks does not stall the adapter's other calls")
  default void a1_blockingContinuationStallsNothingElse() throws Exception {
    StreamAdapter streams = tck().adapter();
    AsyncStreamAdapter async = streams.async();
    streams.set("g", "a", json("{}"));
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> blockedOn = new AtomicReference<>();
    try {
      // A continuation attached to a stage that is done already runs on the caller's thread, which
      // proves nothing: calls are made until one completes after its continuation was attached.
      await().atMost(EventRecorder.patience()).until(() -> {
        // The thread that attaches (Awaitility's), not the test's: a continuation runs inline there.
        Thread caller = Thread.currentThread();
        async.get("g", "a").thenAccept(item -> {
          if (Thread.currentThread() != caller && blockedOn.compareAndSet(null, Thread.currentThread())) {
            awaitQuietly(release);
          }
        });
        return blockedOn.get() != null;
      });
      AtomicInteger completed = new AtomicInteger();
      List<CompletableFuture<?>> others = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        others.add(async.set("g", "o" + i, json("{}")).thenRun(completed::incrementAndGet).toCompletableFuture());
        others.add(async.get("g", "a").thenRun(completed::incrementAndGet).toCompletableFuture());
      }
      await().atMost(EventRecorder.patience()).untilAsserted(() -> assertThat(completed).hasValue(40));
      assertThat(release.getCount()).as("the continuation still blocks").isEqualTo(1);
      assertThat(streams.get("g", "o19")).isPresent();
    } finally {
      release.countDown();
    }
  }

  @Test
  @DisplayName("A1 — many subscribes at once, none joined before the next: each is established when its stage completes, as the blocking subscribe is when it returns")
  default void a1_manySubscribesAtOnceEachEstablishedWhenItsStageCompletes() {
    StreamAdapter streams = tck().adapter();
    AsyncStreamAdapter async = streams.async();
    int channels = 300;
    List<EventRecorder> recorders = new ArrayList<>();
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < channels; i++) {
      EventRecorder recorder = new EventRecorder("item channel m" + i);
      recorders.add(recorder);
      String id = "m" + i;
      // The item is written the moment its subscription's stage completes: O9 says its event arrives.
      writes.add(async.subscribe(StreamChannel.item("many", id), recorder)
          .thenCompose(subscription -> async.set("many", id, json("{}"))).toCompletableFuture());
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
        .orTimeout(EventRecorder.patience().toSeconds(), TimeUnit.SECONDS).join();
    for (EventRecorder recorder : recorders) {
      recorder.awaitTypes("create");
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(EventRecorder.patience().toSeconds() * 4, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @DisplayName("A2 — with maxCallsInFlight calls outstanding, a further call fails at once with StreamOverloadedException and sends nothing; once calls complete, calls are taken again")
  default void a2_callsBeyondTheBoundFailAtOnce() throws Exception {
    StreamAdapter streams = tck().openAdapter(settings -> settings.maxCallsInFlight(3));
    AsyncStreamAdapter async = streams.async();
    streams.set("g", "warm", json("{}"));
    List<CompletableFuture<ObjectNode>> held = new ArrayList<>();
    Throwable refused;
    try (AutoCloseable hold = tck().holdWrites()) {
      for (int i = 0; i < 3; i++) {
        held.add(async.set("g", "held" + i, json("{}")).toCompletableFuture());
      }
      refused = failureOf(returned("a fourth call", () -> async.set("g", "refused", json("{}"))));
      assertThat(held).as("calls held by the store").noneMatch(CompletableFuture::isDone);
    }
    assertThat(refused).isInstanceOf(StreamOverloadedException.class)
        .hasMessageContaining("maxCallsInFlight").hasMessageContaining("3");
    for (CompletableFuture<ObjectNode> call : held) {
      assertThat(call.get(EventRecorder.patience().toSeconds(), TimeUnit.SECONDS)).isNotNull();
    }
    assertThat(streams.get("g", "refused")).as("the refused call wrote nothing").isEmpty();
    await().atMost(EventRecorder.patience()).untilAsserted(() ->
        assertThat(async.set("g", "after", json("{}")).toCompletableFuture().join()).isNotNull());
    assertThat(streams.get("g", "after")).isPresent();
    // A connection failure is not what the bound reports.
    assertThat(refused).isNotInstanceOf(StreamConnectionException.class);
    assertThat(Optional.of(streams.getGroup("g").size())).contains(5);
  }
}
