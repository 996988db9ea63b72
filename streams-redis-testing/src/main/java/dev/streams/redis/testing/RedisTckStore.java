package dev.streams.redis.testing;

import dev.streams.StreamConfig;
import dev.streams.StreamAdapterProvider;
import dev.streams.redis.server.RawSubscriber;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.redis.server.RespConnection;
import dev.streams.tck.RawListener;
import dev.streams.tck.RawView;
import dev.streams.tck.TckStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    call("CLIENT", "PAUSE", "600000", "WRITE");
    return Optional.of(() -> call("CLIENT", "UNPAUSE"));
  }

  @Override
  public Optional<RawView> rawView() {
    return Optional.of(new RawView() {
      @Override
      public Optional<String> get(String key) {
        return Optional.ofNullable((String) call("GET", key));
      }

      @Override
      public List<String> keys() {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
          List<?> page = (List<?>) call("SCAN", cursor, "COUNT", "1000");
          cursor = (String) page.get(0);
          for (Object key : (List<?>) page.get(1)) {
            keys.add((String) key);
          }
        } while (!"0".equals(cursor));
        return keys;
      }

      @Override
      public void putForeign(String key, String value) {
        call("SET", key, value);
      }

      @Override
      public boolean putForeignHash(String key, String field, String value) {
        call("HSET", key, field, value);
        return true;
      }

      @Override
      public Map<String, String> getHash(String key) {
        List<?> fieldsAndValues = (List<?>) call("HGETALL", key);
        Map<String, String> hash = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fieldsAndValues.size(); i += 2) {
          hash.put((String) fieldsAndValues.get(i), (String) fieldsAndValues.get(i + 1));
        }
        return hash;
      }

      @Override
      public void publish(String channel, String message) {
        call("PUBLISH", channel, message);
      }

      @Override
      public RawListener listen(String channel) {
        // The listener exists before the subscription, so no message can find it missing.
        RawSubscriber[] subscriber = new RawSubscriber[1];
        RawListener listener = new RawListener(channel, () -> subscriber[0].close());
        subscriber[0] = RawSubscriber.start(endpoint, channel,
            message -> listener.received(new String(message, StandardCharsets.UTF_8)));
        return listener;
      }
    });
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
