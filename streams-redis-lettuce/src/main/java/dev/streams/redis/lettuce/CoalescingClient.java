package dev.streams.redis.lettuce;

import io.lettuce.core.RedisURI;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.netty.channel.Channel;
import java.util.Collection;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The client of the command connection: its endpoint writes what concurrent callers send in batches.
 *
 * <p>Lettuce's default flushes every command on its own: each caller's command becomes a task on
 * the connection's event loop that writes and flushes it, one system call per command, however many
 * callers are waiting. This endpoint buffers commands instead (Lettuce's
 * {@code setAutoFlushCommands(false)}) and, when a command finds nothing waiting to be flushed,
 * schedules one flush on the event loop. Every command buffered until that flush runs goes out with
 * it: one write for all the callers (blocking threads or stages) that sent meanwhile, and for all
 * commands that continuations on the event loop sent while it was reading replies. A lone caller
 * waits no longer than with Lettuce's default: its command reaches the event loop in one hand-off
 * either way. Its handshake is watched as every connection's of the backend
 * ({@link HandshakeWatchingClient}).
 */
class CoalescingClient extends HandshakeWatchingClient {

  private volatile IntConsumer batches = commands -> {};

  CoalescingClient(ClientResources resources, RedisURI uri) {
    super(resources, uri);
  }

  /** @param batches told the number of commands of each flush */
  void onBatch(IntConsumer batches) {
    this.batches = batches;
  }

  @Override
  protected DefaultEndpoint createEndpoint() {
    return new CoalescingEndpoint(this);
  }

  /** An endpoint that flushes once per batch of buffered commands. */
  private static final class CoalescingEndpoint extends DefaultEndpoint {
    private final CoalescingClient client;
    /** Commands buffered since the last flush began; the first one schedules the next flush. */
    private final AtomicInteger unflushed = new AtomicInteger();

    CoalescingEndpoint(CoalescingClient client) {
      super(client.getOptions(), client.getResources());
      this.client = client;
      setAutoFlushCommands(false);
    }

    @Override
    public <K, V, T> RedisCommand<K, V, T> write(RedisCommand<K, V, T> command) {
      RedisCommand<K, V, T> written = super.write(command);
      written(1);
      return written;
    }

    @Override
    public <K, V> Collection<RedisCommand<K, V, ?>> write(Collection<? extends RedisCommand<K, V, ?>> commands) {
      Collection<RedisCommand<K, V, ?>> written = super.write(commands);
      written(commands.size());
      return written;
    }

    private void written(int commands) {
      if (unflushed.getAndAdd(commands) != 0) {
        // A flush is scheduled and has not begun: it takes these commands too.
        return;
      }
      Channel current = channel;
      if (current == null) {
        // Not connected: Lettuce's flush moves the commands to its buffer for the reconnection.
        flushBatch();
        return;
      }
      try {
        current.eventLoop().execute(this::flushBatch);
      } catch (RejectedExecutionException shuttingDown) {
        flushBatch();
      }
    }

    private void flushBatch() {
      int commands = unflushed.getAndSet(0);
      flushCommands();
      if (commands > 0) {
        client.batches.accept(commands);
      }
    }
  }
}
