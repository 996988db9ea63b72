package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * A test class with a cluster fails, never skips, where {@code redis-server} or {@code redis-cli} is
 * missing, and says which package to install. Runs one through the JUnit engine on a PATH without them.
 */
class RedisClusterRequirementTest {

  /**
   * Run by the tests below on a PATH without the programs, its cluster cannot start; picked up on its
   * own (e.g. by {@code -Dtest='RedisCluster*'}) with the programs, it passes.
   */
  static final class NeedsCluster {
    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.primariesOnly();

    @Test
    void usesTheCluster() {
      assertThat(cluster.cluster().primaries()).hasSize(3);
    }
  }

  @AfterEach
  void restorePath() {
    RedisServerExtension.searchPathOverride = null;
  }

  @Test
  @DisplayName("with redis-server but without redis-cli on the PATH, the class fails naming the Debian package redis-tools")
  void failsWithoutRedisCli(@TempDir Path bin) throws IOException {
    Path server = RedisServerExtension.requireRedisServer();
    Files.createSymbolicLink(bin.resolve("redis-server"), server);
    RedisServerExtension.searchPathOverride = bin.toString();

    assertFailsWith("redis-cli is not on the PATH", "Debian package redis-tools");
  }

  @Test
  @DisplayName("without redis-server on the PATH, the class fails naming the Debian package redis-server")
  void failsWithoutRedisServer(@TempDir Path bin) {
    RedisServerExtension.searchPathOverride = bin.toString();

    assertFailsWith("redis-server is not on the PATH", "Debian package redis-server");
  }

  private static void assertFailsWith(String... message) {
    Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NeedsCluster.class))
        .execute().allEvents();

    assertThat(events.skipped().count()).as("skipped").isZero();
    assertThat(events.aborted().list()).as("aborted (assumptions)").isEmpty();
    List<Event> failed = events.failed().list();
    assertThat(failed).as("failed").hasSize(1);
    Throwable thrown = failed.get(0).getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable).orElseThrow();
    assertThat(thrown).hasMessageContaining(message[0]).hasMessageContaining(message[1]);
  }
}
