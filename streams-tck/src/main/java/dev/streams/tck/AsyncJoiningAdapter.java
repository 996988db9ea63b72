package dev.streams.tck;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.AsyncStreamAdapter;
import dev.streams.EventHandler;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import dev.streams.StreamGroup;
import dev.streams.StreamMonitor;
import dev.streams.Subscription;
import dev.streams.query.Query;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A blocking adapter made of another adapter's asynchronous API (A1): each call starts the
 * asynchronous twin and waits for its stage. The operation, query and event clauses run through it a
 * second time, so that both APIs are held to the same results, events and errors.
 *
 * <p>It also checks the asynchronous API's own promises on every call: the call returns a stage and
 * never throws (invalid input, a closed adapter and the bound fail the stage instead), and the stage
 * fails with the blocking call's exception as is, never wrapped in {@code CompletionException}.
 */
final class AsyncJoiningAdapter implements StreamAdapter {

  private final StreamAdapter adapter;
  private final AsyncStreamAdapter async;

  AsyncJoiningAdapter(StreamAdapter adapter) {
    this.adapter = adapter;
    this.async = adapter.async();
  }

  /** @return the adapter whose asynchronous API this one joins */
  StreamAdapter adapter() {
    return adapter;
  }

  @Override
  public ObjectNode set(String groupId, String id, Object data) {
    return join("set", () -> async.set(groupId, id, data));
  }

  @Override
  public Optional<ObjectNode> get(String groupId, String id) {
    return join("get", () -> async.get(groupId, id));
  }

  @Override
  public Optional<ObjectNode> delete(String groupId, String id) {
    return join("delete", () -> async.delete(groupId, id));
  }

  @Override
  public List<ObjectNode> getGroup(String groupId) {
    return join("getGroup", () -> async.getGroup(groupId));
  }

  @Override
  public List<ObjectNode> query(String groupId, Query query) {
    return join("query", () -> async.query(groupId, query));
  }

  @Override
  public long clear(String groupId) {
    return join("clear", () -> async.clear(groupId));
  }

  @Override
  public void send(StreamChannel channel, StreamEvent event) {
    join("send", () -> async.send(channel, event));
  }

  @Override
  public Subscription subscribe(StreamChannel channel, EventHandler handler) {
    return join("subscribe", () -> async.subscribe(channel, handler));
  }

  @Override
  public void unsubscribe(StreamChannel channel) {
    join("unsubscribe", () -> async.unsubscribe(channel));
  }

  @Override
  public String dataKey(String groupId, String id) {
    return adapter.dataKey(groupId, id);
  }

  @Override
  public <T> StreamGroup<T> group(String groupId, Class<T> type) {
    // The adapter's own check that it is open (O10), then a view whose calls come back here.
    adapter.group(groupId, type);
    return StreamGroup.of(this, groupId, type);
  }

  @Override
  public StreamMonitor monitor() {
    return adapter.monitor();
  }

  @Override
  public AsyncStreamAdapter async() {
    return async;
  }

  @Override
  public void close() {
    adapter.close();
  }

  @Override
  public String toString() {
    return adapter.toString();
  }

  /**
   * @return the stage's value
   * @throws RuntimeException the very exception the stage failed with
   * @throws AssertionError if the call threw instead of returning a stage, or the stage failed with
   *     a wrapper
   */
  private static <T> T join(String operation, Supplier<CompletionStage<T>> call) {
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException thrown) {
      throw new AssertionError("A1: async()." + operation + " threw " + thrown
          + " instead of returning a failed stage", thrown);
    }
    if (stage == null) {
      throw new AssertionError("A1: async()." + operation + " returned null, not a stage");
    }
    CompletableFuture<T> future = stage.toCompletableFuture();
    // What whenComplete sees: the failure as the stage holds it.
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    stage.whenComplete((value, thrown) -> failure.complete(thrown));
    try {
      T value = future.get(EventRecorder.patience().toSeconds() * 4, TimeUnit.SECONDS);
      return value;
    } catch (ExecutionException e) {
      Throwable held = failure.getNow(null);
      if (held instanceof java.util.concurrent.CompletionException) {
        throw new AssertionError("A1: the stage of async()." + operation
            + " failed with a CompletionException wrapper, not the blocking call's exception", held);
      }
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new AssertionError("A1: async()." + operation + " failed with a checked " + cause, cause);
    } catch (TimeoutException e) {
      throw new AssertionError("A1: async()." + operation + " did not complete within "
          + EventRecorder.patience().toSeconds() * 4 + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for async()." + operation, e);
    }
  }
}
