package dev.streams.redis.testing;

import dev.streams.StreamConfig;
import dev.streams.StreamLayout;
import dev.streams.StreamAdapterProvider;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.server.RespConnection;
import dev.streams.tck.RawView;
import dev.streams.tck.TckStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The TCK's store on the test Redis for any Redis backend: adapters opened by the backend's name, as
 * an application opens them, and a raw view through a plain {@link RespConnection} (no client
 * library, so it judges every backend alike). The server is flushed before and after each test.
 */
public final class RedisTckStore implements TckStore {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final RedisServerExtension redis;
  private final RedisEndpoint endpoint;
  /** Where the adapters under test connect: the endpoint, or it as another user. */
  private final RedisEndpoint adapterEndpoint;
  private final StreamAdapterProvider provider;
  private final RespConnection raw;
  /** The raw view on the one server: every command on {@link #raw}, events on classic pub/sub in both layouts (L2). */
  private final RespRawView view = new RespRawView(StreamLayout.FLAT) {
    @Override
    boolean shardedEvents(StreamLayout layout) {
      return false;
    }

    @Override
    Object call(String key, String... args) {
      return RedisTckStore.this.call(args);
    }

    @Override
    List<Commands> keyHolders() {
      return List.of(RedisTckStore.this::call);
    }

    @Override
    RedisEndpoint subscriberEndpoint(String channel) {
      return endpoint;
    }
  };

  /**
   * @param redis the test server
   * @param provider the backend under test
   */
  public RedisTckStore(RedisServerExtension redis, StreamAdapterProvider provider) {
    this(redis, provider, redis.endpoint());
  }

  private RedisTckStore(RedisServerExtension redis, StreamAdapterProvider provider, RedisEndpoint adapterEndpoint) {
    this.redis = redis;
    this.endpoint = redis.endpoint();
    this.adapterEndpoint = adapterEndpoint;
    this.provider = provider;
    redis.flushAll();
    this.raw = RespConnection.open(endpoint, TIMEOUT);
  }

  /**
   * A store whose adapters log in as another (e.g. a restricted ACL) user, while the raw view keeps
   * the test server's own login.
   *
   * @param redis the test server
   * @param provider the backend under test
   * @param username the user the adapters log in as
   * @param password its password
   * @return the store
   */
  public static RedisTckStore asUser(RedisServerExtension redis, StreamAdapterProvider provider,
      String username, String password) {
    return new RedisTckStore(redis, provider, redis.endpoint().withCredentials(username, password));
  }

  @Override
  public String backendName() {
    return provider.name();
  }

  /** The TCK's database 0 is the endpoint's; its database 1 another database of the same server. */
  @Override
  public StreamConfig configure(StreamConfig settings) {
    int database = switch (settings.database()) {
      case 0 -> adapterEndpoint.database();
      case 1 -> adapterEndpoint.database() == 1 ? 0 : 1;
      default -> throw new IllegalArgumentException(
          "the TCK asks for database 0 or 1, not " + settings.database());
    };
    return adapterEndpoint.applyTo(settings.toBuilder()).database(database).build();
  }

  /**
   * Pauses the server's writes ({@code CLIENT PAUSE ... WRITE}: scripts and PUBLISH wait, reads and
   * this store's own {@code CLIENT UNPAUSE} go on) until the hold is closed.
   */
  @Override
  public Optional<AutoCloseable> holdWrites() {
    return Optional.of(view.holdWrites());
  }

  @Override
  public Optional<RawView> rawView() {
    return Optional.of(view);
  }

  private Object call(String... args) {
    synchronized (raw) {
      return raw.call(args);
    }
  }

  @Override
  public void close() {
    try {
      redis.flushAll();
    } finally {
      raw.close();
    }
  }
}
