package dev.streams.redis.internal;

import dev.streams.ReconnectStrategy;

/**
 * Asks the application's {@link ReconnectStrategy} what to do next, guarded the same way on both
 * Redis backends (E7): the attempt number is clamped, and a strategy that throws counts as giving up.
 */
public final class ReconnectStrategyGuard {

  private ReconnectStrategyGuard() {}

  /**
   * @param strategy the configured strategy
   * @param attempt the attempt about to be made, from 1 (clamped to 1 … {@link Integer#MAX_VALUE})
   * @return the strategy's decision; a strategy that throws cannot say when to retry, so that counts
   *     as giving up, with the reason saying why
   */
  public static ReconnectStrategy.Decision decide(ReconnectStrategy strategy, long attempt) {
    try {
      return strategy.decide((int) Math.min(Integer.MAX_VALUE, Math.max(1, attempt)));
    } catch (RuntimeException e) {
      return ReconnectStrategy.giveUp("the reconnect strategy failed: " + e);
    }
  }
}
