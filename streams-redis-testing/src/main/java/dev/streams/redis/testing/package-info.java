/**
 * The Redis backend kit, beside the TCK: {@link dev.streams.redis.testing.RedisServerExtension} gives a
 * test class a Redis server, from the first source that is available:
 *
 * <ol>
 *   <li>the URL in the environment variable {@value dev.streams.redis.testing.RedisServerExtension#URL_VARIABLE}
 *       (the server is flushed between tests: point it at a disposable server);
 *   <li>a Testcontainers {@code redis:7} container, when a Docker engine is reachable;
 *   <li>{@code redis-server} from the {@code PATH}, started on a free loopback port.
 * </ol>
 *
 * <p>The server is started once per JVM and stopped when the JVM exits. Use this
 * module in test scope only.
 *
 * <p>What every Redis backend's tests share, so that no backend copies them: the TCK store with a raw
 * view on a plain RESP connection ({@link dev.streams.redis.testing.RedisTckStore}), the Redis kit
 * ({@link dev.streams.redis.testing.RedisBackendKit}: configuration, subscriber connection, server
 * faults, keepalive, a large group, secrecy and TLS, each a nested family, run from one class per
 * backend), and the least-privilege ACL user of the README
 * ({@link dev.streams.redis.testing.RedisLeastPrivilege}).
 * {@link dev.streams.redis.testing.RedisClusterExtension} gives a test class a Redis Cluster of its own,
 * and {@link dev.streams.redis.testing.RedisClusterTckStore} is the TCK store on it (the seed nodes as
 * {@code clusterNodes}, each raw command on its key's slot owner, events as the layout sends them).
 * The servers themselves come from {@code dev.streams.redis.server}.
 */
package dev.streams.redis.testing;
