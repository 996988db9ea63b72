package dev.streams.redis.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a loopback port in front of a test server, that can make its connections die
 * silently, as a NAT or firewall that drops a connection does: no FIN, no RST, just nothing.
 *
 * <p>While forwarding, each accepted connection gets a connection to the target and one thread per
 * direction. {@link #blackhole()} stops forwarding in both directions on every open connection
 * without closing any socket (bytes are still read, so the proxy sees when a client gives up, and
 * dropped), and connections accepted meanwhile are held the same way. {@link #forward()} forwards
 * new connections again; the connections blackholed stay dead. {@link #close()} closes every socket
 * and ends every thread.
 */
public final class TcpProxy implements AutoCloseable {

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final long JOIN_MILLIS = 2_000;

  private final RedisEndpoint target;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger acceptedWhileBlackholed = new AtomicInteger();
  private final AtomicInteger severedClosedByClient = new AtomicInteger();
  private volatile boolean blackholing;
  private volatile boolean closed;

  private TcpProxy(RedisEndpoint target, ServerSocket listener) {
    this.target = target;
    this.listener = listener;
    this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
  }

  /**
   * Starts a proxy on a free loopback port.
   *
   * @param target where to forward to
   * @return the running proxy, forwarding
   */
  public static TcpProxy start(RedisEndpoint target) {
    ServerSocket listener;
    try {
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for the proxy", e);
    }
    TcpProxy proxy = new TcpProxy(target, listener);
    proxy.acceptor.start();
    return proxy;
  }

  /** @return the target's endpoint (credentials, database, TLS) at the proxy's address */
  public RedisEndpoint endpoint() {
    return new RedisEndpoint(listener.getInetAddress().getHostAddress(), listener.getLocalPort(),
        target.username(), target.password(), target.database(), target.tls());
  }

  /** Every open connection dies silently, and so do new ones until {@link #forward()}. */
  public void blackhole() {
    blackholing = true;
    for (Link link : links) {
      link.severed = true;
    }
  }

  /** New connections are forwarded again; those blackholed stay dead. */
  public void forward() {
    blackholing = false;
  }

  /** @return how many connections the proxy accepted */
  public int accepted() {
    return accepted.get();
  }

  /** @return how many connections were accepted while blackholing (and so never forwarded) */
  public int acceptedWhileBlackholed() {
    return acceptedWhileBlackholed.get();
  }

  /**
   * @return how many connections that were forwarding when {@link #blackhole()} severed them were
   *     then closed by their client: the client noticed that its connection was dead
   */
  public int severedConnectionsClosedByClient() {
    return severedClosedByClient.get();
  }

  /** Closes the listener and every connection; waits briefly for the threads to end. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    for (Link link : links) {
      link.close();
    }
    join(acceptor);
    for (Thread thread : threads) {
      join(thread);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          // Accepting fails only when the listener broke: nothing more can be proxied.
          closeQuietly(listener);
        }
        return;
      }
      accepted.incrementAndGet();
      if (blackholing) {
        acceptedWhileBlackholed.incrementAndGet();
        Link link = new Link(client, null, true, false);
        open(link);
        continue;
      }
      Socket server = new Socket();
      try {
        server.connect(new InetSocketAddress(target.host(), target.port()), CONNECT_TIMEOUT_MILLIS);
      } catch (IOException e) {
        // The target is down: the client sees its connection closed, as without the proxy.
        closeQuietly(server);
        closeQuietly(client);
        continue;
      }
      open(new Link(client, server, false, true));
    }
  }

  private void open(Link link) {
    links.add(link);
    if (closed) {
      link.close();
      return;
    }
    start(link, true, "tcp-proxy-up-" + link.client.getPort());
    if (link.server != null) {
      start(link, false, "tcp-proxy-down-" + link.client.getPort());
    }
  }

  private void start(Link link, boolean fromClient, String name) {
    Thread thread = new Thread(() -> link.pump(fromClient), name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private static void join(Thread thread) {
    try {
      thread.join(JOIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing on the way out: nothing left to do about it.
    }
  }

  /** One client connection and, unless it was born blackholed, its connection to the target. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    /** Whether this link was forwarding once: a client that closes it after the blackhole counts. */
    private final boolean wasForwarding;
    private volatile boolean severed;
    private volatile boolean ended;

    Link(Socket client, Socket server, boolean severed, boolean wasForwarding) {
      this.client = client;
      this.server = server;
      this.severed = severed;
      this.wasForwarding = wasForwarding;
    }

    /** Copies one direction until either end closes; drops the bytes while severed. */
    void pump(boolean fromClient) {
      byte[] buffer = new byte[8192];
      try {
        InputStream in = (fromClient ? client : server).getInputStream();
        OutputStream out = fromClient ? (server == null ? null : server.getOutputStream()) : client.getOutputStream();
        while (true) {
          int read = in.read(buffer);
          if (read < 0) {
            break;
          }
          if (!severed && out != null) {
            out.write(buffer, 0, read);
            out.flush();
          }
        }
        // End of stream.
        if (fromClient && severed && wasForwarding && !closed && !ended) {
          severedClosedByClient.incrementAndGet();
        }
      } catch (SocketException e) {
        // Reset by the client, or closed here: the same as an end of stream below.
        if (fromClient && severed && wasForwarding && !closed && !ended) {
          severedClosedByClient.incrementAndGet();
        }
      } catch (IOException e) {
        // Any other failure ends the link too.
      }
      if (!severed || closed) {
        close();
      } else if (fromClient) {
        // The client left a dead link: the server side may go now, unseen by anyone.
        close();
      }
    }

    void close() {
      if (ended) {
        return;
      }
      ended = true;
      closeQuietly(client);
      closeQuietly(server);
      links.remove(this);
    }
  }
}
