/**
 * A local Redis for tests and benchmarks, with no test framework: {@link
 * dev.streams.redis.server.RedisServerProcess} starts {@code redis-server} on a free loopback port
 * (and kills, pauses and restarts it), {@link dev.streams.redis.server.RedisClusterProcess} joins such
 * processes into a Redis Cluster (and fails primaries over, restarts nodes, moves slots), {@link dev.streams.redis.server.RespConnection} talks plain
 * RESP to it, {@link dev.streams.redis.server.RawSubscriber} listens to channels (classic or sharded)
 * as any other client would, {@link dev.streams.redis.server.TcpProxy} sits between a client and the server and can make
 * the path die silently, and {@link dev.streams.redis.server.RedisEndpoint} says where a server listens.
 */
package dev.streams.redis.server;
