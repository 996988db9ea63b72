/**
 * The Redis backend on Lettuce, named {@code redis-lettuce}: select it with
 * {@code StreamConfig.builder().backend("redis-lettuce")}, {@code STREAMS_BACKEND=redis-lettuce}, or
 * by having it as the only backend on the classpath.
 *
 * <p>Commands share one multiplexed connection, so concurrent callers pipeline on one socket; each
 * {@code set}, {@code delete} and each batch of {@code clear} is one Lua script (shared with every
 * Redis backend), so the write and its events are one atomic step and one round trip. Subscriptions
 * share one pub/sub connection, opened at the first subscription. Lost connections are re-established
 * by Lettuce, paced by the configured {@link dev.streams.ReconnectStrategy}.
 */
package dev.streams.redis.lettuce;
