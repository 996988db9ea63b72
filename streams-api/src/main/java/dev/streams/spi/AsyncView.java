package dev.streams.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.AsyncStreamAdapter;
import dev.streams.EventHandler;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import dev.streams.StreamObserver;
import dev.streams.StreamOperation;
import dev.streams.StreamOverloadedException;
import dev.streams.Subscription;
import dev.streams.internal.Names;
import dev.streams.json.StreamJson;
import dev.streams.query.Query;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The asynchronous API of an {@link AbstractStreamAdapter} (A1, A2): the same validation before any
 * I/O and the same documents as the blocking calls, on the backend's asynchronous primitives.
 *
 * <p>Where stages complete: a backend's primitives may complete on its client's I/O threads (a
 * netty event loop, a reply reader); the stage handed to the caller is completed from there on one
 * of {@link #completions} instead, so that a continuation that blocks holds one of the adapter's
 * threads and never the I/O thread every other call needs. A primitive that already completes on
 * one of this view's own threads (the pool of {@link #blocking} calls) completes the caller's stage
 * there, without a further hop.
 *
 * <p>The bound (A2): a call is counted from the moment it passes validation until its primitive
 * completes; a call beyond {@code maxCallsInFlight} is refused with a failed stage and never sent.
 * The executors' queues hold at most one task per counted call, so they are bounded too.
 */
final class AsyncView implements AsyncStreamAdapter {

  /** Threads that complete callers' stages: enough that one blocking continuation leaves others. */
  private static final int COMPLETION_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
  /** Threads that run the operations a backend has no asynchronous primitive for. */
  private static final int BLOCKING_THREADS = Math.max(4, Runtime.getRuntime().availableProcessors());

  private final AbstractStreamAdapter adapter;
  private final String name;
  private final int maxCallsInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object lock = new Object();
  private volatile ExecutorService completions;
  private volatile ExecutorService blocking;
  private boolean shutDown;

  AsyncView(AbstractStreamAdapter adapter, String name, int maxCallsInFlight) {
    this.adapter = adapter;
    this.name = name;
    this.maxCallsInFlight = maxCallsInFlight;
  }

  /** @return how many calls are outstanding, for tests of the bound */
  int callsInFlight() {
    return inFlight.get();
  }

  @Override
  public CompletionStage<ObjectNode> set(String groupId, String id, Object data) {
    long start = System.nanoTime();
    ItemKeys item;
    StreamJson.Document document;
    try {
      adapter.ensureOpen();
      item = adapter.itemKeys(groupId, id);
      document = StreamJson.toDocument(data, id);
      adapter.requireSize(document.json(), "data", "its stored document");
    } catch (RuntimeException e) {
      return refused(StreamOperation.SET, start, e);
    }
    return call(StreamOperation.SET, start, () -> adapter.writeItemAsync(item, document.json()),
        written -> document.node());
  }

  @Override
  public CompletionStage<Optional<ObjectNode>> get(String groupId, String id) {
    long start = System.nanoTime();
    ItemKeys item;
    try {
      adapter.ensureOpen();
      item = adapter.itemKeys(groupId, id);
    } catch (RuntimeException e) {
      return refused(StreamOperation.GET, start, e);
    }
    // Parsed on the completing thread of this view, never on the client's I/O thread.
    return call(StreamOperation.GET, start, () -> adapter.readItemAsync(item),
        text -> text.map(value -> WireFormat.readDocument(item.key(), value)));
  }

  @Override
  public CompletionStage<Optional<ObjectNode>> delete(String groupId, String id) {
    long start = System.nanoTime();
    ItemKeys item;
    try {
      adapter.ensureOpen();
      item = adapter.itemKeys(groupId, id);
    } catch (RuntimeException e) {
      return refused(StreamOperation.DELETE, start, e);
    }
    return call(StreamOperation.DELETE, start, () -> adapter.removeItemAsync(item),
        text -> text.map(value -> WireFormat.readDocument(item.key(), value)));
  }

  @Override
  public CompletionStage<List<ObjectNode>> getGroup(String groupId) {
    long start = System.nanoTime();
    try {
      adapter.ensureOpen();
      Names.requireGroupId(groupId);
    } catch (RuntimeException e) {
      return refused(StreamOperation.GET_GROUP, start, e);
    }
    return call(StreamOperation.GET_GROUP, start, () -> adapter.readGroupAsync(groupId), documents -> {
      StreamObserver observer = adapter.observers().active();
      if (observer != null) {
        observer.groupRead(StreamOperation.GET_GROUP, documents.size());
      }
      return documents;
    });
  }

  @Override
  public CompletionStage<List<ObjectNode>> query(String groupId, Query query) {
    long start = System.nanoTime();
    try {
      adapter.ensureOpen();
      Names.requireGroupId(groupId);
      AbstractStreamAdapter.requireArgument(query, "query");
    } catch (RuntimeException e) {
      return refused(StreamOperation.QUERY, start, e);
    }
    return call(StreamOperation.QUERY, start, () -> adapter.queryAsync(groupId, query), Function.identity());
  }

  @Override
  public CompletionStage<Long> clear(String groupId) {
    long start = System.nanoTime();
    try {
      adapter.ensureOpen();
      Names.requireGroupId(groupId);
    } catch (RuntimeException e) {
      return refused(StreamOperation.CLEAR, start, e);
    }
    return call(StreamOperation.CLEAR, start, () -> adapter.removeGroupAsync(groupId), Function.identity());
  }

  @Override
  public CompletionStage<Void> send(StreamChannel channel, StreamEvent event) {
    long start = System.nanoTime();
    String channelName;
    String message;
    try {
      adapter.ensureOpen();
      AbstractStreamAdapter.requireArgument(channel, "channel");
      AbstractStreamAdapter.requireArgument(event, "event");
      String data = StreamJson.write(event.data(), "event data");
      adapter.requireSize(data, "event data", "its JSON text");
      channelName = adapter.layout().channelName(channel);
      message = WireFormat.eventMessage(event.type(), data);
    } catch (RuntimeException e) {
      return refused(StreamOperation.SEND, start, e);
    }
    return call(StreamOperation.SEND, start, () -> adapter.publishAsync(channelName, message),
        Function.identity());
  }

  @Override
  public CompletionStage<Subscription> subscribe(StreamChannel channel, EventHandler handler) {
    try {
      adapter.ensureOpen();
      AbstractStreamAdapter.requireArgument(channel, "channel");
      AbstractStreamAdapter.requireArgument(handler, "handler");
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    // Established once the server confirmed it (O9); the transport keeps many on their way at once.
    return call(null, 0, () -> adapter.subscribeAsync(channel, handler, task -> blocking().execute(task)),
        Function.identity());
  }

  @Override
  public CompletionStage<Void> unsubscribe(StreamChannel channel) {
    try {
      adapter.ensureOpen();
      AbstractStreamAdapter.requireArgument(channel, "channel");
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return call(null, 0, () -> runBlocking(() -> {
      adapter.unsubscribe(channel);
      return null;
    }), Function.identity());
  }

  /**
   * Runs a blocking call on this view's pool for blocking calls: how an operation without an
   * asynchronous primitive of its backend still leaves the caller's thread free (A1).
   */
  <T> CompletableFuture<T> runBlocking(Supplier<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      blocking().execute(() -> {
        try {
          result.complete(call.get());
        } catch (RuntimeException | Error e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException closing) {
      result.completeExceptionally(new IllegalStateException(adapter + " is closed"));
    }
    return result;
  }

  /** A call that failed validation: reported to observers as the blocking call would be. */
  private <T> CompletionStage<T> refused(StreamOperation operation, long start, RuntimeException e) {
    StreamObserver observer = adapter.observers().active();
    if (observer != null) {
      observer.operation(operation, System.nanoTime() - start, e);
    }
    return CompletableFuture.failedFuture(e);
  }

  /**
   * Counts the call against the bound, starts it, and relays its outcome to the caller's stage on a
   * thread of this view.
   *
   * @param operation for observers; null for subscribe and unsubscribe, which are not measured
   */
  private <R, T> CompletionStage<T> call(StreamOperation operation, long start,
      Supplier<CompletableFuture<R>> primitive, Function<? super R, ? extends T> result) {
    if (inFlight.incrementAndGet() > maxCallsInFlight) {
      inFlight.decrementAndGet();
      StreamOverloadedException overloaded = new StreamOverloadedException(adapter + " refused an"
          + " asynchronous call: " + maxCallsInFlight + " calls are in flight, the bound"
          + " maxCallsInFlight (A2). Nothing was sent; retry once earlier calls have completed");
      return operation == null ? CompletableFuture.failedFuture(overloaded)
          : refused(operation, start, overloaded);
    }
    CompletableFuture<T> caller = new CompletableFuture<>();
    CompletableFuture<R> started;
    try {
      started = primitive.get();
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    started.whenComplete((value, failure) -> {
      inFlight.decrementAndGet();
      Throwable cause = unwrap(failure);
      if (operation != null) {
        StreamObserver observer = adapter.observers().active();
        if (observer != null) {
          observer.operation(operation, System.nanoTime() - start, cause);
        }
      }
      Runnable complete = () -> {
        if (cause != null) {
          caller.completeExceptionally(cause);
          return;
        }
        try {
          caller.complete(result.apply(value));
        } catch (RuntimeException | Error e) {
          caller.completeExceptionally(e);
        }
      };
      if (Thread.currentThread() instanceof ViewThread own && own.view == this) {
        complete.run();
      } else {
        try {
          completions().execute(complete);
        } catch (RejectedExecutionException closed) {
          // The adapter is closed and its threads are gone: the last outcomes are handed over here.
          complete.run();
        }
      }
    });
    return caller;
  }

  /** @return the failure the blocking call would throw: never a wrapper of the stages in between */
  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private ExecutorService completions() {
    ExecutorService pool = completions;
    if (pool == null) {
      synchronized (lock) {
        pool = completions;
        if (pool == null) {
          pool = newPool("async", COMPLETION_THREADS);
          completions = pool;
        }
      }
    }
    return pool;
  }

  private ExecutorService blocking() {
    ExecutorService pool = blocking;
    if (pool == null) {
      synchronized (lock) {
        pool = blocking;
        if (pool == null) {
          pool = newPool("async-blocking", BLOCKING_THREADS);
          blocking = pool;
        }
      }
    }
    return pool;
  }

  private ExecutorService newPool(String role, int threads) {
    if (shutDown) {
      throw new RejectedExecutionException(adapter + " is closed");
    }
    AtomicInteger number = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), task -> {
          ViewThread thread = new ViewThread(this, task, name + " " + role + "-" + number.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    // Idle threads go away: an adapter that used the API once keeps no threads.
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Stops taking work once the adapter is closed; stages still pending complete (failed, for calls
   * whose connection closed) on the threads that finish them.
   */
  void shutdown() {
    synchronized (lock) {
      shutDown = true;
      if (completions != null) {
        completions.shutdown();
      }
      if (blocking != null) {
        blocking.shutdown();
      }
    }
  }

  /** A thread of this view: the caller's stage completes on it without a further hop. */
  private static final class ViewThread extends Thread {
    private final AsyncView view;

    ViewThread(AsyncView view, Runnable task, String name) {
      super(task, name);
      this.view = view;
    }
  }
}
