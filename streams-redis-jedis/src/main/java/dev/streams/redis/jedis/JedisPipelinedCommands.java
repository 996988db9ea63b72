package dev.streams.redis.jedis;

import dev.streams.redis.internal.AsyncRedisCommands;
import dev.streams.redis.internal.RedisCommands.ScriptReply;
import dev.streams.redis.internal.RedisErrorReply;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.IntConsumer;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * The asynchronous commands of the Jedis backend (A1): one connection of their own, written by one
 * writer thread and read by one reader thread, so that no call needs a thread of its own and
 * concurrent calls share system calls.
 *
 * <p>Callers only queue their command and return. The writer takes everything queued since its last
 * write, writes it all and flushes once: one system call per batch, however many callers (the batch
 * sizes go to {@link #onBatch}). The reader reads the replies in the order the commands were written
 * and completes each call's future on its own thread (the adapter hands the caller's stage on to
 * its own threads, A1). An error reply fails only its call; a connection failure or a reply not
 * given within the command timeout (the socket's read timeout) fails every call written on that
 * connection, and the next batch opens a new one.
 */
final class JedisPipelinedCommands implements AsyncRedisCommands, AutoCloseable {

  /** The most commands one write carries; the output buffer flushes on its own when it fills too. */
  private static final int MAX_BATCH = 1024;

  private final JedisSettings settings;
  /** The pool's gate: after a connection failure, a new connection is opened as the strategy says (E7). */
  private final ReconnectGate gate;
  private final JedisSocketFactory sockets;
  private final ConcurrentLinkedQueue<Call> queue = new ConcurrentLinkedQueue<>();
  private final Object lifecycle = new Object();
  private volatile IntConsumer batches = commands -> {};
  /** Calls sent and not yet completed. */
  private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean writerWaiting;
  private volatile boolean closed;
  private volatile Thread writer;
  /** The live connection; only the writer thread opens and replaces it. */
  private Session session;

  JedisPipelinedCommands(JedisSettings settings, ReconnectGate gate) {
    this.settings = settings;
    this.gate = gate;
    this.sockets = new DefaultJedisSocketFactory(settings.hostAndPort(), settings.clientConfig());
  }

  /** @param batches told the number of commands of each write */
  void onBatch(IntConsumer batches) {
    this.batches = batches;
  }

  @Override
  public CompletableFuture<String> getAsync(String key) {
    return send("running GET", new CommandArguments(Protocol.Command.GET).key(key),
        JedisPipelinedCommands::text);
  }

  @Override
  public CompletableFuture<Object> evalshaAsync(String sha1, ScriptReply reply, List<String> keys, List<String> args) {
    return send("running a script", script(Protocol.Command.EVALSHA, sha1, keys, args), decoder(reply));
  }

  @Override
  public CompletableFuture<Object> evalAsync(String script, ScriptReply reply, List<String> keys, List<String> args) {
    return send("running a script", script(Protocol.Command.EVAL, script, keys, args), decoder(reply));
  }

  @Override
  public CompletableFuture<Void> publishAsync(String channel, String message) {
    return send("publishing", new CommandArguments(Protocol.Command.PUBLISH).add(channel).add(message),
        receivers -> null);
  }

  private static CommandArguments script(Protocol.Command command, String script, List<String> keys,
      List<String> args) {
    return new CommandArguments(command).add(script).add(keys.size()).keys(keys).addObjects(args);
  }

  private static Function<Object, Object> decoder(ScriptReply reply) {
    return reply == ScriptReply.INTEGER ? value -> value : JedisPipelinedCommands::text;
  }

  private static String text(Object reply) {
    return reply == null ? null : SafeEncoder.encode((byte[]) reply);
  }

  /**
   * @return whether calls are in flight here: a blocking caller then joins them (its command goes
   *     out in the next batch) instead of taking a pooled connection of its own
   */
  boolean isBusy() {
    return pending.get() > 0;
  }

  /**
   * Waits for a call sent here, for a blocking caller: its failure is thrown as is.
   *
   * @param future the call's future
   * @return its value
   */
  <T> T await(String action, CompletableFuture<T> future) {
    // The reader fails a call within the command timeout; opening a connection takes at most the
    // connect timeout: beyond both, something is wrong here, not at the server.
    java.time.Duration wait = settings.config().commandTimeout().plus(settings.config().connectTimeout())
        .plusSeconds(1);
    try {
      return future.get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw settings.failures().connectionFailure(action, e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw settings.failures().failure(action, "no answer within " + wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw settings.failures().connectionFailure(action, e);
    }
  }

  private <T> CompletableFuture<T> send(String action, CommandArguments command, Function<Object, T> decoder) {
    Call call = new Call(action, command, decoder);
    try {
      // The strategy gave up (E7): down for good, as every other call.
      settings.giveUp().requireNotGivenUp();
    } catch (RuntimeException e) {
      call.future.completeExceptionally(e);
      return call.future();
    }
    pending.incrementAndGet();
    call.future.whenComplete((value, failure) -> pending.decrementAndGet());
    if (closed) {
      call.future.completeExceptionally(closedFailure());
      return call.future();
    }
    queue.add(call);
    if (writer == null) {
      startWriter();
    }
    if (writerWaiting) {
      LockSupport.unpark(writer);
    }
    if (closed) {
      // Closed meanwhile: the writer may be gone; fail whatever it left.
      failQueued();
    }
    return call.future();
  }

  private void startWriter() {
    synchronized (lifecycle) {
      if (writer == null && !closed) {
        Thread thread = new Thread(this::write, "streams redis-jedis://" + settings.config().endpoint()
            + " pipeline writer");
        thread.setDaemon(true);
        thread.start();
        writer = thread;
      }
    }
  }

  /** The writer thread: batch by batch, until closed. */
  private void write() {
    List<Call> batch = new ArrayList<>();
    while (!closed) {
      Call next = queue.poll();
      if (next == null) {
        writerWaiting = true;
        if (queue.isEmpty() && !closed) {
          LockSupport.park(this);
        }
        writerWaiting = false;
        continue;
      }
      batch.clear();
      do {
        batch.add(next);
      } while (batch.size() < MAX_BATCH && (next = queue.poll()) != null);
      writeBatch(batch);
    }
    failQueued();
    synchronized (lifecycle) {
      if (session != null) {
        session.close();
      }
    }
  }

  private void writeBatch(List<Call> batch) {
    Session current = session;
    if (current == null || current.isDead()) {
      String action = batch.get(0).action;
      boolean probe;
      try {
        probe = gate.enter(action);
      } catch (RuntimeException turnedAway) {
        // Reconnecting, and not yet time to try: the batch fails at once, as pooled calls do.
        batch.forEach(call -> call.future.completeExceptionally(turnedAway));
        return;
      }
      try {
        current = new Session(new Connection(sockets, settings.clientConfig()));
        gate.answered(probe);
      } catch (RuntimeException e) {
        RuntimeException failure = gate.failed(probe, settings.failures().connectionFailure(action, e));
        for (Call call : batch) {
          call.future.completeExceptionally(call.action.equals(action) ? failure
              : settings.failures().connectionFailure(call.action, e));
        }
        return;
      }
      synchronized (lifecycle) {
        session = current;
      }
      if (closed) {
        current.close();
      }
    }
    try {
      for (Call call : batch) {
        if (!current.expect(call)) {
          return;
        }
        current.connection.sendCommand(call.command);
      }
      // Flushes what is buffered and reads nothing: the reader thread reads the replies.
      current.connection.getMany(0);
      batches.accept(batch.size());
    } catch (RuntimeException e) {
      current.fail(e);
    }
  }

  private void failQueued() {
    Call call;
    while ((call = queue.poll()) != null) {
      call.future.completeExceptionally(closedFailure());
    }
  }

  private IllegalStateException closedFailure() {
    return new IllegalStateException("the redis-jedis adapter for " + settings.config().endpoint() + " is closed");
  }

  @Override
  public void close() {
    closed = true;
    Thread thread;
    synchronized (lifecycle) {
      thread = writer;
      if (session != null) {
        // Ends the reader: the calls still awaiting a reply fail as a lost connection.
        session.close();
      }
    }
    if (thread != null) {
      LockSupport.unpark(thread);
    } else {
      failQueued();
    }
  }

  /** One command and the future of its caller. */
  private static final class Call {
    private final String action;
    private final CommandArguments command;
    private final Function<Object, ?> decoder;
    private final CompletableFuture<Object> future = new CompletableFuture<>();

    Call(String action, CommandArguments command, Function<Object, ?> decoder) {
      this.action = action;
      this.command = command;
      this.decoder = decoder;
    }

    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> future() {
      return (CompletableFuture<T>) future;
    }

    void answer(Object reply) {
      try {
        future.complete(decoder.apply(reply));
      } catch (RuntimeException e) {
        future.completeExceptionally(e);
      }
    }
  }

  /** One connection, the calls written on it awaiting their replies, and its reader thread. */
  private final class Session {
    private final Connection connection;
    private final ArrayDeque<Call> awaiting = new ArrayDeque<>();
    private boolean dead;

    Session(Connection connection) {
      this.connection = connection;
      Thread reader = new Thread(this::read, "streams redis-jedis://" + settings.config().endpoint()
          + " pipeline reader");
      reader.setDaemon(true);
      reader.start();
    }

    synchronized boolean isDead() {
      return dead;
    }

    /** @return false if the connection has failed: the call was failed with it */
    boolean expect(Call call) {
      synchronized (this) {
        if (!dead) {
          awaiting.add(call);
          notifyAll();
          return true;
        }
      }
      call.future.completeExceptionally(settings.failures().connectionFailure(call.action,
          new IllegalStateException("the connection failed")));
      return false;
    }

    private synchronized Call next() throws InterruptedException {
      while (awaiting.isEmpty() && !dead) {
        wait();
      }
      return dead ? null : awaiting.peek();
    }

    private void read() {
      while (true) {
        Call call;
        try {
          call = next();
        } catch (InterruptedException e) {
          fail(e);
          return;
        }
        if (call == null) {
          return;
        }
        Object reply;
        try {
          reply = connection.getUnflushedObject();
        } catch (JedisDataException e) {
          // An error reply (WRONGTYPE, NOSCRIPT, NOPERM, a script's error): only this call fails.
          taken(call);
          call.future.completeExceptionally(new RedisErrorReply(e.getMessage(), e));
          continue;
        } catch (RuntimeException e) {
          fail(e);
          return;
        }
        taken(call);
        call.answer(reply);
      }
    }

    /** The head call's reply was read: it leaves the queue (fail may have emptied it already). */
    private synchronized void taken(Call call) {
      if (awaiting.peek() == call) {
        awaiting.poll();
      }
    }

    /** Fails every call written on this connection, and closes it. */
    void fail(Throwable cause) {
      List<Call> failed;
      synchronized (this) {
        if (dead) {
          return;
        }
        dead = true;
        failed = new ArrayList<>(awaiting);
        awaiting.clear();
        notifyAll();
      }
      for (Call call : failed) {
        call.future.completeExceptionally(settings.failures().connectionFailure(call.action, cause));
      }
      if (!closed && !failed.isEmpty()) {
        // Calls were lost with the connection: an outage begins, as for a pooled call (E7).
        gate.failed(false, settings.failures().connectionFailure(failed.get(0).action, cause));
      }
      connection.close();
    }

    void close() {
      fail(new IllegalStateException("the adapter is closed"));
    }
  }
}
