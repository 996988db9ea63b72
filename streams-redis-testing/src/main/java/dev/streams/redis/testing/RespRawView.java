package dev.streams.redis.testing;

import dev.streams.redis.server.RawSubscriber;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.tck.RawListener;
import dev.streams.tck.RawView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import dev.streams.StreamLayout;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The raw view of the Redis TCK stores on plain RESP, and their hold of writes, written once for one
 * server ({@link RedisTckStore}) and for a cluster ({@link RedisClusterTckStore}): a subclass says
 * where a command goes, which nodes hold keys and where a subscriber connects.
 */
abstract class RespRawView implements RawView {

  /** One node's commands, e.g. a connection's {@code call}. */
  @FunctionalInterface
  interface Commands {
    /**
     * @param args the command and its arguments
     * @return the reply, as {@link dev.streams.redis.server.RespConnection#call} gives it
     */
    Object call(String... args);
  }

  private static final java.time.Duration BARRIER_WAIT = java.time.Duration.ofSeconds(10);

  private final StreamLayout runLayout;

  /** @param runLayout the layout of the TCK run: how events travel unless a listener names another */
  RespRawView(StreamLayout runLayout) {
    this.runLayout = runLayout;
  }

  /**
   * @param layout the layout whose events are meant
   * @return whether they travel on sharded pub/sub ({@code SPUBLISH} / {@code SSUBSCRIBE} on the
   *     channel's slot owner: the hash layout on a cluster, L3) rather than classic pub/sub
   */
  abstract boolean shardedEvents(StreamLayout layout);

  /**
   * Runs one command.
   *
   * @param key the key (or shard channel) the command is about, which a cluster routes by; null
   *     for a command about no key, which any node may run
   * @param args the command and its arguments
   * @return the reply
   */
  abstract Object call(String key, String... args);

  /** @return the commands of every node that holds keys: the one server, or every primary */
  abstract List<Commands> keyHolders();

  /**
   * @param channel the channel a subscriber listens on; null for a classic one, which any node serves
   * @return where the subscriber connects: the server, or the channel's slot owner
   */
  abstract RedisEndpoint subscriberEndpoint(String channel);

  /**
   * Pauses the writes of every node that holds keys ({@code CLIENT PAUSE ... WRITE}: scripts and
   * PUBLISH wait, reads and {@code CLIENT UNPAUSE} go on) until the returned hold is closed.
   *
   * @return the hold; closing it unpauses every node
   */
  final AutoCloseable holdWrites() {
    List<Commands> paused = new ArrayList<>();
    try {
      for (Commands node : keyHolders()) {
        node.call("CLIENT", "PAUSE", "600000", "WRITE");
        paused.add(node);
      }
    } catch (RuntimeException e) {
      // Not every node paused: release the ones that did rather than leave them paused for ten minutes.
      unpause(paused, e);
      throw e;
    }
    return () -> unpause(paused, null);
  }

  /** Unpauses every node, even after one fails; throws the first failure after the others. */
  private static void unpause(List<Commands> nodes, RuntimeException pending) {
    RuntimeException failure = pending;
    for (Commands node : nodes) {
      try {
        node.call("CLIENT", "UNPAUSE");
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null && failure != pending) {
      throw failure;
    }
  }

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable((String) call(key, "GET", key));
  }

  /** Every key of every node that holds keys, {@code SCAN}ned node by node. */
  @Override
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (Commands node : keyHolders()) {
      String cursor = "0";
      do {
        List<?> page = (List<?>) node.call("SCAN", cursor, "COUNT", "1000");
        cursor = (String) page.get(0);
        for (Object key : (List<?>) page.get(1)) {
          keys.add((String) key);
        }
      } while (!"0".equals(cursor));
    }
    return keys;
  }

  @Override
  public void putForeign(String key, String value) {
    call(key, "SET", key, value);
  }

  @Override
  public boolean putForeignHash(String key, String field, String value) {
    call(key, "HSET", key, field, value);
    return true;
  }

  @Override
  public Map<String, String> getHash(String key) {
    List<?> fieldsAndValues = (List<?>) call(key, "HGETALL", key);
    Map<String, String> hash = new LinkedHashMap<>();
    for (int i = 0; i + 1 < fieldsAndValues.size(); i += 2) {
      hash.put((String) fieldsAndValues.get(i), (String) fieldsAndValues.get(i + 1));
    }
    return hash;
  }

  @Override
  public void publish(String channel, String message) {
    if (shardedEvents(runLayout)) {
      call(channel, "SPUBLISH", channel, message);
    } else {
      call(null, "PUBLISH", channel, message);
    }
  }

  @Override
  public RawListener listen(String channel) {
    return listen(channel, runLayout);
  }

  /** Classic events on a cluster come from every primary: the message goes out from each of them. */
  @Override
  public int publishFromEveryNode(String channel, String message) {
    List<Commands> origins = keyHolders();
    for (Commands origin : origins) {
      origin.call("PUBLISH", channel, message);
    }
    return origins.size();
  }

  /**
   * Established when this returns. On a cluster's classic pub/sub that takes a barrier, as the
   * backends' flat subscribers have (L3): messages published elsewhere before the subscription may
   * still be on their way over the cluster bus, so a token goes out on the channel from every primary
   * and what arrives before the last copy is dropped (each bus link keeps its order).
   */
  @Override
  public RawListener listen(String channel, StreamLayout layout) {
    // The listener exists before the subscription, so no message can find it missing.
    RawSubscriber[] subscriber = new RawSubscriber[1];
    RawListener listener = new RawListener(channel, () -> subscriber[0].close());
    List<Commands> origins = shardedEvents(layout) ? List.of() : keyHolders();
    String token = "streams-tck-raw-barrier:" + UUID.randomUUID();
    CountDownLatch copies = new CountDownLatch(origins.size() > 1 ? origins.size() : 0);
    Consumer<byte[]> onMessage = bytes -> {
      String message = new String(bytes, StandardCharsets.UTF_8);
      if (message.equals(token)) {
        copies.countDown();
      } else if (copies.getCount() == 0) {
        listener.received(message);
      }
    };
    subscriber[0] = shardedEvents(layout)
        ? RawSubscriber.startSharded(subscriberEndpoint(channel), channel, onMessage)
        : RawSubscriber.start(subscriberEndpoint(null), channel, onMessage);
    if (copies.getCount() > 0) {
      for (Commands origin : origins) {
        origin.call("PUBLISH", channel, token);
      }
      try {
        if (!copies.await(BARRIER_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          subscriber[0].close();
          throw new IllegalStateException("raw subscription to " + channel + ": " + copies.getCount()
              + " of " + origins.size() + " primaries' barrier copies did not arrive within " + BARRIER_WAIT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        subscriber[0].close();
        throw new IllegalStateException("interrupted while subscribing " + channel, e);
      }
    }
    return listener;
  }
}
