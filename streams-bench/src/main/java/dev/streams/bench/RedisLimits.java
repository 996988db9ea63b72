package dev.streams.bench;

import static dev.streams.bench.StreamsBench.median;

import dev.streams.redis.internal.StreamScripts;
import dev.streams.redis.server.RespConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The limit: what {@code redis-benchmark} (one C process, one connection per client) gets from the
 * same redis-server, for {@code GET} and for {@code EVALSHA} of this project's own {@code set} script,
 * with the same item size, at 1 and at {@value StreamsBench#CALLERS} clients.
 */
final class RedisLimits {

  /** Keys the benchmark spreads its requests over ({@code -r}). */
  static final int KEYSPACE = 10_000;
  /** Keys the set script's runs spread over: of {@value StreamsBench#MULTI_OPS} calls some 5 repeat a key. */
  static final int CREATE_KEYSPACE = 1_000_000_000;

  /**
   * @param get1 GET ops/s at 1 client
   * @param get64 GET ops/s at 64 clients
   * @param evalsha1 EVALSHA of the set script, ops/s at 1 client
   * @param evalsha64 the same at 64 clients
   * @param scriptSha the set script's SHA-1
   * @param getPipelined GET on one connection with 64 in flight ({@code -P 64}): the server's own
   *     ceiling for calls in flight on one multiplexed connection
   * @param evalshaPipelined the set script the same way
   * @param scriptSha the SHA-1 the server reported for the loaded script
   */
  record Limits(double get1, double get64, double evalsha1, double evalsha64, String scriptSha,
      double getPipelined, double evalshaPipelined) {}

  private RedisLimits() {}

  /**
   * @param port the server's port
   * @param connection a connection to it, for SCRIPT LOAD and FLUSHALL
   * @param document a stored document of the workload (its text is the EVALSHA argument)
   * @param groupId the group of the workload, for key and channel names of the same length
   * @return the limits, each the median of {@value StreamsBench#REPEATS} runs
   * @throws Exception if redis-benchmark fails
   */
  static Limits measure(int port, RespConnection connection, String document, String groupId)
      throws Exception {
    String sha = (String) connection.call("SCRIPT", "LOAD", StreamScripts.SET.text());
    if (!sha.equals(StreamScripts.SET.sha1())) {
      throw new IllegalStateException("SCRIPT LOAD gave " + sha + ", the library computes "
          + StreamScripts.SET.sha1());
    }
    int size = document.getBytes(StandardCharsets.UTF_8).length;
    // Values of the item size at every key GET will ask for.
    run(port, List.of("-c", "64", "-n", Integer.toString(10 * KEYSPACE), "-d", Integer.toString(size),
        "-t", "set"));
    double get1 = median(() -> run(port,
        List.of("-c", "1", "-n", Integer.toString(StreamsBench.SINGLE_OPS), "-t", "get")));
    double get64 = median(() -> run(port, List.of("-c", Integer.toString(StreamsBench.CALLERS),
        "-n", Integer.toString(StreamsBench.MULTI_OPS), "-t", "get")));
    List<String> evalsha = List.of("EVALSHA", sha, "1",
        "motia:stream:" + groupId + ":__rand_int__", document,
        "motia:stream:events:" + groupId, "motia:stream:events:" + groupId + ":__rand_int__");
    List<String> one = new ArrayList<>(List.of("-c", "1", "-n", Integer.toString(StreamsBench.SINGLE_OPS)));
    one.addAll(evalsha);
    // One connection, 64 in flight: what the asynchronous API and write coalescing can reach at most.
    String inFlight = Integer.toString(StreamsBench.CALLERS);
    double getPipelined = median(() -> run(port, List.of("-c", "1", "-P", inFlight,
        "-n", Integer.toString(StreamsBench.MULTI_OPS), "-t", "get")));
    // The sets of the workload are creates: each run on an empty server, over keys enough that
    // hardly one repeats.
    double evalsha1 = median(() -> createsOnEmpty(port, connection, one));
    List<String> many = new ArrayList<>(List.of("-c", Integer.toString(StreamsBench.CALLERS),
        "-n", Integer.toString(StreamsBench.MULTI_OPS)));
    many.addAll(evalsha);
    double evalsha64 = median(() -> createsOnEmpty(port, connection, many));
    List<String> pipelined = new ArrayList<>(List.of("-c", "1", "-P", inFlight,
        "-n", Integer.toString(StreamsBench.MULTI_OPS)));
    pipelined.addAll(evalsha);
    double evalshaPipelined = median(() -> createsOnEmpty(port, connection, pipelined));
    connection.call("FLUSHALL");
    return new Limits(get1, get64, evalsha1, evalsha64, sha, getPipelined, evalshaPipelined);
  }

  /** @return requests per second of EVALSHA {@code args} on an emptied server, over new keys */
  private static double createsOnEmpty(int port, RespConnection connection, List<String> args) {
    connection.call("FLUSHALL");
    return run(port, CREATE_KEYSPACE, args);
  }

  /** @return requests per second, from the {@code --csv} line, over {@link #KEYSPACE} keys */
  private static double run(int port, List<String> args) {
    return run(port, KEYSPACE, args);
  }

  private static double run(int port, int keyspace, List<String> args) {
    List<String> command = new ArrayList<>(List.of("redis-benchmark", "-h", "127.0.0.1",
        "-p", Integer.toString(port), "-r", Integer.toString(keyspace), "--csv"));
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("redis-benchmark failed: " + command + "\n" + output);
      }
      String[] lines = output.strip().split("\\R");
      String last = lines[lines.length - 1];
      // "GET","98039.22","0.284",... with 7 numbers after the title; a command line's title may
      // itself contain "," (the document), so count from the end.
      String[] fields = last.split("\",\"");
      if (output.contains("Error") || output.contains("ERR") || fields.length < 8) {
        throw new IllegalStateException("unexpected redis-benchmark output: " + output);
      }
      return Double.parseDouble(fields[fields.length - 7]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run redis-benchmark (Debian package redis-tools)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
