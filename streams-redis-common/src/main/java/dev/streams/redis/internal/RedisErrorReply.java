package dev.streams.redis.internal;

import dev.streams.StreamException;

/**
 * An error reply from Redis, as text ({@code WRONGTYPE ...}, {@code NOSCRIPT ...}, or a script's own
 * error), thrown by a {@link RedisCommands} implementation; {@link RedisErrors} turns it into the
 * library's exception.
 */
public final class RedisErrorReply extends StreamException {

  private static final long serialVersionUID = 1L;

  private final String reply;

  /**
   * @param reply the error text, its code first
   * @param cause the client's exception
   */
  public RedisErrorReply(String reply, Throwable cause) {
    super("Redis answered with an error: " + reply, cause);
    this.reply = reply == null ? "" : reply;
  }

  /** @return the error text, its code first */
  public String reply() {
    return reply;
  }

  /**
   * @param code an error code such as {@code NOSCRIPT}
   * @return whether the reply has that code
   */
  public boolean hasCode(String code) {
    return reply.equals(code) || reply.startsWith(code + " ");
  }
}
