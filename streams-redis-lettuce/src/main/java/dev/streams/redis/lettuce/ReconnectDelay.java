package dev.streams.redis.lettuce;

import dev.streams.ReconnectStrategy;
import dev.streams.redis.internal.ReconnectStrategyGuard;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The configured {@link ReconnectStrategy} as Lettuce's reconnect delay. Lettuce asks before each
 * attempt of each connection (attempts count from 1 after every loss). When the strategy gives up,
 * the adapter is told, which closes its connections; the long delay returned meanwhile keeps this
 * attempt from running before that close cancels it.
 */
final class ReconnectDelay extends Delay {

  /** Far beyond any test or outage; the connection is closed long before it runs out. */
  private static final Duration NEVER = Duration.ofDays(1);

  private final ReconnectStrategy strategy;
  private final Consumer<String> onGiveUp;

  /**
   * @param strategy the configured strategy
   * @param onGiveUp told the reason on Lettuce's thread each time the strategy gives up; must not block
   */
  ReconnectDelay(ReconnectStrategy strategy, Consumer<String> onGiveUp) {
    this.strategy = strategy;
    this.onGiveUp = onGiveUp;
  }

  @Override
  public Duration createDelay(long attempt) {
    ReconnectStrategy.Decision decision = ReconnectStrategyGuard.decide(strategy, attempt);
    if (decision instanceof ReconnectStrategy.RetryAfter retry) {
      return retry.delay();
    }
    onGiveUp.accept(((ReconnectStrategy.GiveUp) decision).reason());
    return NEVER;
  }
}
