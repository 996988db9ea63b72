package dev.streams.redis.jedis;

import dev.streams.redis.internal.RedisCommands;
import dev.streams.redis.internal.RedisErrorReply;
import dev.streams.redis.internal.RedisSlots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisProtocolNotSupportedException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.resps.ScanResult;

/**
 * The shared Redis logic's commands on a Redis Cluster (L3), through a Jedis
 * {@link RedisClusterClient}: every keyed command goes to the primary that owns its slot, following
 * MOVED and ASK and refreshing the slot map as Jedis does; {@link #primaries()} gives a view per
 * primary for the scans.
 *
 * <p>There is no reconnect gate here, unlike on a single server: the client retries each command on
 * the node that owns its slot now, within {@code commandTimeout}, and a node that is down stays out
 * of the others' way. Once the reconnect strategy gave up (on the subscriber), every call fails.
 */
final class JedisClusterCommands implements RedisCommands {

  /** Attempts per command: redirections and connection failures each cost one. Jedis's default. */
  static final int MAX_ATTEMPTS = 5;
  /** The most keys of one MGET. */
  private static final int MGET_BATCH = 500;
  private static final String WRONGTYPE = "WRONGTYPE";
  private static final String TRYAGAIN = "TRYAGAIN";

  private final RedisClusterClient client;
  private final ClusterConnectionProvider provider;
  private final JedisSettings settings;
  private final CommandObjects commandObjects = new CommandObjects(RedisProtocol.RESP2);

  JedisClusterCommands(RedisClusterClient client, ClusterConnectionProvider provider, JedisSettings settings) {
    this.client = client;
    this.provider = provider;
    this.settings = settings;
  }

  /**
   * Checks that every primary answers with these credentials: the adapter's first exchange (the
   * client's start proved it for one seed only).
   */
  void ping() {
    for (HostAndPort node : owners()) {
      onNode(node, "connecting", true, Jedis::ping);
    }
  }

  @Override
  public boolean isCluster() {
    return true;
  }

  /** One view per primary that owns slots now, in the client's slot map (never a replica). */
  @Override
  public List<? extends RedisCommands> primaries() {
    List<NodeCommands> views = new ArrayList<>();
    for (HostAndPort node : owners()) {
      views.add(new NodeCommands(node));
    }
    if (views.isEmpty()) {
      throw settings.failures().failure("listing the primaries", "the client knows no node owning a slot");
    }
    return views;
  }

  /**
   * The distinct owners of the slots in the client's slot map. Jedis's own list of primaries is that
   * of the first discovery only, and its node list holds replicas: the slot owners are the primaries.
   */
  private Set<HostAndPort> owners() {
    settings.giveUp().requireNotGivenUp();
    return slotOwners();
  }

  private Set<HostAndPort> slotOwners() {
    Set<HostAndPort> owners = new LinkedHashSet<>();
    for (int slot = 0; slot < RedisSlots.SLOT_COUNT; slot++) {
      HostAndPort owner = provider.getNode(slot);
      if (owner != null) {
        owners.add(owner);
      }
    }
    return owners;
  }

  @Override
  public String get(String key) {
    return call("running GET", () -> client.get(key));
  }

  /** A scan of the whole cluster means one per primary: {@link #primaries()}. */
  @Override
  public ScanPage scan(String cursor, String matchPattern, int count) {
    throw new IllegalStateException("SCAN on a Redis Cluster walks one node: scan through primaries()");
  }

  /** MGET per slot, each routed to the slot's owner; the values in the order of the keys. */
  @Override
  public List<String> mget(List<String> keys) {
    Map<String, String> values = new HashMap<>();
    for (List<String> batch : RedisSlots.batchesBySlot(keys, MGET_BATCH)) {
      collect(batch, routedMget(batch), values);
    }
    return inOrder(keys, values);
  }

  /** One MGET of keys of one slot, routed; one GET per key if the slot is being moved. */
  private List<String> routedMget(List<String> batch) {
    try {
      return call("running MGET", () -> client.executeCommand(commandObjects.mget(batch.toArray(String[]::new))));
    } catch (RedisErrorReply e) {
      // TRYAGAIN: some of the keys have moved to the slot's new owner and some not yet.
      if (!e.hasCode(TRYAGAIN)) {
        throw e;
      }
      return oneByOne(batch);
    }
  }

  /** GET per key (each follows its own ASK): null for a key of another type, as MGET gives. */
  private List<String> oneByOne(List<String> keys) {
    List<String> values = new ArrayList<>(keys.size());
    for (String key : keys) {
      try {
        values.add(get(key));
      } catch (RedisErrorReply e) {
        if (!e.hasCode(WRONGTYPE)) {
          throw e;
        }
        values.add(null);
      }
    }
    return values;
  }

  private static void collect(List<String> keys, List<String> fetched, Map<String, String> values) {
    for (int i = 0; i < keys.size(); i++) {
      values.put(keys.get(i), fetched.get(i));
    }
  }

  private static List<String> inOrder(List<String> keys, Map<String, String> values) {
    List<String> ordered = new ArrayList<>(keys.size());
    for (String key : keys) {
      ordered.add(values.get(key));
    }
    return ordered;
  }

  @Override
  public String type(String key) {
    return call("running TYPE", () -> client.type(key));
  }

  @Override
  public String hget(String key, String field) {
    return call("running HGET", () -> client.hget(key, field));
  }

  @Override
  public HashPage hscan(String key, String cursor, int count) {
    ScanResult<Map.Entry<String, String>> result = call("running HSCAN",
        () -> client.hscan(key, cursor, new ScanParams().count(count)));
    return new HashPage(result.getCursor(), result.getResult());
  }

  /** Routed by the keys' one slot; a primary that lacks the script (just promoted) answers NOSCRIPT. */
  @Override
  public Object evalsha(String sha1, ScriptReply reply, List<String> keys, List<String> args) {
    return call("running a script", () -> client.evalsha(sha1, keys, args));
  }

  @Override
  public Object eval(String script, ScriptReply reply, List<String> keys, List<String> args) {
    return call("running a script", () -> client.eval(script, keys, args));
  }

  /**
   * Classic PUBLISH, sent to the owner of the channel's slot: any node would take it, and the cluster
   * bus carries it to every node, but one node per channel keeps a channel's sends in the order they
   * were made for every subscriber (E3), whichever adapter sent them.
   */
  @Override
  public void publish(String channel, String message) {
    CommandArguments publish = new CommandArguments(Protocol.Command.PUBLISH).key(channel).add(message);
    call("publishing", () -> client.executeCommand(new CommandObject<>(publish, BuilderFactory.LONG)));
  }

  @Override
  public void spublish(String channel, String message) {
    call("publishing", () -> client.spublish(channel, message));
  }

  /** Runs a routed command, mapping Jedis's failures. */
  private <T> T call(String action, Supplier<T> command) {
    settings.giveUp().requireNotGivenUp();
    try {
      return command.get();
    } catch (JedisAccessControlException e) {
      // NOPERM: the user may not run this command, an error like any other; else the login failed.
      if (e.getMessage() != null && e.getMessage().startsWith("NOPERM")) {
        throw new RedisErrorReply(e.getMessage(), e);
      }
      throw settings.failures().connectionFailure(action, e);
    } catch (JedisProtocolNotSupportedException e) {
      // A node connection made for this command was refused its handshake: not the command's reply.
      throw settings.failures().connectionFailure(action, e);
    } catch (JedisDataException e) {
      throw new RedisErrorReply(e.getMessage(), e);
    } catch (JedisException e) {
      // Connection failures, the cluster client's "no more attempts" and the pools' own failures.
      throw settings.failures().connectionFailure(action, e);
    }
  }

  /**
   * Runs a command on one node's pooled connection. A connection failure renews the slot map, so
   * that the next call sees a failover.
   */
  private <T> T onNode(HostAndPort node, String action, boolean opening, Function<Jedis, T> command) {
    settings.giveUp().requireNotGivenUp();
    try (Jedis jedis = new Jedis(nodeConnection(node, action, opening))) {
      return command.apply(jedis);
    } catch (JedisAccessControlException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("NOPERM")) {
        throw new RedisErrorReply(e.getMessage(), e);
      }
      throw failure(action, e, opening);
    } catch (JedisDataException e) {
      throw new RedisErrorReply(e.getMessage(), e);
    } catch (JedisException e) {
      renewSlotMap();
      throw failure(action, e, opening);
    }
  }

  private Connection nodeConnection(HostAndPort node, String action, boolean opening) {
    try {
      return provider.getConnection(node);
    } catch (JedisDataException e) {
      // An error reply while the connection is made is the handshake's, which may repeat the
      // password (see JedisConnections): only a refused login's fixed text stays.
      if (e instanceof JedisAccessControlException) {
        throw e;
      }
      throw new JedisConnections.HandshakeRefused();
    }
  }

  private RuntimeException failure(String action, JedisException e, boolean opening) {
    return opening
        ? settings.failures().openingFailure(action, e)
        : settings.failures().connectionFailure(action, e);
  }

  /**
   * Where the flat layout's classic subscriber connects (L3, E7): any node takes SUBSCRIBE and hears
   * every node's PUBLISH over the cluster bus.
   *
   * @param reconnecting whether the slot map is refreshed first (the node it was on may be gone)
   * @return the primaries, the other nodes the client knows, then the seeds
   */
  List<HostAndPort> subscriberNodes(boolean reconnecting) {
    if (reconnecting) {
      renewSlotMap();
    }
    Set<HostAndPort> nodes = new LinkedHashSet<>(slotOwners());
    for (String node : provider.getNodes().keySet()) {
      nodes.add(HostAndPort.from(node));
    }
    nodes.addAll(settings.seeds());
    return List.copyOf(nodes);
  }

  /** @return the slot map's owner of a slot, or null if the map has none */
  HostAndPort ownerOf(int slot) {
    return provider.getNode(slot);
  }

  /** Asks a node for the slot map again; a refresh already running makes this return at once. */
  void renewSlotMap() {
    try {
      provider.renewSlotCache();
    } catch (JedisException e) {
      // No node answered: the next command's own retries renew it again.
    }
  }

  /**
   * The commands seen from one primary: {@link #scan} and {@link #publish} run on that node alone, MGET
   * is split by slot, and every other command is routed as the cluster's.
   */
  private final class NodeCommands implements RedisCommands {
    private final HostAndPort node;

    NodeCommands(HostAndPort node) {
      this.node = node;
    }

    @Override
    public boolean isCluster() {
      return true;
    }

    @Override
    public ScanPage scan(String cursor, String matchPattern, int count) {
      ScanResult<String> result = onNode(node, "running SCAN", false,
          jedis -> jedis.scan(cursor, new ScanParams().match(matchPattern).count(count)));
      return new ScanPage(result.getCursor(), result.getResult());
    }

    /**
     * The MGETs (one per slot) and the next SCAN pipelined on this node's connection. A slot that
     * moved away meanwhile (MOVED, ASK, TRYAGAIN) is fetched again through the routed commands.
     */
    @Override
    public PendingStep sendScanAndMget(
        String cursor, String matchPattern, int count, List<List<String>> keyBatches) {
      String action = "running MGET and SCAN";
      settings.giveUp().requireNotGivenUp();
      List<String> keys = new ArrayList<>();
      keyBatches.forEach(keys::addAll);
      List<List<String>> slotBatches = RedisSlots.batchesBySlot(keys, MGET_BATCH);
      Connection connection;
      try {
        connection = nodeConnection(node, action, false);
      } catch (JedisException e) {
        renewSlotMap();
        throw settings.failures().connectionFailure(action, e);
      }
      Pipeline pipeline;
      List<Response<List<String>>> values = new ArrayList<>(slotBatches.size());
      Response<ScanResult<String>> next;
      try {
        pipeline = new Pipeline(connection, false);
        for (List<String> batch : slotBatches) {
          values.add(pipeline.mget(batch.toArray(String[]::new)));
        }
        next = cursor == null ? null : pipeline.scan(cursor, new ScanParams().match(matchPattern).count(count));
        // Sends what is buffered: getMany flushes first, and reads no reply when asked for none.
        connection.getMany(0);
      } catch (JedisException e) {
        connection.setBroken();
        connection.close();
        renewSlotMap();
        throw settings.failures().connectionFailure(action, e);
      }
      return new NodeStep(action, connection, pipeline, keys, slotBatches, values, next);
    }

    @Override
    public List<String> mget(List<String> keys) {
      return JedisClusterCommands.this.mget(keys);
    }

    @Override
    public String get(String key) {
      return JedisClusterCommands.this.get(key);
    }

    @Override
    public String type(String key) {
      return JedisClusterCommands.this.type(key);
    }

    @Override
    public String hget(String key, String field) {
      return JedisClusterCommands.this.hget(key, field);
    }

    @Override
    public HashPage hscan(String key, String cursor, int count) {
      return JedisClusterCommands.this.hscan(key, cursor, count);
    }

    @Override
    public Object evalsha(String sha1, ScriptReply reply, List<String> keys, List<String> args) {
      return JedisClusterCommands.this.evalsha(sha1, reply, keys, args);
    }

    @Override
    public Object eval(String script, ScriptReply reply, List<String> keys, List<String> args) {
      return JedisClusterCommands.this.eval(script, reply, keys, args);
    }

    /**
     * PUBLISH run on this node itself, not routed: a {@link dev.streams.redis.internal.SubscribeBarrier}
     * sends its token from every primary, so that its copy comes over that primary's bus link.
     */
    @Override
    public void publish(String channel, String message) {
      onNode(node, "publishing", false, jedis -> jedis.publish(channel, message));
    }

    @Override
    public void spublish(String channel, String message) {
      JedisClusterCommands.this.spublish(channel, message);
    }

    @Override
    public String toString() {
      return "primary " + node;
    }
  }

  /** A pipelined step on one node's borrowed connection, returned to its pool once read. */
  private final class NodeStep implements PendingStep {
    private final String action;
    private final Connection connection;
    private final Pipeline pipeline;
    private final List<String> keys;
    private final List<List<String>> batches;
    private final List<Response<List<String>>> values;
    private final Response<ScanResult<String>> next;
    private boolean done;

    NodeStep(String action, Connection connection, Pipeline pipeline, List<String> keys,
        List<List<String>> batches, List<Response<List<String>>> values, Response<ScanResult<String>> next) {
      this.action = action;
      this.connection = connection;
      this.pipeline = pipeline;
      this.keys = keys;
      this.batches = batches;
      this.values = values;
      this.next = next;
    }

    @Override
    public ScanStep await() {
      done = true;
      Map<String, String> fetched = new HashMap<>();
      List<List<String>> moved = new ArrayList<>();
      ScanResult<String> page;
      boolean read = false;
      try {
        pipeline.sync();
        read = true;
        for (int i = 0; i < batches.size(); i++) {
          try {
            collect(batches.get(i), values.get(i).get(), fetched);
          } catch (JedisRedirectionException e) {
            moved.add(batches.get(i));
          } catch (JedisDataException e) {
            RedisErrorReply reply = new RedisErrorReply(e.getMessage(), e);
            if (!reply.hasCode(TRYAGAIN)) {
              throw reply;
            }
            moved.add(batches.get(i));
          }
        }
        try {
          page = next == null ? null : next.get();
        } catch (JedisDataException e) {
          throw new RedisErrorReply(e.getMessage(), e);
        }
      } catch (JedisException e) {
        renewSlotMap();
        throw settings.failures().connectionFailure(action, e);
      } finally {
        if (!read) {
          // Replies may be left unread on it: no later caller may read them as its own.
          connection.setBroken();
        }
        connection.close();
      }
      // After the node's connection is back: the routed MGETs take connections of their own.
      for (List<String> batch : moved) {
        collect(batch, routedMget(batch), fetched);
      }
      return new ScanStep(page == null ? null : new ScanPage(page.getCursor(), page.getResult()),
          inOrder(keys, fetched));
    }

    @Override
    public void close() {
      if (done) {
        return;
      }
      done = true;
      try {
        pipeline.sync();
      } catch (RuntimeException e) {
        // A connection whose replies were not all read must not serve anyone else.
        connection.setBroken();
      } finally {
        connection.close();
      }
    }
  }
}
