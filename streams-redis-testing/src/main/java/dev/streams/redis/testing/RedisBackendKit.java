package dev.streams.redis.testing;

import dev.streams.StreamAdapterProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis backend kit: every scenario a Redis backend runs against real {@code redis-server}s,
 * beyond what the TCK can check (connections to break, servers to kill, pause and reconfigure). A
 * Redis backend runs all of it from one class, as it runs the TCK from one:
 *
 * <pre>{@code
 * @DisplayName("Redis kit on the redis-jedis backend")
 * class JedisKitTest extends RedisBackendKit {
 *   protected StreamAdapterProvider provider() { return new JedisStreamsProvider(); }
 * }
 * }</pre>
 *
 * <p>Its families are the nested classes below. Every test's display name starts with the id of
 * the clause of docs/CONTRACT.md it checks ({@code "E7 — ..."}), as the TCK's do, and the clauses the
 * index {@link dev.streams.tck.Clause} marks as checked by the Redis kit each have a test here. A
 * family that kills, pauses or reconfigures a server, or kills its clients, does so on a server of
 * each test's own, never on the shared one. Scenarios log what they observed (timings, counts) at
 * INFO under their family's class name.
 */
public abstract class RedisBackendKit {

  /** The shared server of the test run; families that harm a server start their own. */
  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  /** For a backend's kit test. */
  protected RedisBackendKit() {}

  /** @return the provider of the backend under test */
  protected abstract StreamAdapterProvider provider();

  @Nested
  @DisplayName("configuration")
  class Configuration extends ConfigurationFamily {
    Configuration() {
      super(RedisBackendKit.this);
    }
  }

  @Nested
  @DisplayName("the subscriber connection")
  class Subscriber extends SubscriberFamily {
    Subscriber() {
      super(RedisBackendKit.this);
    }
  }

  @Nested
  @DisplayName("server faults: crash, pause, give-up")
  class Faults extends FaultFamily {
    Faults() {
      super(RedisBackendKit.this);
    }
  }

  @Nested
  @DisplayName("the subscriber keepalive")
  class KeepAlive extends KeepAliveFamily {
    KeepAlive() {
      super(RedisBackendKit.this);
    }
  }

  @Nested
  @DisplayName("a group of 100,000 items in a small heap")
  class LargeGroup extends LargeGroupFamily {
    LargeGroup() {
      super(RedisBackendKit.this);
    }
  }

  @Nested
  @DisplayName("a group of 100,000 items in a small heap, hash layout")
  class LargeGroupHash extends LargeGroupFamily {
    LargeGroupHash() {
      super(RedisBackendKit.this, dev.streams.StreamLayout.HASH);
    }
  }

  @Nested
  @DisplayName("the password under faults")
  class Security extends SecurityFamily {
    Security() {
      super(RedisBackendKit.this);
    }
  }

  @Nested
  @DisplayName("TLS")
  class Tls extends TlsFamily {
    Tls() {
      super(RedisBackendKit.this);
    }
  }
}
