/**
 * Internal: the Redis logic that every Redis backend shares, written once. Not a public API; it may
 * change in any release without notice.
 *
 * <p>A backend supplies a {@link dev.streams.redis.internal.RedisCommands} (the few commands the
 * shared algorithms need, on its own client and topology) and pub/sub, and extends
 * {@link dev.streams.redis.internal.RedisStreamAdapter}. Everything that decides what is stored and
 * published lives here: the Lua scripts ({@link dev.streams.redis.internal.StreamScripts}), group reads
 * and clears ({@link dev.streams.redis.internal.GroupOperations}), hash slots
 * ({@link dev.streams.redis.internal.RedisSlots}) and the mapping of Redis error replies
 * ({@link dev.streams.redis.internal.RedisErrors}). So every Redis backend writes the same bytes and
 * publishes the same messages (K2, E1). Both also share how connection failures are worded
 * ({@link dev.streams.redis.internal.ConnectionFailures}, whose {@code why} each backend gives), how
 * the reconnect strategy is asked ({@link dev.streams.redis.internal.ReconnectStrategyGuard}) and
 * that its giving up ends the adapter ({@link dev.streams.redis.internal.ReconnectGiveUp}), and when
 * a silent subscriber connection is pinged and given up
 * ({@link dev.streams.redis.internal.SubscriberKeepAlive}).
 */
package dev.streams.redis.internal;
