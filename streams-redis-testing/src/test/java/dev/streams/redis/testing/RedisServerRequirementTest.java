package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedMethod;

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
 * The kit's families that start servers of their own fail, never skip, where {@code redis-server}
 * is missing, and say what to install. Runs them on a PATH without it, through the JUnit engine.
 */
class RedisServerRequirementTest {

  /** A backend that is never reached: every family run here stops before it opens an adapter. */
  static final class Unreachable implements StreamAdapterProvider {
    @Override
    public String name() {
      return "unreachable";
    }

    @Override
    public StreamAdapter open(StreamConfig config) {
      throw new AssertionError("the kit should have failed before opening an adapter");
    }
  }

  /** The kit on the backend that is never reached. */
  static final class UnreachableKit extends RedisBackendKit {
    @Override
    protected StreamAdapterProvider provider() {
      return new Unreachable();
    }
  }

  private static final List<Class<?>> KIT = List.of(UnreachableKit.class);

  @BeforeAll
  static void provisionTheSharedServerFirst() {
    // The shared server may come from redis-server too; it is provisioned while the PATH is intact,
    // so that only the families' own servers meet the PATH without it.
    RedisServerExtension.sharedServer();
  }

  @AfterEach
  void restorePath() {
    RedisServerExtension.searchPathOverride = null;
  }

  @Test
  @DisplayName("without redis-server on the PATH, every kit family that starts its own server fails naming the Debian package, none is skipped")
  void kitFamiliesFailWithoutRedisServer() {
    RedisServerExtension.searchPathOverride = "/nonexistent-streams-test-dir";
    List<DiscoverySelector> selectors = List.of(
        selectNestedMethod(KIT, RedisBackendKit.Security.class, "passwordNeverShown"),
        selectNestedMethod(KIT, RedisBackendKit.Configuration.class, "requirePassServer"),
        selectNestedClass(KIT, RedisBackendKit.Subscriber.class),
        selectNestedClass(KIT, RedisBackendKit.Faults.class),
        selectNestedClass(KIT, RedisBackendKit.KeepAlive.class),
        selectNestedClass(KIT, RedisBackendKit.LargeGroup.class),
        selectNestedClass(KIT, RedisBackendKit.Tls.class));
    Events events = EngineTestKit.engine("junit-jupiter").selectors(selectors.toArray(DiscoverySelector[]::new))
        .execute().allEvents();

    assertThat(events.skipped().count()).as("skipped").isZero();
    assertThat(events.aborted().list()).as("aborted (assumptions)").isEmpty();
    List<Event> failed = events.failed().list();
    assertThat(failed).as("failed tests and classes").hasSizeGreaterThanOrEqualTo(7);
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
        .contains("Faults").contains("KeepAlive").contains("LargeGroup").contains("Tls");
  }
}
