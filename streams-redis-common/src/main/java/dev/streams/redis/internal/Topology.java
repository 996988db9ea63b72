package dev.streams.redis.internal;

import dev.streams.StreamConfig;

/** What a Redis backend checks of the topology a configuration asks for before it connects. */
public final class Topology {

  private Topology() {}

  /**
   * Refuses a configuration with cluster nodes: the Redis backends reach a single server only so far
   * (L3 is planned), and connecting to {@code host:port} instead would quietly use another store.
   *
   * @param config the configuration
   * @param backend the backend's name, for the message
   * @throws IllegalArgumentException naming {@code clusterNodes} if it is set
   */
  public static void requireSingleServer(StreamConfig config, String backend) {
    if (config.isCluster()) {
      throw new IllegalArgumentException("clusterNodes is set (" + config.endpoint() + "), but the "
          + backend + " backend does not connect to a Redis Cluster yet: give host and port (or a"
          + " URL of one host) of a single server, and leave clusterNodes and REDIS_CLUSTER_NODES unset");
    }
  }
}
