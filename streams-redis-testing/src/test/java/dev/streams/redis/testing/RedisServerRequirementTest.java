package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.streams.StreamAdapter;
import dev.streams.StreamAdapterProvider;
import dev.streams.StreamConfig;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The Redis contracts that start servers of their own fail, never skip, where {@code redis-server}
 * is missing, and say what to install. Runs them on a PATH without it, through the JUnit engine.
 */
class RedisServerRequirementTest {

  /** A backend that is never reached: every contract run here stops before it opens an adapter. */
  static final class Unreachable implements StreamAdapterProvider {
    @Override
    public String name() {
      return "unreachable";
    }

    @Override
    public StreamAdapter open(StreamConfig config) {
      throw new AssertionError("the contract should have failed before opening an adapter");
    }
  }

  static final class Security extends RedisSecurityContract {
    @Override
    protected StreamAdapterProvider provider() {
      return new Unreachable();
    }
  }

  static final class Configuration extends RedisConfigurationContract {
    @Override
    protected StreamAdapterProvider provider() {
      return new Unreachable();
    }
  }

  static final class Subscriber extends RedisSubscriberContract {
    @Override
    protected StreamAdapterProvider provider() {
      return new Unreachable();
    }
  }

  static final class Faults extends RedisFaultContract {
    @Override
    protected StreamAdapterProvider provider() {
      return new Unreachable();
    }
  }

  static final class KeepAlive extends RedisKeepAliveContract {
    @Override
    protected StreamAdapterProvider provider() {
      return new Unreachable();
    }
  }

  static final class LargeGroup extends RedisLargeGroupContract {
    @Override
    protected StreamAdapterProvider provider() {
      return new Unreachable();
    }
  }

  @BeforeAll
  static void provisionTheSharedServerFirst() {
    // The shared server may come from redis-server too; it is provisioned while the PATH is intact,
    // so that only the contracts' own servers meet the PATH without it.
    RedisServerExtension.sharedServer();
  }

  @AfterEach
  void restorePath() {
    RedisServerExtension.searchPathOverride = null;
  }

  @Test
  @DisplayName("without redis-server on the PATH, every contract that starts its own server fails naming the Debian package, none is skipped")
  void contractsFailWithoutRedisServer() {
    RedisServerExtension.searchPathOverride = "/nonexistent-streams-test-dir";
    List<DiscoverySelector> selectors = List.of(
        selectMethod(Security.class, "passwordNeverShown"),
        selectMethod(Configuration.class, "requirePassServer"),
        selectMethod(Subscriber.class, "serverRestart"),
        selectClass(Faults.class),
        selectClass(KeepAlive.class),
        selectClass(LargeGroup.class));
    Events events = EngineTestKit.engine("junit-jupiter").selectors(selectors.toArray(DiscoverySelector[]::new))
        .execute().allEvents();

    assertThat(events.skipped().count()).as("skipped").isZero();
    assertThat(events.aborted().list()).as("aborted (assumptions)").isEmpty();
    List<Event> failed = events.failed().list();
    assertThat(failed).as("failed tests and classes").hasSizeGreaterThanOrEqualTo(6);
    for (Event failure : failed) {
      Throwable thrown = failure.getPayload(org.junit.platform.engine.TestExecutionResult.class)
          .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow();
      assertThat(thrown).as("failure of %s", failure.getTestDescriptor().getDisplayName())
          .hasMessageContaining("redis-server is not on the PATH")
          .hasMessageContaining("Debian package redis-server");
    }
    assertThat(failed.stream().map(e -> e.getTestDescriptor().getUniqueId().toString())
        .collect(Collectors.joining("\n")))
        .contains("Security").contains("Configuration").contains("Subscriber")
        .contains("Faults").contains("KeepAlive").contains("LargeGroup");
  }
}
