package dev.streams.bench;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;

/**
 * A client library used bare, with none of this project's code, set up as the backend on it sets it
 * up: RESP2; Jedis with a pool of as many connections as the backend's, Lettuce with one shared
 * connection on the same transport. The bench runs the workload's commands on it so that the
 * distance between a backend and {@code redis-benchmark} splits into what the client costs and what
 * the library adds.
 */
interface BareClient extends AutoCloseable {

  /** @return the client's name, for the report */
  String name();

  /**
   * @param key a key
   * @return its string, or null
   */
  String get(String key);

  /**
   * EVALSHA of the set script with the library's keys and arguments.
   *
   * @param sha the script's SHA-1
   * @param key the item's data key
   * @param document the stored text
   * @param groupChannel the group's channel
   * @param itemChannel the item's channel
   */
  void evalsha(String sha, String key, String document, String groupChannel, String itemChannel);

  /**
   * Subscribes a handler that the client calls on its own thread (no hand-off, unlike the library,
   * which must keep a slow handler from delaying others).
   *
   * @param channel the channel
   * @param handler gets each message
   * @return ends the subscription; subscribed when this returns
   * @throws Exception if subscribing fails or times out
   */
  AutoCloseable subscribe(String channel, Consumer<String> handler) throws Exception;

  @Override
  void close();

  /** The redis-jedis backend's pool size ({@code JedisSettings.POOL_SIZE}; README, "Choosing a backend"). */
  int JEDIS_POOL_SIZE = 64;

  /**
   * @param backend a backend's name
   * @param port the server's loopback port
   * @return the client library the backend is built on, set up as the backend sets it up; null for
   *     a backend that is not on Redis
   */
  static BareClient forBackend(String backend, int port) {
    return switch (backend) {
      case "redis-jedis" -> jedis(port);
      case "redis-lettuce" -> lettuce(port);
      default -> null;
    };
  }

  /**
   * @param port the server's loopback port
   * @return Jedis with a pool of the backend's size
   */
  static BareClient jedis(int port) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(JEDIS_POOL_SIZE);
    pool.setMaxIdle(JEDIS_POOL_SIZE);
    HostAndPort address = new HostAndPort("127.0.0.1", port);
    JedisClientConfig resp2 = DefaultJedisClientConfig.builder().resp2().build();
    redis.clients.jedis.RedisClient client = redis.clients.jedis.RedisClient.builder()
        .hostAndPort(address).clientConfig(resp2).poolConfig(pool).build();
    return new BareClient() {
      @Override
      public String name() {
        return "jedis, bare";
      }

      @Override
      public String get(String key) {
        return client.get(key);
      }

      @Override
      public void evalsha(String sha, String key, String document, String groupChannel, String itemChannel) {
        client.evalsha(sha, List.of(key), List.of(document, groupChannel, itemChannel));
      }

      @Override
      public AutoCloseable subscribe(String channel, Consumer<String> handler) throws Exception {
        Jedis connection = new Jedis(address, resp2);
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
          @Override
          public void onSubscribe(String name, int count) {
            subscribed.countDown();
          }

          @Override
          public void onMessage(String name, String message) {
            handler.accept(message);
          }
        };
        Thread reader = new Thread(() -> connection.subscribe(listener, channel), "bench-bare-jedis-subscriber");
        reader.setDaemon(true);
        reader.start();
        if (!subscribed.await(10, TimeUnit.SECONDS)) {
          connection.close();
          throw new IllegalStateException("bare Jedis did not subscribe to " + channel);
        }
        return () -> {
          try {
            listener.unsubscribe();
            reader.join(TimeUnit.SECONDS.toMillis(10));
          } finally {
            connection.close();
          }
        };
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }

  /**
   * @param port the server's loopback port
   * @return Lettuce with one shared connection and its synchronous API
   */
  static BareClient lettuce(int port) {
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(RedisURI.create("127.0.0.1", port));
    client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
    StatefulRedisConnection<String, String> connection;
    try {
      connection = client.connect();
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
    RedisCommands<String, String> sync = connection.sync();
    return new BareClient() {
      @Override
      public String name() {
        return "lettuce, bare";
      }

      @Override
      public String get(String key) {
        return sync.get(key);
      }

      @Override
      public void evalsha(String sha, String key, String document, String groupChannel, String itemChannel) {
        sync.evalsha(sha, ScriptOutputType.INTEGER, new String[] {key}, document, groupChannel, itemChannel);
      }

      @Override
      public AutoCloseable subscribe(String channel, Consumer<String> handler) {
        StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub();
        subscriber.addListener(new RedisPubSubAdapter<>() {
          @Override
          public void message(String name, String message) {
            handler.accept(message);
          }
        });
        subscriber.sync().subscribe(channel);
        return subscriber::close;
      }

      @Override
      public void close() {
        connection.close();
        client.shutdown();
      }
    };
  }
}
