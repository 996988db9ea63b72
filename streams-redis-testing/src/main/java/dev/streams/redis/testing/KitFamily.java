package dev.streams.redis.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamAdapterProvider;
import dev.streams.StreamConfig;
import dev.streams.json.StreamJson;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.server.RedisServerProcess;
import dev.streams.redis.server.RespConnection;
import dev.streams.tck.EventRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * What every family of {@link RedisBackendKit} is built on: the backend under test, the shared
 * server, servers of a test's own, and the adapters a test opens, all closed after it.
 */
abstract class KitFamily {

  /** The shared server of the test run: never killed, paused or reconfigured by the kit. */
  static final RedisServerExtension redis = RedisBackendKit.redis;
  /** How long a family waits for something that should happen: the TCK's patience. */
  static final Duration WAIT = EventRecorder.patience();

  private final RedisBackendKit kit;
  private final List<StreamAdapter> adapters = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<RedisServerProcess> servers = new ArrayList<>();
  private RedisServerProcess ownServer;

  KitFamily(RedisBackendKit kit) {
    this.kit = kit;
  }

  /** @return the provider of the backend under test */
  final StreamAdapterProvider provider() {
    return kit.provider();
  }

  /**
   * Starts a {@code redis-server} of this test's own, stopped after it: the server for anything
   * that kills, pauses or reconfigures a server or kills its clients, which must never reach
   * connections of other tests on the shared server.
   *
   * @param extraArgs further server options
   * @return the running server
   */
  final RedisServerProcess startServer(String... extraArgs) {
    RedisServerProcess server = redis.startServer(extraArgs);
    servers.add(server);
    return server;
  }

  /**
   * @return the {@code redis-server} of this test's own, with default options, started on first use
   *     and stopped after the test (see {@link #startServer})
   */
  final RedisServerProcess server() {
    if (ownServer == null) {
      ownServer = startServer();
    }
    return ownServer;
  }

  /**
   * Opens an adapter of the backend under test by its name, closed after the test.
   *
   * @param options the configuration, without the backend's name
   * @return the open adapter
   */
  final StreamAdapter open(StreamConfig.Builder options) {
    StreamAdapter adapter = provider().open(options.backend(provider().name()).build());
    adapters.add(adapter);
    return adapter;
  }

  /**
   * @param resource something the test made (a proxy, a fake server) that must end with it
   * @return the resource, closed after the test's adapters and before its servers
   */
  final <T extends AutoCloseable> T closedAfterTest(T resource) {
    resources.add(resource);
    return resource;
  }

  @AfterEach
  final void closeAdaptersAndServers() throws Exception {
    // Each step runs whatever the steps before it threw, so that nothing outlives the test; the
    // first failure is thrown, the others are attached to it.
    List<Exception> failures = new ArrayList<>();
    for (RedisServerProcess server : servers) {
      if (server.isAlive()) {
        // A test that failed while its server was paused must not leave it frozen for close().
        attempt(server::resume, failures);
      }
    }
    adapters.forEach(adapter -> attempt(adapter::close, failures));
    adapters.clear();
    resources.forEach(resource -> attempt(resource::close, failures));
    resources.clear();
    servers.forEach(server -> attempt(server::close, failures));
    servers.clear();
    ownServer = null;
    if (!failures.isEmpty()) {
      Exception first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  private static void attempt(AutoCloseable step, List<Exception> failures) {
    try {
      step.close();
    } catch (Exception e) {
      failures.add(e);
    }
  }

  static ObjectNode json(String text) {
    return StreamJson.readObject(text);
  }

  /**
   * Runs one command on a server over a plain connection.
   *
   * @param endpoint the server, with the credentials to log in with, if any
   * @param command the command and its arguments
   * @return the reply
   */
  static Object call(RedisEndpoint endpoint, String... command) {
    try (RespConnection connection = RespConnection.open(endpoint, WAIT)) {
      return connection.call(command);
    }
  }

  /** @return the {@code CLIENT LIST} lines of the server's connections subscribed to a channel */
  static List<String> subscribedClients(RedisEndpoint endpoint) {
    return ((String) call(endpoint, "CLIENT", "LIST")).lines().filter(line -> line.contains(" flags=P ")).toList();
  }

  /** @return the failure and its causes, outermost first */
  static List<Throwable> causes(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
