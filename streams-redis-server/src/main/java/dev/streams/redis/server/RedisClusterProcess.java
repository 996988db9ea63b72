package dev.streams.redis.server;

import dev.streams.StreamConfig;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A Redis Cluster of {@code redis-server} processes on loopback ports, with nothing persisted, for
 * tests: N primaries with M replicas each, joined with {@code redis-cli --cluster create}. A test can
 * ask which node owns a key, kill a primary and wait for its replica to take over, restart a killed
 * node, move a slot with its keys to another primary (acting between the steps), and pause a node.
 * Every wait is bounded; every process still running when the JVM exits is killed.
 *
 * <pre>{@code
 * try (RedisClusterProcess cluster = RedisClusterProcess.builder().primaries(3).replicasPerPrimary(1).start()) {
 *   List<RedisEndpoint> seeds = cluster.seeds();
 * }
 * }</pre>
 */
public final class RedisClusterProcess implements AutoCloseable {

  /** The number of hash slots of every Redis Cluster. */
  public static final int SLOTS = 16384;
  /** Where the cluster bus of a node listens: its port plus this. */
  private static final int BUS_PORT_OFFSET = 10000;
  // Below the usual ephemeral range (32768 and up), for the client port and its bus port alike, so
  // that an outgoing connection rarely takes one between the check and the bind.
  private static final int LOWEST_PORT = 12000;
  private static final int HIGHEST_PORT = 22000;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

  private final List<Node> nodes;
  private final String password;
  private final Duration waitTimeout;

  private RedisClusterProcess(List<Node> nodes, String password, Duration waitTimeout) {
    this.nodes = List.copyOf(nodes);
    this.password = password;
    this.waitTimeout = waitTimeout;
  }

  /** @return a builder of a cluster of 3 primaries without replicas */
  public static Builder builder() {
    return new Builder();
  }

  /** @return every node, primaries and replicas, alive or not, in the order they were started */
  public List<Node> nodes() {
    return nodes;
  }

  /** @return the endpoints of the nodes that run now, for a cluster client to start from */
  public List<RedisEndpoint> seeds() {
    return nodes.stream().filter(Node::isAlive).map(Node::endpoint).toList();
  }

  /** @return the nodes that serve slots now, as the first reachable node sees them */
  public List<Node> primaries() {
    Map<String, NodeView> view = viewOf(anyReachable());
    return nodes.stream().filter(n -> {
      NodeView entry = view.get(n.id);
      return entry != null && entry.isPrimary() && !entry.ranges.isEmpty();
    }).toList();
  }

  /**
   * @param primary a primary
   * @return its replicas now, as the first reachable node sees them
   */
  public List<Node> replicasOf(Node primary) {
    Map<String, NodeView> view = viewOf(anyReachable());
    return nodes.stream().filter(n -> {
      NodeView entry = view.get(n.id);
      return entry != null && !entry.isPrimary() && primary.id.equals(entry.primaryId);
    }).toList();
  }

  /**
   * @param key a key
   * @return its hash slot ({@code CLUSTER KEYSLOT}, hash tags included)
   */
  public int slotOf(String key) {
    return ((Long) call(anyReachable(), "CLUSTER", "KEYSLOT", key)).intValue();
  }

  /**
   * @param key a key
   * @return the primary that owns the key's slot now
   */
  public Node ownerOf(String key) {
    return ownerOfSlot(slotOf(key));
  }

  /**
   * @param slot a hash slot
   * @return the primary that owns it now, as the first reachable node sees it
   */
  public Node ownerOfSlot(int slot) {
    checkSlot(slot);
    for (NodeView entry : viewOf(anyReachable()).values()) {
      if (entry.isPrimary() && entry.owns(slot)) {
        return node(entry.id);
      }
    }
    throw new IllegalStateException("no node owns slot " + slot);
  }

  /**
   * Runs one command on one node (no redirection is followed).
   *
   * @param node the node
   * @param args the command and its arguments
   * @return the reply (String, Long, null or List)
   * @throws RespConnection.RedisReplyError for an error reply, e.g. {@code MOVED} or {@code ASK}
   */
  public Object command(Node node, String... args) {
    return call(node, args);
  }

  /**
   * Sets this cluster's running nodes as the {@code clusterNodes} of a configuration, with their
   * login and database 0 (the only one a cluster has).
   *
   * @param builder the configuration
   * @return the builder
   * @throws IllegalStateException if no node of the cluster runs
   */
  public StreamConfig.Builder applyTo(StreamConfig.Builder builder) {
    List<RedisEndpoint> seeds = seeds();
    if (seeds.isEmpty()) {
      throw new IllegalStateException("no node of the cluster runs");
    }
    // Every node has the cluster's login.
    return seeds.get(0).applyLoginTo(builder)
        .clusterNodes(seeds.stream().map(RedisEndpoint::address).toList())
        .database(0);
  }

  /** Removes every key from every primary ({@code FLUSHALL}); replicas follow. */
  public void flushAll() {
    for (Node primary : primaries()) {
      call(primary, "FLUSHALL");
    }
  }

  /**
   * Kills a primary (SIGKILL) and waits until one of its replicas is promoted and every node that
   * runs agrees on the slot map again.
   *
   * @param primary a primary with at least one replica
   * @return the promoted replica, now the primary of the killed node's slots
   * @throws IllegalArgumentException if the node is no primary or has no replica
   * @throws IllegalStateException if no replica takes over within the wait timeout
   */
  public Node killPrimary(Node primary) {
    if (!primaries().contains(primary)) {
      throw new IllegalArgumentException(primary + " is not a primary now");
    }
    List<Node> replicas = replicasOf(primary).stream().filter(Node::isAlive).toList();
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException(primary + " has no replica to take over its slots");
    }
    int slot = viewOf(primary).get(primary.id).ranges.get(0)[0];
    primary.process.kill();
    awaitHealthy("a replica of " + primary + " to take over", () -> {
      Node owner = ownerOfSlot(slot);
      return replicas.contains(owner) ? null : "slot " + slot + " is still owned by " + owner;
    });
    return ownerOfSlot(slot);
  }

  /**
   * Kills a node (SIGKILL), primary or replica, without waiting for the cluster to notice.
   *
   * @param node the node
   */
  public void kill(Node node) {
    node.process.kill();
  }

  /**
   * Starts a killed node again on its port with its cluster configuration (but no data), and waits
   * until it has rejoined: a former primary whose slots a replica took over comes back as that
   * replica's replica.
   *
   * @param node a killed node
   * @throws IllegalStateException if it does not rejoin within the wait timeout
   */
  public void restart(Node node) {
    if (node.isAlive()) {
      throw new IllegalArgumentException(node + " runs; kill it first");
    }
    node.paused = false;
    node.process.restart();
    awaitHealthy(node + " to rejoin", () -> null);
  }

  /** Freezes a node (SIGSTOP): its connections stay open, nothing is answered, the cluster may fail it over. */
  public void pause(Node node) {
    node.process.pause();
    node.paused = true;
  }

  /** Lets a paused node go on (SIGCONT). */
  public void resume(Node node) {
    node.process.resume();
    node.paused = false;
  }

  /**
   * Moves a slot with its keys to another primary, as an operator would ({@code CLUSTER SETSLOT
   * IMPORTING / MIGRATING}, {@code MIGRATE} in batches, {@code CLUSTER SETSLOT NODE} on every
   * primary), and waits until every node agrees on the new owner.
   *
   * @param slot the slot
   * @param target the primary to move it to
   */
  public void migrateSlot(int slot, Node target) {
    migrateSlot(slot, target, step -> {});
  }

  /**
   * Moves a slot with its keys to another primary, calling {@code hook} between the steps so that a
   * test can act while the slot is half moved (clients then get {@code ASK} redirections).
   *
   * @param slot the slot
   * @param target the primary to move it to
   * @param hook called at each {@link MigrationStep}, on this thread; what it throws ends the move
   *     where it stands, the slot half moved, which {@link #awaitHealthy()} then reports
   * @throws IllegalArgumentException if the target is no primary or owns the slot already
   * @throws IllegalStateException if the nodes do not agree on the new owner within the wait timeout
   */
  public void migrateSlot(int slot, Node target, MigrationHook hook) {
    checkSlot(slot);
    Objects.requireNonNull(hook, "hook");
    List<Node> primaries = primaries();
    if (!primaries.contains(target)) {
      throw new IllegalArgumentException(target + " is not a primary now");
    }
    Node source = ownerOfSlot(slot);
    if (source.equals(target)) {
      throw new IllegalArgumentException("slot " + slot + " is on " + target + " already");
    }
    String slotArg = Integer.toString(slot);
    call(target, "CLUSTER", "SETSLOT", slotArg, "IMPORTING", source.id);
    call(source, "CLUSTER", "SETSLOT", slotArg, "MIGRATING", target.id);
    // A failure leaves the slot half moved (some keys on each side); the cluster is not healthy
    // until someone settles it, and awaitHealthy says so.
    moveKeys(slot, source, target, hook);
    // The target first, then the source, so that the slot is never without an owner that takes its
    // keys; the other primaries learn it now instead of by gossip.
    List<Node> order = new ArrayList<>(List.of(target, source));
    primaries.stream().filter(n -> !order.contains(n)).forEach(order::add);
    for (Node primary : order) {
      call(primary, "CLUSTER", "SETSLOT", slotArg, "NODE", target.id);
    }
    awaitHealthy("slot " + slot + " to move to " + target, () -> {
      Node owner = ownerOfSlot(slot);
      return owner.equals(target) ? null : "slot " + slot + " is still owned by " + owner;
    });
  }

  /** Moves the keys of a marked slot in batches, within the wait timeout. */
  private void moveKeys(int slot, Node source, Node target, MigrationHook hook) {
    String slotArg = Integer.toString(slot);
    long deadline = System.nanoTime() + waitTimeout.toNanos();
    hook.at(MigrationStep.SLOT_MARKED);
    while (true) {
      List<?> keys = (List<?>) call(source, "CLUSTER", "GETKEYSINSLOT", slotArg, "100");
      if (keys.isEmpty()) {
        break;
      }
      if (System.nanoTime() - deadline > 0) {
        long left = (Long) call(source, "CLUSTER", "COUNTKEYSINSLOT", slotArg);
        throw new IllegalStateException("moving slot " + slot + " from " + source + " to " + target
            + " took longer than " + waitTimeout + "; " + left + " keys are still on " + source);
      }
      List<String> migrate = new ArrayList<>(List.of("MIGRATE", target.endpoint().host(),
          Integer.toString(target.port()), "", "0", Long.toString(CALL_TIMEOUT.toMillis())));
      if (password != null) {
        migrate.addAll(List.of("AUTH", password));
      }
      migrate.add("KEYS");
      keys.forEach(key -> migrate.add((String) key));
      call(source, migrate.toArray(String[]::new));
      hook.at(MigrationStep.BATCH_MOVED);
    }
    hook.at(MigrationStep.KEYS_MOVED);
  }

  /**
   * Waits until every node that runs (and is not paused) reports {@code cluster_state:ok}, all of
   * them agree on the slot map and on every running node's role, no running node is seen failing,
   * and every running replica's link to its primary is up.
   *
   * @throws IllegalStateException naming what is still wrong when the wait timeout passes
   */
  public void awaitHealthy() {
    awaitHealthy("the cluster to be healthy", () -> null);
  }

  /**
   * @return what keeps the cluster from being healthy now (as {@link #awaitHealthy()} judges it),
   *     without waiting; empty if nothing does
   */
  public Optional<String> currentProblem() {
    return Optional.ofNullable(healthProblem());
  }

  /** Stops every node (SIGKILL: nothing is persisted anyway). */
  @Override
  public void close() {
    nodes.forEach(n -> n.process.close());
  }

  @Override
  public String toString() {
    return "Redis Cluster of " + nodes;
  }

  private void awaitHealthy(String what, Supplier<String> alsoRequired) {
    long deadline = System.nanoTime() + waitTimeout.toNanos();
    String problem;
    while (true) {
      try {
        problem = healthProblem();
        if (problem == null) {
          problem = alsoRequired.get();
        }
      } catch (RuntimeException e) {
        // A node that is just being failed over or restarted may refuse or drop a connection.
        problem = e.toString();
      }
      if (problem == null) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("waited " + waitTimeout + " for " + what + ": " + problem);
      }
      sleep(50);
    }
  }

  /** @return null if the cluster is healthy, else what is wrong */
  private String healthProblem() {
    List<Node> reachable = nodes.stream().filter(Node::isReachable).toList();
    Set<String> reachableIds = new HashSet<>();
    reachable.forEach(n -> reachableIds.add(n.id));
    String firstView = null;
    Node firstNode = null;
    for (Node node : reachable) {
      String info = (String) call(node, "CLUSTER", "INFO");
      if (!info.contains("cluster_state:ok")) {
        return node + " reports " + line(info, "cluster_state");
      }
      Map<String, NodeView> view = viewOf(node);
      StringBuilder summary = new StringBuilder();
      for (String id : reachableIds) {
        NodeView entry = view.get(id);
        if (entry == null) {
          return node + " does not know " + node(id);
        }
        if (entry.flags.contains("fail") || entry.flags.contains("fail?")
            || entry.flags.contains("handshake") || entry.flags.contains("noaddr")) {
          return node + " sees " + node(id) + " as " + entry.flags;
        }
      }
      // What every node must see alike: who owns which slots, and the role of every running node.
      new TreeMap<>(view).forEach((id, entry) -> {
        if (entry.isPrimary() && !entry.ranges.isEmpty()) {
          summary.append(id).append(" owns ").append(entry.rangesText()).append("; ");
        }
        if (reachableIds.contains(id)) {
          summary.append(id).append(entry.isPrimary() ? " is a primary" : " replicates " + entry.primaryId)
              .append("; ");
        }
      });
      if (firstView == null) {
        firstView = summary.toString();
        firstNode = node;
      } else if (!firstView.equals(summary.toString())) {
        return node + " sees " + summary + "but " + firstNode + " sees " + firstView;
      }
      NodeView self = view.get(node.id);
      if (!self.openMigrations.isEmpty()) {
        return node + " has slots half moved: " + self.openMigrations;
      }
      if (!self.isPrimary()) {
        String replication = (String) call(node, "INFO", "replication");
        if (!replication.contains("master_link_status:up")) {
          return node + " reports " + line(replication, "master_link_status");
        }
      }
      String unlisted = unlistedInSlots(node, view, reachable);
      if (unlisted != null) {
        return unlisted;
      }
    }
    return null;
  }

  /**
   * What clients see: {@code CLUSTER SLOTS} lists a replica only once its replication offset is known
   * to be above 0, so a client that starts from it (Jedis builds its node map from it) would not know
   * the replica of a fresh cluster.
   *
   * @return null if {@code CLUSTER SLOTS} of {@code node} lists every running primary that owns slots
   *     and every running replica of one, else which node it does not list
   */
  private String unlistedInSlots(Node node, Map<String, NodeView> view, List<Node> reachable) {
    Set<Long> listed = new HashSet<>();
    for (Object range : (List<?>) call(node, "CLUSTER", "SLOTS")) {
      List<?> fields = (List<?>) range;
      for (Object host : fields.subList(2, fields.size())) {
        listed.add((Long) ((List<?>) host).get(1));
      }
    }
    for (Node other : reachable) {
      NodeView entry = view.get(other.id);
      NodeView primary = entry.isPrimary() ? entry : view.get(entry.primaryId);
      if (primary != null && !primary.ranges.isEmpty() && !listed.contains((long) other.port())) {
        return "CLUSTER SLOTS of " + node + " does not list " + other;
      }
    }
    return null;
  }

  private Map<String, NodeView> viewOf(Node node) {
    String text = (String) call(node, "CLUSTER", "NODES");
    Map<String, NodeView> view = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        NodeView entry = NodeView.parse(line.trim());
        view.put(entry.id, entry);
      }
    }
    return view;
  }

  private Node anyReachable() {
    return nodes.stream().filter(Node::isReachable).findFirst()
        .orElseThrow(() -> new IllegalStateException("no node of the cluster runs"));
  }

  private Node node(String id) {
    return nodes.stream().filter(n -> n.id.equals(id)).findFirst()
        .orElseThrow(() -> new IllegalStateException("unknown node id " + id));
  }

  private static Object call(Node node, String... args) {
    return call(node.endpoint(), args);
  }

  private static Object call(RedisEndpoint endpoint, String... args) {
    try (RespConnection connection = RespConnection.open(endpoint, CALL_TIMEOUT)) {
      return connection.call(args);
    }
  }

  private static String line(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.trim();
      }
    }
    return "no " + field;
  }

  private static void checkSlot(int slot) {
    if (slot < 0 || slot >= SLOTS) {
      throw new IllegalArgumentException("slot " + slot + " is not in 0.." + (SLOTS - 1));
    }
  }

  /** @return a port whose cluster bus port is free too, in a range below the ephemeral ports */
  static int freeClusterPort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, HIGHEST_PORT);
      if (port != RedisServerProcess.SHARED_PORT && isFree(port) && isFree(port + BUS_PORT_OFFSET)) {
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port pair (port and port + " + BUS_PORT_OFFSET
        + ") between " + LOWEST_PORT + " and " + HIGHEST_PORT);
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Where {@link #migrateSlot(int, Node, MigrationHook)} stands when it calls its hook. */
  public enum MigrationStep {
    /** The target imports the slot and the source migrates it; no key has moved yet. */
    SLOT_MARKED,
    /** One more batch of the slot's keys has moved to the target; the source may hold more. */
    BATCH_MOVED,
    /** Every key of the slot is on the target; the source still owns the slot (clients get ASK). */
    KEYS_MOVED
  }

  /** What a test does between the steps of a slot migration. */
  @FunctionalInterface
  public interface MigrationHook {
    /**
     * @param step where the migration stands
     */
    void at(MigrationStep step);
  }

  /** One node of the cluster: a {@code redis-server} process with its cluster identity. */
  public static final class Node {
    private final RedisServerProcess process;
    private final String id;
    private final RedisEndpoint endpoint;
    private volatile boolean paused;

    private Node(RedisServerProcess process, String id, RedisEndpoint endpoint) {
      this.process = process;
      this.id = id;
      this.endpoint = endpoint;
    }

    /** @return the cluster node id, which the node keeps across a restart */
    public String id() {
      return id;
    }

    /** @return where the node listens, with the cluster's password if it has one */
    public RedisEndpoint endpoint() {
      return endpoint;
    }

    /** @return the port */
    public int port() {
      return process.port();
    }

    /** @return the process */
    public RedisServerProcess process() {
      return process;
    }

    /** @return whether the process runs (a paused one does) */
    public boolean isAlive() {
      return process.isAlive();
    }

    private boolean isReachable() {
      return isAlive() && !paused;
    }

    @Override
    public String toString() {
      return "node " + id.substring(0, 8) + " on 127.0.0.1:" + port() + (isAlive() ? "" : " (stopped)")
          + (paused ? " (paused)" : "");
    }
  }

  /** One line of {@code CLUSTER NODES}. */
  private record NodeView(String id, Set<String> flags, String primaryId, List<int[]> ranges,
      List<String> openMigrations) {

    static NodeView parse(String line) {
      // <id> <ip:port@cport> <flags> <primary> <ping-sent> <pong-recv> <epoch> <link> <slot>...
      String[] fields = line.split(" ");
      Set<String> flags = new HashSet<>(List.of(fields[2].split(",")));
      flags.remove("myself");
      List<int[]> ranges = new ArrayList<>();
      List<String> openMigrations = new ArrayList<>();
      for (int i = 8; i < fields.length; i++) {
        String slot = fields[i];
        if (slot.startsWith("[")) {
          openMigrations.add(slot); // a slot being imported or migrated: its owner lists it as a plain range
          continue;
        }
        int dash = slot.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? slot : slot.substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(slot.substring(dash + 1));
        ranges.add(new int[] {from, to});
      }
      return new NodeView(fields[0], flags, "-".equals(fields[3]) ? null : fields[3], ranges, openMigrations);
    }

    boolean isPrimary() {
      return flags.contains("master");
    }

    boolean owns(int slot) {
      return ranges.stream().anyMatch(r -> r[0] <= slot && slot <= r[1]);
    }

    String rangesText() {
      StringBuilder text = new StringBuilder();
      ranges.forEach(r -> text.append(r[0]).append('-').append(r[1]).append(' '));
      return text.toString().trim();
    }
  }

  /** Chooses the size and options of a cluster, then starts it. */
  public static final class Builder {
    private int primaries = 3;
    private int replicasPerPrimary;
    private Duration nodeTimeout = Duration.ofMillis(2000);
    private Duration waitTimeout = Duration.ofSeconds(60);
    private String password;
    private final List<String> serverArgs = new ArrayList<>();

    private Builder() {}

    /**
     * @param count the number of primaries, at least 3 (what {@code redis-cli --cluster create} asks)
     * @return this builder
     */
    public Builder primaries(int count) {
      if (count < 3) {
        throw new IllegalArgumentException("a cluster needs at least 3 primaries, not " + count);
      }
      this.primaries = count;
      return this;
    }

    /**
     * @param count the replicas of every primary, 0 or more
     * @return this builder
     */
    public Builder replicasPerPrimary(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("replicas per primary must be 0 or more, not " + count);
      }
      this.replicasPerPrimary = count;
      return this;
    }

    /**
     * @param timeout how long a node may not answer before the others fail it over
     *     ({@code cluster-node-timeout}); 2 s unless set
     * @return this builder
     */
    public Builder nodeTimeout(Duration timeout) {
      if (timeout.toMillis() < 100) {
        throw new IllegalArgumentException("node timeout must be at least 100 ms, not " + timeout);
      }
      this.nodeTimeout = timeout;
      return this;
    }

    /**
     * @param timeout the bound of every wait: the cluster forming, a failover, a rejoin, a slot move;
     *     60 s unless set
     * @return this builder
     */
    public Builder waitTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("wait timeout must be positive, not " + timeout);
      }
      this.waitTimeout = timeout;
      return this;
    }

    /**
     * @param password the password of the default user on every node (replicas and {@code MIGRATE}
     *     use it too), or null for none
     * @return this builder
     */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /**
     * @param args further options for every {@code redis-server}, e.g. {@code "--maxmemory", "64mb"}
     * @return this builder
     */
    public Builder serverArgs(String... args) {
      serverArgs.addAll(List.of(args));
      return this;
    }

    /**
     * Starts the nodes, joins them and waits until the cluster is healthy.
     *
     * @return the running cluster
     * @throws IllegalStateException if {@code redis-server} or {@code redis-cli} is missing, or the
     *     cluster does not form within the wait timeout; nothing is left running then
     */
    public RedisClusterProcess start() {
      Path cli = RedisServerProcess.findProgram("redis-cli", System.getenv("PATH"))
          .orElseThrow(() -> new IllegalStateException(
              "redis-cli is not on the PATH (" + System.getenv("PATH") + ")"));
      List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes",
          // Relative to the node's own directory, so that a restart finds its identity again.
          "--cluster-config-file", "nodes.conf",
          "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
          // A replica takes over however stale its data is: a test's failover must not depend on
          // how long the link was down.
          "--cluster-replica-validity-factor", "0",
          // A replica's first sync starts at once instead of waiting 5 s for other replicas to join it.
          "--repl-diskless-sync-delay", "0",
          // The primary pings its replicas every second rather than every 10: a replica's offset moves
          // above 0 soon, and CLUSTER SLOTS lists it from then on (see unlistedInSlots).
          "--repl-ping-replica-period", "1"));
      if (password != null) {
        args.addAll(List.of("--requirepass", password, "--masterauth", password));
      }
      args.addAll(serverArgs);
      List<RedisServerProcess> processes = new ArrayList<>();
      try {
        List<Node> nodes = new ArrayList<>();
        int count = primaries * (1 + replicasPerPrimary);
        for (int i = 0; i < count; i++) {
          RedisServerProcess process = RedisServerProcess.start(RedisClusterProcess::freeClusterPort, args);
          processes.add(process);
          RedisEndpoint endpoint = process.endpoint().withCredentials(null, password);
          nodes.add(new Node(process, (String) call(endpoint, "CLUSTER", "MYID"), endpoint));
        }
        create(cli, nodes);
        RedisClusterProcess cluster = new RedisClusterProcess(nodes, password, waitTimeout);
        cluster.awaitHealthy("the new cluster to form", () -> null);
        return cluster;
      } catch (RuntimeException e) {
        processes.forEach(RedisServerProcess::close);
        throw e;
      }
    }

    private void create(Path cli, List<Node> nodes) {
      List<String> command = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
      nodes.forEach(n -> command.add(n.endpoint().address()));
      command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerPrimary), "--cluster-yes"));
      Path output;
      try {
        output = Files.createTempFile("streams-redis-cluster-create-", ".out");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      if (password != null) {
        // In the environment rather than with -a, so that it is in no process list.
        builder.environment().put("REDISCLI_AUTH", password);
      }
      try {
        Process process = builder.start();
        try {
          if (!process.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("redis-cli --cluster create did not end within " + TOOL_TIMEOUT
                + ": " + Files.readString(output));
          }
        } finally {
          process.destroyForcibly();
        }
        String text = Files.readString(output);
        if (process.exitValue() != 0 || !text.contains("[OK] All " + SLOTS + " slots covered")) {
          throw new IllegalStateException("redis-cli --cluster create failed with exit code "
              + process.exitValue() + ": " + text);
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot run " + cli + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating the cluster", e);
      } finally {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // A temporary file left behind: nothing more to do.
        }
      }
    }
  }
}
