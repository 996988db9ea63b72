package dev.streams.redis.jedis;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Makes the pool's sockets, and bounds the adapter's opening by connectTimeout (C4): Jedis bounds the
 * TCP connect by it, but every read of the handshake (HELLO, AUTH, SELECT) and of the first PING by
 * the socket timeout, which is commandTimeout. While the opening is watched, the sockets it creates
 * are closed when connectTimeout has passed, so a server that accepts and never answers ends the
 * opening then: the blocked read fails at once.
 */
final class OpeningDeadline implements JedisSocketFactory {

  private final JedisSocketFactory sockets;
  private final Object lock = new Object();
  /** Sockets of the opening still being watched; null when nothing is watched. Guarded by lock. */
  private List<Socket> watched;
  /** Whether the watched opening ran out of time. Guarded by lock. */
  private boolean expired;

  OpeningDeadline(JedisSocketFactory sockets) {
    this.sockets = sockets;
  }

  @Override
  public Socket createSocket() throws JedisConnectionException {
    Socket socket = sockets.createSocket();
    synchronized (lock) {
      if (watched != null) {
        if (expired) {
          // The connect itself took the time (one attempt per resolved address).
          close(socket);
          throw new JedisConnectionException(new SocketTimeoutException("the opening's connectTimeout passed"));
        }
        watched.add(socket);
      }
    }
    return socket;
  }

  /**
   * Starts watching: sockets created from now until {@link #stop()} are closed once {@code timeout}
   * has passed.
   *
   * @param timeout the connect timeout
   */
  void start(Duration timeout) {
    synchronized (lock) {
      watched = new ArrayList<>();
      expired = false;
    }
    CompletableFuture.runAsync(this::expire,
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS));
  }

  /** @return whether the opening ran out of time; stops watching (the sockets stay open if in time) */
  boolean stop() {
    synchronized (lock) {
      watched = null;
      return expired;
    }
  }

  private void expire() {
    synchronized (lock) {
      if (watched == null) {
        return;
      }
      expired = true;
      watched.forEach(OpeningDeadline::close);
      watched.clear();
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is all that is wanted; a socket that fails to close is already unusable.
    }
  }
}
