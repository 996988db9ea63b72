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
  private final JedisPipelinedCommands pipeline;

  private JedisStreamAdapter(JedisSettings settings, RedisClient client, JedisConnections connections,
      JedisRedisCommands commands, JedisPipelinedCommands pipeline) {
    super(settings.config(), JedisStreamsProvider.NAME + "://" + settings.config().endpoint() + "/"
        + settings.config().database(), sink -> JedisSubscriber.create(settings, sink), commands, pipeline);
    this.client = client;
    this.connections = connections;
    this.pipeline = pipeline;
    pipeline.onBatch(this::commandsWritten);
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
      throw settings.failures().openingFailure("connecting", e);
    }
    // The asynchronous API's connection (A1); it opens at its first call.
    // Both connections of commands follow one reconnect gate (E7).
    ReconnectGate gate = new ReconnectGate(settings);
    JedisPipelinedCommands pipeline = new JedisPipelinedCommands(settings, gate);
    JedisRedisCommands commands = new JedisRedisCommands(client, connections, settings, gate, pipeline);
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
    return new JedisStreamAdapter(settings, client, connections, commands, pipeline);
  }

  /** @return the command pool (tests occupy it) */
  JedisConnections connections() {
    return connections;
  }

  @Override
  protected void closeBackend() {
    // The subscriber, the transport, is closed by now.
    try {
      pipeline.close();
    } finally {
      client.close();
    }
  }
}
