package dev.streams.redis.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A {@code redis-server} process on a loopback port, with nothing persisted, that a test can kill,
 * pause and restart on the same port. Every process still running when the JVM exits is killed.
 */
public final class RedisServerProcess implements AutoCloseable {

  /** The port of the machine's shared Redis, which tests must never use (they flush their server). */
  public static final int SHARED_PORT = 6379;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration PORT_TAKEN_GRACE = Duration.ofSeconds(2);
  private static final Set<RedisServerProcess> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(RedisServerProcess::kill),
        "redis-test-server-reaper"));
  }

  private final Path executable;
  private final int port;
  private final List<String> extraArgs;
  private final Path directory;
  private volatile Process process;

  private RedisServerProcess(Path executable, int port, List<String> extraArgs, Path directory) {
    this.executable = executable;
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
    this.directory = directory;
  }

  /** @return the {@code redis-server} on the PATH, if there is one */
  public static Optional<Path> findExecutable() {
    return findExecutable(System.getenv("PATH"));
  }

  /**
   * @param path directories separated as in the {@code PATH} variable, or null
   * @return the {@code redis-server} in one of them, if there is one
   */
  public static Optional<Path> findExecutable(String path) {
    return findProgram("redis-server", path);
  }

  /**
   * @param program the name of an executable, e.g. {@code redis-cli}
   * @param path directories separated as in the {@code PATH} variable, or null
   * @return the program in one of them, if there is one
   */
  public static Optional<Path> findProgram(String program, String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Starts {@code redis-server} from the PATH on a free loopback port.
   *
   * @param extraArgs further options, e.g. {@code "--requirepass", "secret"}
   * @return the running server, answering commands
   * @throws IllegalStateException if there is no {@code redis-server} or it does not start
   */
  public static RedisServerProcess start(String... extraArgs) {
    return start(RedisServerProcess::freePort, List.of(extraArgs));
  }

  /**
   * Starts {@code redis-server} from the PATH on a port that {@code ports} chooses (a cluster node
   * needs its bus port free too); a port taken meanwhile gets another try with the next port.
   */
  static RedisServerProcess start(IntSupplier ports, List<String> extraArgs) {
    Path executable = findExecutable().orElseThrow(() -> new IllegalStateException(
        "redis-server is not on the PATH (" + System.getenv("PATH") + ")"));
    IllegalStateException last = null;
    // A free port can be taken by someone else before the server binds it: try a few.
    for (int attempt = 0; attempt < 3; attempt++) {
      Path directory;
      try {
        directory = Files.createTempDirectory("streams-redis-test-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      RedisServerProcess server = new RedisServerProcess(executable, ports.getAsInt(), extraArgs, directory);
      try {
        server.launch();
        return server;
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw last;
  }

  /** @return the endpoint, without credentials */
  public RedisEndpoint endpoint() {
    return RedisEndpoint.of("127.0.0.1", port);
  }

  /** @return the port */
  public int port() {
    return port;
  }

  /** @return whether the process runs */
  public boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** @return the process id */
  public long pid() {
    return process.pid();
  }

  /** Kills the server at once (SIGKILL), as a crash would; waits until it is gone. */
  public void kill() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    RUNNING.remove(this);
  }

  /** Starts the server again on the same port, with the same options; waits until it answers. */
  public void restart() {
    kill();
    // Redis binds with SO_REUSEADDR, so the killed server's port is free at once; a port still
    // taken after a short grace belongs to another process, and waiting longer will not free it.
    long deadline = System.nanoTime() + PORT_TAKEN_GRACE.toNanos();
    while (true) {
      try {
        launch();
        return;
      } catch (IllegalStateException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        sleep(100);
      }
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing is answered. */
  public void pause() {
    signal("STOP");
  }

  /** Lets a paused server go on (SIGCONT). */
  public void resume() {
    signal("CONT");
  }

  /** @return what the server logged so far */
  public String log() {
    try {
      Path log = directory.resolve("redis.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Stops the server (SIGKILL: nothing is persisted anyway) and removes its directory. */
  @Override
  public void close() {
    kill();
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Only a temporary directory left behind.
    }
  }

  private void launch() {
    // Only what this launch logs counts: a restart appends to the log of the earlier run.
    long logStart = logSize();
    List<String> command = new ArrayList<>(List.of(executable.toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no",
        "--dir", directory.toString()));
    command.addAll(extraArgs);
    // After the caller's options, so that they win: readiness is read from this log at this level.
    command.addAll(List.of("--logfile", directory.resolve("redis.log").toString(), "--loglevel", "notice"));
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(directory.resolve("redis.out").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + executable + ": " + e.getMessage(), e);
    }
    RUNNING.add(this);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        RUNNING.remove(this);
        throw new IllegalStateException("redis-server on port " + port + " exited with "
            + process.exitValue() + ": " + log());
      }
      // Whatever answers on the port is ours only once our process says it listens: another
      // process may have taken the port (between freePort and the bind, or during a restart), and
      // a test must never take someone else's server for its own (it kills and pauses it).
      if (listens(logStart) && answers()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        kill();
        throw new IllegalStateException("redis-server on port " + port + " did not answer within "
            + START_TIMEOUT + ": " + log());
      }
      sleep(20);
    }
  }

  private long logSize() {
    try {
      Path log = directory.resolve("redis.log");
      return Files.exists(log) ? Files.size(log) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** @return whether this launch's log says the server accepts connections, i.e. has bound the port */
  private boolean listens(long logStart) {
    try {
      Path log = directory.resolve("redis.log");
      if (!Files.exists(log)) {
        return false;
      }
      byte[] bytes = Files.readAllBytes(log);
      int from = (int) Math.min(logStart, bytes.length);
      return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8)
          .contains("Ready to accept connections");
    } catch (IOException e) {
      return false;
    }
  }

  private boolean answers() {
    try (RespConnection connection = RespConnection.open(endpoint(), Duration.ofSeconds(1))) {
      connection.call("PING");
      return true;
    } catch (RespConnection.RedisReplyError e) {
      // NOAUTH and the like: it is up, it only wants a login.
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending SIG" + signal, e);
    }
  }

  /**
   * @return a loopback port that nothing listens on now, never the shared Redis port
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 10; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (port != SHARED_PORT) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("no free loopback port", e);
      }
    }
    throw new IllegalStateException("no free loopback port");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return "redis-server on 127.0.0.1:" + port + (isAlive() ? "" : " (stopped)");
  }
}
