package dev.streams.redis.internal;

import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the reconnect strategy of an adapter gave up, on its command path or its subscriber: from
 * then on the adapter is down for good, on both backends alike (E7). The first give-up wins; it tells
 * every part of the adapter that registered with {@link #whenGivenUp}, once, on the thread that gave
 * up.
 */
public final class ReconnectGiveUp {

  private static final Logger LOG = LoggerFactory.getLogger(ReconnectGiveUp.class);

  private final String endpoint;
  private final List<Consumer<String>> actions = new ArrayList<>();
  private volatile String reason;

  /** @param config the configuration whose endpoint the messages name */
  public ReconnectGiveUp(StreamConfig config) {
    this.endpoint = config.endpoint();
  }

  /**
   * Records that the strategy gave up and, the first time, runs every registered action with the
   * reason.
   *
   * @param reason the strategy's reason
   * @return whether this is the first give-up
   */
  public boolean giveUp(String reason) {
    List<Consumer<String>> toRun;
    synchronized (actions) {
      if (this.reason != null) {
        return false;
      }
      this.reason = reason;
      toRun = List.copyOf(actions);
      actions.clear();
    }
    LOG.error("Gave up reconnecting to {}: {}; calls fail from now on and subscriptions end",
        endpoint, reason);
    for (Consumer<String> action : toRun) {
      action.accept(reason);
    }
    return true;
  }

  /**
   * @param action told the strategy's reason once it gives up; at once if it already has. It must
   *     not block the thread that gave up (a client's I/O thread, on Lettuce)
   */
  public void whenGivenUp(Consumer<String> action) {
    String given;
    synchronized (actions) {
      given = reason;
      if (given == null) {
        actions.add(action);
      }
    }
    if (given != null) {
      action.accept(given);
    }
  }

  /** @return whether the reconnect strategy gave up */
  public boolean hasGivenUp() {
    return reason != null;
  }

  /** @return the strategy's reason, if it gave up */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** @throws StreamConnectionException carrying the reason if the reconnect strategy gave up */
  public void requireNotGivenUp() {
    String given = reason;
    if (given != null) {
      // The reason is the application's own strategy's text.
      throw new StreamConnectionException("Redis at " + endpoint
          + ": the connection was lost and the reconnect strategy gave up: " + given);
    }
  }
}
