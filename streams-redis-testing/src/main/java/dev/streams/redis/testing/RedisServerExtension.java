package dev.streams.redis.testing;

import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.server.RedisServerProcess;
import dev.streams.redis.server.RespConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a Redis server (see the package comment for where it comes from), started once
 * per JVM and stopped when the JVM exits. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension redis = new RedisServerExtension();
 *
 * StreamConfig config = redis.endpoint().applyTo(StreamConfig.builder()).build();
 * }</pre>
 *
 * <p>Servers started with {@link #startServer(String...)} belong to the test class and are stopped
 * after it.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

  /** The environment variable that names a Redis for the tests: a {@code redis://} URL. */
  public static final String URL_VARIABLE = "STREAMS_TEST_REDIS_URL";

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Object PROVISION_LOCK = new Object();
  private static SharedRedis shared;

  /** Where {@link #requireRedisServer()} looks instead of the PATH, if set (the check's own test). */
  static volatile String searchPathOverride;

  private final List<RedisServerProcess> ownServers = new CopyOnWriteArrayList<>();
  private volatile SharedRedis server;

  /** Creates the extension; the server is provisioned before the test class runs. */
  public RedisServerExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    server = sharedServer();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    for (RedisServerProcess process : ownServers) {
      process.close();
    }
    ownServers.clear();
  }

  static SharedRedis sharedServer() {
    synchronized (PROVISION_LOCK) {
      if (shared == null) {
        shared = SharedRedis.provision();
        // Stopped when the JVM ends, not by a JUnit store: a nested engine run (the extension's own
        // tests) has a root store of its own, which would stop the server under the outer run.
        SharedRedis stopping = shared;
        Runtime.getRuntime().addShutdownHook(new Thread(stopping::close, "redis-test-shared-server-stop"));
      }
      return shared;
    }
  }

  /**
   * The one check for {@code redis-server}: tests that need a server of their own fail without it,
   * they are never skipped (a machine that lacks it is to be fixed, not to pass quietly).
   *
   * @return the {@code redis-server} on the PATH
   * @throws IllegalStateException saying what to install
   */
  static Path requireRedisServer() {
    String override = searchPathOverride;
    return (override != null ? RedisServerProcess.findExecutable(override)
        : RedisServerProcess.findExecutable()).orElseThrow(() -> new IllegalStateException(
        "redis-server is not on the PATH, and this test starts servers of its own: install it"
            + " (Debian package redis-server: apt-get install redis-server; .ci/run does this)"));
  }

  /** @return the shared server's endpoint */
  public RedisEndpoint endpoint() {
    if (server == null) {
      throw new IllegalStateException("The Redis server is available once the test class starts:"
          + " register RedisServerExtension on a static field");
    }
    return server.endpoint();
  }

  /** @return where the shared server comes from, for reports */
  public String source() {
    endpoint();
    return server.source();
  }

  /**
   * Runs one command on the shared server, e.g. {@code ACL SETUSER ...}.
   *
   * @param args the command and its arguments
   * @return the reply (String, Long, null or List)
   */
  public Object command(String... args) {
    try (RespConnection connection = RespConnection.open(endpoint(), TIMEOUT)) {
      return connection.call(args);
    }
  }

  /** Removes every key of every database of the shared server: a fresh store for the next test. */
  public void flushAll() {
    command("FLUSHALL");
  }

  /**
   * Starts a dedicated {@code redis-server} for this test class (for tests that kill, pause or
   * configure a server), stopped after the class.
   *
   * @param extraArgs further server options, e.g. {@code "--requirepass", "secret"}
   * @return the running server
   * @throws IllegalStateException if there is no {@code redis-server} on the PATH, saying what to
   *     install
   */
  public RedisServerProcess startServer(String... extraArgs) {
    requireRedisServer();
    RedisServerProcess process = RedisServerProcess.start(extraArgs);
    ownServers.add(process);
    return process;
  }
}
