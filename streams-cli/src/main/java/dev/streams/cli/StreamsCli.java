package dev.streams.cli;

import dev.streams.StreamConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: connection and output options shared by every subcommand. */
@Command(
    name = "streams",
    // INHERIT: every subcommand gets --help and --version, and the same usage width.
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    abbreviateSynopsis = true,
    version = "streams 0.1.0-SNAPSHOT",
    description = "Inspect, change and watch stream data (the key layout of docs/CONTRACT.md) on any backend.",
    subcommands = {
      DemoCommand.class, GetCommand.class, SetCommand.class, DeleteCommand.class,
      GroupCommand.class, QueryCommand.class, ClearCommand.class, SendCommand.class,
      WatchCommand.class, MigrateCommand.class, CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 success, 1 not found, 2 usage error, 3 connection or server error.",
      "Environment: REDIS_URL, REDIS_HOST, REDIS_PORT, REDIS_USERNAME, REDIS_PASSWORD,",
      "REDIS_DATABASE, STREAM_KEY_PREFIX, STREAM_EVENT_PREFIX, STREAMS_BACKEND, STREAMS_LAYOUT."
    })
public final class StreamsCli {

  /** Exit code: the item was not there. */
  static final int NOT_FOUND = 1;
  /** Exit code: the command line or its input was wrong. */
  static final int USAGE = 2;
  /** Exit code: the store could not be reached or failed. */
  static final int SERVER = 3;

  /** The in-JVM backend's name: data that lasts only as long as the process. */
  static final String MEMORY = "memory";
  /** The system property that names the backend, as {@code Streams.open} reads it. */
  private static final String BACKEND_PROPERTY = "streams.backend";

  @Option(names = "--backend", scope = ScopeType.INHERIT, paramLabel = "NAME",
      description = "memory, redis-jedis or redis-lettuce (default: redis-jedis; for demo, memory"
          + " unless an address is given). memory keeps data only while the command runs")
  String backend;

  @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "redis://[user:password@]host[:port][/db], rediss:// for TLS")
  String url;

  @Option(names = "--cluster-nodes", scope = ScopeType.INHERIT, split = ",", paramLabel = "HOST:PORT",
      description = "Seed nodes of a Redis Cluster, comma-separated (instead of --host and --port;"
          + " or REDIS_CLUSTER_NODES); see docs/CONTRACT.md L3")
  List<String> clusterNodes;

  @Option(names = "--host", scope = ScopeType.INHERIT, paramLabel = "HOST",
      description = "Redis host (default: localhost)")
  String host;

  @Option(names = {"-p", "--port"}, scope = ScopeType.INHERIT, paramLabel = "PORT",
      description = "Redis port (default: 6379)")
  Integer port;

  @Option(names = "--username", scope = ScopeType.INHERIT, paramLabel = "USER",
      description = "Redis ACL user (default: none, the default user)")
  String username;

  @Option(names = "--password", scope = ScopeType.INHERIT, arity = "0..1", interactive = true,
      paramLabel = "PASSWORD", prompt = "Redis password: ",
      description = "Alone, asks for it; prefer REDIS_PASSWORD to putting it on the command line")
  String password;

  @Option(names = {"-n", "--database"}, scope = ScopeType.INHERIT, paramLabel = "DB",
      description = "Redis database number (default: 0)")
  Integer database;

  @Option(names = "--key-prefix", scope = ScopeType.INHERIT, paramLabel = "PREFIX",
      description = "Prefix of item keys (default: motia:stream:)")
  String keyPrefix;

  @Option(names = "--event-prefix", scope = ScopeType.INHERIT, paramLabel = "PREFIX",
      description = "Prefix of event channels (default: motia:stream:events:)")
  String eventPrefix;

  @Option(names = "--layout", scope = ScopeType.INHERIT, paramLabel = "LAYOUT",
      description = "flat (one key per item, the default) or hash (one Redis hash per group);"
          + " see docs/CONTRACT.md L1, L2")
  String layout;

  @Option(names = "--connect-timeout", scope = ScopeType.INHERIT, paramLabel = "SECONDS",
      description = "How long opening a connection may take (default: 10)")
  Integer connectTimeoutSeconds;

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "JSON lines (the default when output is not a terminal)")
  boolean json;

  @Option(names = "--table", scope = ScopeType.INHERIT, hidden = true,
      description = "An aligned table even when output is not a terminal")
  boolean table;

  /** The environment the connection options start from; tests replace it. */
  Map<String, String> environment = System.getenv();
  /** Whether standard input and output are a terminal; tests replace it. */
  boolean terminal = System.console() != null;
  /** Standard input; tests replace it. */
  java.io.BufferedReader input;

  java.io.BufferedReader input() {
    if (input == null) {
      input = new java.io.BufferedReader(
          new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
    }
    return input;
  }

  /**
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(new StreamsCli(), new PrintWriter(System.out, true),
        new PrintWriter(System.err, true), args));
  }

  /**
   * Runs a command line with the given root and streams; what main and the tests call.
   *
   * @return the exit code
   */
  static int run(StreamsCli root, PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(root);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(StreamsCli::usageError);
    commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
      cmd.getErr().println("streams: " + oneLine(e));
      cmd.getErr().flush();
      return exitCodeOf(e);
    });
    return commandLine.execute(args);
  }

  /** A command line picocli cannot parse: one line, any "did you mean", and where help is. */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("streams: " + oneLine(e));
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return USAGE;
  }

  static int exitCodeOf(Throwable e) {
    if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
      return USAGE;
    }
    // StreamConnectionException, StreamDataException and anything unexpected: the store's side.
    return SERVER;
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replace('\n', ' ');
  }

  /**
   * @param memoryUnlessAddressed whether, without any address or backend name, the command runs on
   *     the memory backend (the demo) rather than on Redis at localhost:6379 (the item commands,
   *     like redis-cli)
   * @return the configuration: the environment, then the flags, with the backend always named
   */
  StreamConfig config(boolean memoryUnlessAddressed) {
    StreamConfig.Builder builder = StreamConfig.fromEnvironment(environment).toBuilder();
    if (url != null) {
      builder.url(url);
    }
    if (clusterNodes != null) {
      if (url != null || host != null || port != null) {
        throw new IllegalArgumentException("--cluster-nodes names the nodes of a Redis Cluster, and "
            + (url != null ? "--url" : host != null ? "--host" : "--port") + " a single server: give one"
            + " of them (a URL may name the nodes itself: redis://[user[:password]@]host:port,host:port)");
      }
      builder.clusterNodes(clusterNodes);
    }
    if (host != null) {
      builder.host(host);
    }
    if (port != null) {
      builder.port(port);
    }
    if (username != null) {
      builder.username(username);
    }
    if (password != null) {
      builder.password(password);
    }
    if (database != null) {
      builder.database(database);
    }
    if (keyPrefix != null) {
      builder.keyPrefix(keyPrefix);
    }
    if (eventPrefix != null) {
      builder.eventPrefix(eventPrefix);
    }
    if (layout != null) {
      builder.layout(dev.streams.StreamLayout.parse("--layout", layout));
    }
    if (connectTimeoutSeconds != null) {
      builder.connectTimeout(java.time.Duration.ofSeconds(connectTimeoutSeconds));
    }
    StreamConfig config = builder.build();
    // The same order as Streams.open (option, system property, environment), resolved here so that
    // messages can name the backend in use.
    String chosen = backend != null ? backend
        : config.backend().orElse(System.getProperty(BACKEND_PROPERTY));
    if (chosen == null || chosen.isBlank()) {
      chosen = memoryUnlessAddressed && !addressGiven() ? MEMORY : firstRedisBackend();
    }
    return config.toBuilder().backend(chosen.trim()).build();
  }

  private boolean addressGiven() {
    return url != null || host != null || port != null || clusterNodes != null
        || has("REDIS_URL") || has("REDIS_HOST") || has("REDIS_PORT") || has("REDIS_CLUSTER_NODES");
  }

  private static String firstRedisBackend() {
    List<String> available = dev.streams.Streams.availableBackends();
    for (String candidate : new String[] {"redis-jedis", "redis-lettuce"}) {
      if (available.contains(candidate)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("This command works on Redis by default, but no Redis backend"
        + " is on the classpath (available: " + available + "); choose one with --backend");
  }

  /**
   * @param config a configuration from {@link #config(boolean)}
   * @return the backend and where it stores, for messages: {@code backend 'redis-jedis' at host:6379}
   */
  static String whereTo(StreamConfig config) {
    String name = config.backend().orElseThrow();
    String database = config.database() == 0 ? "" : ", database " + config.database();
    return MEMORY.equals(name)
        ? "backend 'memory', store " + config.endpoint() + database + " (in this process only)"
        : "backend '" + name + "' at " + config.endpoint() + database;
  }

  private boolean has(String variable) {
    String value = environment.get(variable);
    return value != null && !value.isEmpty();
  }

  /** @return whether to print JSON lines rather than a table */
  boolean jsonOutput() {
    return json || (!table && !terminal);
  }
}
