package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.redis.server.RedisClusterProcess;
import dev.streams.redis.server.RespConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The least-privilege Redis ACL user of the README ("### Redis"): keys {@code ~{keyPrefix}*},
 * channels {@code &{eventPrefix}*}, and only the commands the backends send, including those the Lua
 * scripts run (Redis checks them against the caller's ACL too) and the connection handshake.
 */
public final class RedisLeastPrivilege {

  /** The user's name. */
  public static final String USER = "streams-least-privilege";
  /** The user's password, new for each JVM. */
  public static final String PASSWORD = "lp-" + UUID.randomUUID();

  /**
   * Every command a backend sends: reads (GET, MGET, SCAN, TYPE), the scripts (EVALSHA, EVAL, and
   * inside them EXISTS, SET, DEL, GET, TYPE, PUBLISH), events (PUBLISH, SUBSCRIBE, UNSUBSCRIBE), the
   * connection (PING, SELECT for a database other than 0, HELLO, CLIENT SETINFO; AUTH is always
   * allowed), and under the hash layout (L2) HGET, HSCAN and, in scripts, HSET, HDEL and, for a
   * migration (L4), HSETNX.
   */
  public static final List<String> COMMANDS = List.of("get", "mget", "scan", "type", "exists", "set",
      "del", "eval", "evalsha", "publish", "subscribe", "unsubscribe", "ping", "select", "hello",
      "hget", "hscan", "hset", "hdel", "hsetnx", "client|setinfo");

  /**
   * What a backend sends on a Redis Cluster beside {@link #COMMANDS} (L3): the clients' topology
   * commands (Jedis reads {@code CLUSTER SLOTS}; Lettuce {@code CLUSTER NODES}, {@code CLUSTER MYID}
   * and {@code INFO}, and names its node connections with {@code CLIENT SETNAME}), {@code ASKING},
   * which both clients send before a command they follow an {@code ASK} redirection with while a
   * slot migrates, and sharded pub/sub under the hash layout.
   */
  public static final List<String> CLUSTER_COMMANDS = List.of("cluster|slots", "cluster|nodes",
      "cluster|myid", "info", "client|setname", "asking", "spublish", "ssubscribe", "sunsubscribe");

  /** The prefix pairs the TCK configures: the defaults, and those of its K1 and K3 clauses. */
  public static final List<String[]> TCK_PREFIXES = List.of(
      new String[] {"motia:stream:", "motia:stream:events:"},
      new String[] {"myapp:stream:", "motia:stream:events:"},
      new String[] {"app:", "app-events:"});

  private RedisLeastPrivilege() {}

  /**
   * Creates (or resets) the user on the server.
   *
   * @param redis the server
   * @param prefixes pairs of {keyPrefix, eventPrefix} the user may use
   */
  public static void create(RedisServerExtension redis, List<String[]> prefixes) {
    try {
      redis.command(rule(prefixes, COMMANDS).toArray(String[]::new));
    } catch (RespConnection.RedisReplyError e) {
      // CLIENT SETINFO exists from Redis 7.2; an older server rejects the rule with it, and answers
      // a client's SETINFO with an unknown-subcommand error, which the clients ignore.
      List<String> older = new ArrayList<>(COMMANDS);
      older.remove("client|setinfo");
      redis.command(rule(prefixes, older).toArray(String[]::new));
    }
  }

  /**
   * Creates (or resets) the user on every node of a cluster, replicas too: a node keeps its own
   * users (ACL rules are not replicated), and a promoted replica must let the user in.
   *
   * @param cluster the running cluster
   * @param prefixes pairs of {keyPrefix, eventPrefix} the user may use
   */
  public static void create(RedisClusterProcess cluster, List<String[]> prefixes) {
    List<String> commands = new ArrayList<>(COMMANDS);
    commands.addAll(CLUSTER_COMMANDS);
    for (RedisClusterProcess.Node node : cluster.nodes()) {
      try {
        cluster.command(node, rule(prefixes, commands).toArray(String[]::new));
      } catch (RespConnection.RedisReplyError e) {
        // As on a single server: CLIENT SETINFO exists from Redis 7.2.
        commands.remove("client|setinfo");
        cluster.command(node, rule(prefixes, commands).toArray(String[]::new));
      }
    }
  }

  /**
   * Empties the server's ACL log, for {@link #requireNothingRefused(RedisServerExtension)}.
   *
   * @param redis the server
   */
  public static void clearRefusals(RedisServerExtension redis) {
    redis.command("ACL", "LOG", "RESET");
  }

  /**
   * Fails if the server refused the user anything since {@link #clearRefusals(RedisServerExtension)}:
   * a refused command that a client shrugs off fails no clause, and only the ACL log tells of it.
   *
   * @param redis the server
   */
  public static void requireNothingRefused(RedisServerExtension redis) {
    assertThat((List<?>) redis.command("ACL", "LOG")).as("ACL LOG: what the least-privilege user was refused")
        .isEmpty();
  }

  /**
   * Empties the ACL log of every running node of a cluster, for {@link #requireNothingRefused}.
   *
   * @param cluster the running cluster
   */
  public static void clearRefusals(RedisClusterProcess cluster) {
    for (RedisClusterProcess.Node node : cluster.nodes()) {
      if (node.isAlive()) {
        cluster.command(node, "ACL", "LOG", "RESET");
      }
    }
  }

  /**
   * Fails if a running node of a cluster refused the user anything since {@link #clearRefusals}: a
   * refused command that a client shrugs off (a topology refresh, an {@code ASKING}) fails no
   * clause, and only Redis's {@code ACL LOG} on that node tells of it. A killed node's log is gone.
   *
   * @param cluster the running cluster
   */
  public static void requireNothingRefused(RedisClusterProcess cluster) {
    for (RedisClusterProcess.Node node : cluster.nodes()) {
      if (node.isAlive()) {
        assertThat((List<?>) cluster.command(node, "ACL", "LOG"))
            .as("ACL LOG of %s: what the least-privilege user was refused", node).isEmpty();
      }
    }
  }

  /**
   * Removes the user from every node of a cluster.
   *
   * @param cluster the running cluster
   */
  public static void delete(RedisClusterProcess cluster) {
    for (RedisClusterProcess.Node node : cluster.nodes()) {
      cluster.command(node, "ACL", "DELUSER", USER);
    }
  }

  private static List<String> rule(List<String[]> prefixes, List<String> commands) {
    List<String> args = new ArrayList<>(List.of("ACL", "SETUSER", USER, "reset", "on", ">" + PASSWORD));
    for (String[] pair : prefixes) {
      args.add("~" + pair[0] + "*");
      args.add("&" + pair[1] + "*");
    }
    args.add("-@all");
    for (String command : commands) {
      args.add("+" + command);
    }
    return args;
  }

  /**
   * Removes the user.
   *
   * @param redis the server
   */
  public static void delete(RedisServerExtension redis) {
    redis.command("ACL", "DELUSER", USER);
  }
}
