package dev.streams.redis.jedis;

import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.redis.testing.RedisEndpoint;
import dev.streams.redis.testing.RedisServerExtension;
import dev.streams.tck.RawListener;
import dev.streams.tck.RawView;
import dev.streams.tck.TckStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The TCK's store on the test Redis: adapters of the backend under test, and a raw view through a
 * plain Jedis connection. The server is flushed before and after each test.
 */
final class JedisTckStore implements TckStore {

  private final RedisServerExtension redis;
  private final RedisEndpoint endpoint;
  private final Jedis raw;

  JedisTckStore(RedisServerExtension redis) {
    this.redis = redis;
    this.endpoint = redis.endpoint();
    redis.flushAll();
    this.raw = plainConnection(endpoint);
  }

  static Jedis plainConnection(RedisEndpoint endpoint) {
    return new Jedis(new HostAndPort(endpoint.host(), endpoint.port()), plainConfig(endpoint));
  }

  static JedisClientConfig plainConfig(RedisEndpoint endpoint) {
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().resp2()
        .database(endpoint.database()).timeoutMillis(10_000);
    if (endpoint.tls()) {
      config.sslOptions(SslOptions.defaults());
    }
    if (endpoint.username() != null) {
      config.user(endpoint.username());
    }
    if (endpoint.password() != null) {
      config.password(endpoint.password());
    }
    return config.build();
  }

  /** @return options that connect to the test server with the backend under test */
  StreamConfig.Builder connection(StreamConfig.Builder settings) {
    return endpoint.applyTo(settings).backend(JedisStreamsProvider.NAME);
  }

  @Override
  public StreamAdapter open(StreamConfig settings) {
    return new JedisStreamsProvider().open(connection(settings.toBuilder()).build());
  }

  @Override
  public Optional<RawView> rawView() {
    return Optional.of(new RawView() {
      @Override
      public Optional<String> get(String key) {
        synchronized (raw) {
          return Optional.ofNullable(raw.get(key));
        }
      }

      @Override
      public List<String> keys() {
        List<String> keys = new ArrayList<>();
        synchronized (raw) {
          String cursor = ScanParams.SCAN_POINTER_START;
          do {
            ScanResult<String> page = raw.scan(cursor, new ScanParams().count(1000));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
          } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        }
        return keys;
      }

      @Override
      public void putForeign(String key, String value) {
        synchronized (raw) {
          raw.set(key, value);
        }
      }

      @Override
      public void publish(String channel, String message) {
        synchronized (raw) {
          raw.publish(channel, message);
        }
      }

      @Override
      public RawListener listen(String channel) {
        return RawSubscription.start(endpoint, channel);
      }
    });
  }

  @Override
  public void close() {
    try {
      redis.flushAll();
    } finally {
      raw.close();
    }
  }

  /** A plain Jedis subscriber on one channel, on its own connection and thread. */
  static final class RawSubscription {
    private RawSubscription() {}

    static RawListener start(RedisEndpoint endpoint, String channel) {
      Jedis connection = plainConnection(endpoint);
      CountDownLatch subscribed = new CountDownLatch(1);
      RawListener[] listener = new RawListener[1];
      JedisPubSub pubSub = new JedisPubSub() {
        @Override
        public void onSubscribe(String subscribedChannel, int count) {
          subscribed.countDown();
        }

        @Override
        public void onMessage(String messageChannel, String message) {
          listener[0].received(message);
        }
      };
      Thread thread = new Thread(() -> {
        try {
          connection.subscribe(pubSub, channel);
        } catch (RuntimeException e) {
          // Closed by the test.
        } finally {
          connection.close();
        }
      }, "tck-raw-listener-" + channel);
      listener[0] = new RawListener(channel, () -> {
        pubSub.unsubscribe();
        try {
          thread.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        connection.close();
      });
      thread.setDaemon(true);
      thread.start();
      try {
        if (!subscribed.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("raw subscription to " + channel + " not confirmed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return listener[0];
    }
  }
}
