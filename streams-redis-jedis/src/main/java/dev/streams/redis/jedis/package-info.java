/**
 * The Redis backend on Jedis, named {@code redis-jedis}: select it with
 * {@code StreamConfig.builder().backend("redis-jedis")}, {@code STREAMS_BACKEND=redis-jedis}, or by
 * having it as the only backend on the classpath.
 *
 * <p>Commands go through a pool of Jedis connections; each {@code set}, {@code delete} and each batch
 * of {@code clear} is one Lua script, so the write and its events are one atomic step and one round
 * trip. Subscriptions share one dedicated connection with its own thread, opened at the first
 * subscription, re-established after a loss following the configured
 * {@link dev.streams.ReconnectStrategy}.
 *
 * <p>With {@code clusterNodes} set it reaches a Redis Cluster (L3): commands are routed to the primary
 * owning each key's slot, group reads scan every primary, and subscriptions use classic pub/sub on
 * one node, moving to another when it is lost (flat layout), or sharded pub/sub on the nodes owning
 * the channels' slots (hash layout).
 */
package dev.streams.redis.jedis;
