package dev.streams.redis.testing;

import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.server.RedisServerProcess;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** The one Redis of this JVM's tests, provisioned on first use from the first source available. */
final class SharedRedis implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SharedRedis.class);
  private static final long DOCKER_CHECK_SECONDS = 10;

  private final RedisEndpoint endpoint;
  private final String source;
  private final Runnable stop;

  private SharedRedis(RedisEndpoint endpoint, String source, Runnable stop) {
    this.endpoint = endpoint;
    this.source = source;
    this.stop = stop;
  }

  RedisEndpoint endpoint() {
    return endpoint;
  }

  String source() {
    return source;
  }

  static SharedRedis provision() {
    String url = System.getenv(RedisServerExtension.URL_VARIABLE);
    if (url != null && !url.isBlank()) {
      RedisEndpoint endpoint = RedisEndpoint.fromUrl(url.trim());
      if (endpoint.port() == RedisServerProcess.SHARED_PORT && isLoopback(endpoint.host())) {
        throw new IllegalStateException(RedisServerExtension.URL_VARIABLE + " points at "
            + endpoint.address() + ", the machine's shared Redis; tests flush their server, so give"
            + " them a disposable one on another port");
      }
      LOG.info("Tests use the Redis at {} from {}", endpoint, RedisServerExtension.URL_VARIABLE);
      return new SharedRedis(endpoint, RedisServerExtension.URL_VARIABLE, () -> {});
    }
    String docker = dockerUnavailableReason();
    if (docker == null) {
      GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7"))
          .withExposedPorts(6379)
          .withCommand("redis-server", "--save", "", "--appendonly", "no");
      container.start();
      RedisEndpoint endpoint = RedisEndpoint.of(container.getHost(), container.getMappedPort(6379));
      LOG.info("Tests use a redis:7 container at {}", endpoint);
      return new SharedRedis(endpoint, "Testcontainers redis:7", container::stop);
    }
    if (RedisServerProcess.findExecutable().isPresent()) {
      RedisServerProcess process = RedisServerProcess.start();
      LOG.info("Tests use {} (no Docker: {})", process, docker);
      return new SharedRedis(process.endpoint(), "redis-server from the PATH", process::close);
    }
    throw new IllegalStateException("No Redis for the tests. Provide one of: (1) the environment variable "
        + RedisServerExtension.URL_VARIABLE + " with a redis:// URL of a disposable server; (2) a"
        + " reachable Docker engine for Testcontainers (" + docker + "); (3) redis-server on the PATH"
        + " (e.g. apt-get install redis-server).");
  }

  /** @return null if Docker is reachable, else why not; never waits long */
  private static String dockerUnavailableReason() {
    // Without any sign of an engine, asking Testcontainers would only cost time.
    boolean hint = System.getenv("DOCKER_HOST") != null
        || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
        || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
    if (!hint) {
      return "no DOCKER_HOST and no Docker socket";
    }
    CompletableFuture<Boolean> available = CompletableFuture.supplyAsync(
        () -> DockerClientFactory.instance().isDockerAvailable());
    try {
      return available.get(DOCKER_CHECK_SECONDS, TimeUnit.SECONDS) ? null : "Docker engine not reachable";
    } catch (TimeoutException e) {
      available.cancel(true);
      return "Docker engine did not answer within " + DOCKER_CHECK_SECONDS + " s";
    } catch (ExecutionException e) {
      return "Docker check failed: " + e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public void close() {
    stop.run();
  }
}
