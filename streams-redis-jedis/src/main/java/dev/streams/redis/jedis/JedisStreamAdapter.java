package dev.streams.redis.jedis;

import dev.streams.StreamConfig;
import dev.streams.StreamConnectionException;
import dev.streams.redis.internal.RedisStreamAdapter;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/** A Redis adapter on Jedis: pooled commands, one subscriber connection. */
final class JedisStreamAdapter extends RedisStreamAdapter {

  private final RedisClient client;
  private final JedisConnections connections;
  private final JedisSubscriber subscriber;

  private JedisStreamAdapter(StreamConfig config, RedisClient client, JedisConnections connections,
      JedisRedisCommands commands, JedisSubscriber subscriber) {
    super(config, JedisStreamsProvider.NAME + "://" + config.endpoint() + "/" + config.database(),
        subscriber, commands);
    this.client = client;
    this.connections = connections;
    this.subscriber = subscriber;
    subscriber.deliverTo(dispatcher());
    commands.onGiveUp(subscriber::gaveUp);
  }

  static JedisStreamAdapter open(StreamConfig config) {
    return open(new JedisSettings(config));
  }

  static JedisStreamAdapter open(JedisSettings settings) {
    StreamConfig config = settings.config();
    RedisClient client;
    JedisConnections connections;
    try {
      connections = new JedisConnections(settings);
      client = RedisClient.builder()
          .clientConfig(settings.clientConfig())
          .connectionProvider(connections)
          .build();
    } catch (JedisException e) {
      throw settings.openingFailure("connecting", e);
    }
    JedisRedisCommands commands = new JedisRedisCommands(client, connections, settings);
    // Fail now, not at the first call, if the server is unreachable or refuses the login; and within
    // connectTimeout, whatever the handshake's reads would wait (C4).
    connections.sockets().start(config.connectTimeout());
    try {
      commands.ping();
    } catch (StreamConnectionException e) {
      client.close();
      if (connections.sockets().stop()) {
        throw settings.failures().failure("connecting", "no answer within connectTimeout "
            + config.connectTimeout() + " (connect, handshake and first PING)", e.getCause());
      }
      throw e;
    } catch (RuntimeException e) {
      client.close();
      throw e;
    } finally {
      connections.sockets().stop();
    }
    return new JedisStreamAdapter(config, client, connections, commands, new JedisSubscriber(settings));
  }

  /** @return the command pool (tests occupy it) */
  JedisConnections connections() {
    return connections;
  }

  @Override
  protected void closeBackend() {
    try {
      subscriber.close();
    } finally {
      client.close();
    }
  }
}
