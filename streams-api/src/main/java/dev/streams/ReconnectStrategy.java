package dev.streams;

import java.time.Duration;
import java.util.Objects;

/**
 * Decides, for each attempt to re-establish a lost connection, how long to wait first, or to give
 * up (C1). The model's {@code reconnectStrategy: (retries) => number | Error}.
 *
 * <pre>{@code
 * ReconnectStrategy strategy = attempt -> attempt > 20
 *     ? ReconnectStrategy.giveUp("Too many retries")
 *     : ReconnectStrategy.retryAfter(Duration.ofMillis(Math.min(attempt * 50L, 2000)));
 * }</pre>
 */
@FunctionalInterface
public interface ReconnectStrategy {

  /**
   * @param attempt the attempt about to be made, starting at 1 after each loss of connection
   * @return {@link #retryAfter(Duration)} or {@link #giveUp(String)}
   */
  Decision decide(int attempt);

  /** What to do before a reconnection attempt. */
  sealed interface Decision permits RetryAfter, GiveUp {}

  /**
   * Try again after a delay.
   *
   * @param delay how long to wait before the attempt, zero or more
   */
  record RetryAfter(Duration delay) implements Decision {
    /**
     * @throws IllegalArgumentException if the delay is null or negative
     */
    public RetryAfter {
      if (delay == null || delay.isNegative()) {
        throw new IllegalArgumentException("reconnect delay must be zero or positive, but was " + delay);
      }
    }
  }

  /**
   * Stop reconnecting; later calls fail with a {@link StreamConnectionException} carrying the reason.
   *
   * @param reason why, for the exception message
   */
  record GiveUp(String reason) implements Decision {
    /**
     * @throws NullPointerException if the reason is null
     */
    public GiveUp {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * @param delay the wait before the attempt
   * @return a decision to try again
   */
  static Decision retryAfter(Duration delay) {
    return new RetryAfter(delay);
  }

  /**
   * @param reason why reconnecting stops
   * @return a decision to stop
   */
  static Decision giveUp(String reason) {
    return new GiveUp(reason);
  }

  /**
   * The default: wait {@code attempt × step}, at most {@code max}, and never give up.
   *
   * @param step the growth per attempt
   * @param max the longest wait
   * @return the strategy
   */
  static ReconnectStrategy linearBackoff(Duration step, Duration max) {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(max, "max");
    return attempt -> {
      Duration delay = step.multipliedBy(Math.max(1, attempt));
      return retryAfter(delay.compareTo(max) > 0 ? max : delay);
    };
  }

  /** @return {@code linearBackoff(50 ms, 2 s)}, the default strategy */
  static ReconnectStrategy defaultStrategy() {
    return linearBackoff(Duration.ofMillis(50), Duration.ofSeconds(2));
  }
}
