package dev.streams.redis.jedis;

import dev.streams.ReconnectStrategy;
import dev.streams.redis.internal.ReconnectStrategyGuard;
import java.util.concurrent.TimeUnit;

/**
 * The reconnect strategy applied to the command pool, which opens connections on demand (E7): after
 * a connection failure, calls fail at once until the strategy's delay has passed, then one call
 * tries the server again (an attempt); a success opens the gate, a failure asks the strategy for the
 * next delay. When the strategy gives up, the adapter is down for good ({@link JedisSettings#giveUp()}),
 * as on Lettuce.
 */
final class ReconnectGate {

  private final JedisSettings settings;
  private final Object lock = new Object();
  /** Failed attempts since the server last answered; 0 while connected. Written under lock. */
  private volatile int attempt;
  /** Before this System.nanoTime(), calls fail at once. Guarded by lock. */
  private long nextAttempt;
  /** Whether one call is trying the server now. Guarded by lock. */
  private boolean probing;
  /** The message of the failure that closed the gate, for the calls it turns away. Guarded by lock. */
  private String lastFailure;

  ReconnectGate(JedisSettings settings) {
    this.settings = settings;
  }

  /**
   * Lets a call through the gate, or fails it at once.
   *
   * @param action what the call does, for the message of a call turned away
   * @return whether this call is the attempt that tries the server again after a failure
   */
  boolean enter(String action) {
    // The strategy gave up, here or on the subscriber connection: the adapter is down for good.
    settings.giveUp().requireNotGivenUp();
    if (attempt == 0) {
      return false;
    }
    synchronized (lock) {
      if (attempt == 0) {
        return false;
      }
      long wait = nextAttempt - System.nanoTime();
      if (probing || wait > 0) {
        throw settings.failures().failure(action, "not connected; reconnecting (attempt " + attempt
            + (wait > 0 ? ", next in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms" : "")
            + "; last failure: " + lastFailure + ")");
      }
      probing = true;
      return true;
    }
  }

  /**
   * The server answered (a reply or an error reply): the gate opens.
   *
   * @param probe what {@link #enter} returned for the call
   */
  void answered(boolean probe) {
    if (attempt == 0 && !probe) {
      return;
    }
    synchronized (lock) {
      attempt = 0;
      probing = false;
    }
  }

  /**
   * A call that learnt nothing about the server: a probe leaves the next call free to try.
   *
   * @param probe what {@link #enter} returned for the call
   */
  void released(boolean probe) {
    if (probe) {
      synchronized (lock) {
        probing = false;
      }
    }
  }

  /**
   * A connection failure: the first of an outage, or a failed attempt, asks the strategy.
   *
   * @param probe what {@link #enter} returned for the call
   * @param failure the exception the call throws
   * @return {@code failure}
   */
  RuntimeException failed(boolean probe, RuntimeException failure) {
    String gaveUp = null;
    synchronized (lock) {
      if (!probe && attempt > 0) {
        // Was in flight when the outage began: that failure is already counted.
        return failure;
      }
      probing = false;
      attempt++;
      lastFailure = failure.getMessage();
      ReconnectStrategy.Decision decision =
          ReconnectStrategyGuard.decide(settings.config().reconnectStrategy(), attempt);
      if (decision instanceof ReconnectStrategy.RetryAfter retry) {
        nextAttempt = System.nanoTime() + retry.delay().toNanos();
      } else {
        gaveUp = ((ReconnectStrategy.GiveUp) decision).reason();
      }
    }
    if (gaveUp != null) {
      // Outside the lock: the subscriber ends every subscription on this thread.
      settings.giveUp().giveUp(gaveUp);
    }
    return failure;
  }
}
