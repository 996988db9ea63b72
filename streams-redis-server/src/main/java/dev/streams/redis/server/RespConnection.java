package dev.streams.redis.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal RESP2 client for test set-up (FLUSHALL, ACL SETUSER, CONFIG ...), so this module needs no
 * Redis client library and serves every backend alike.
 */
public final class RespConnection implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Connects, logs in if the endpoint has a password, and selects its database.
   *
   * @param endpoint the server
   * @param timeout connect and read timeout
   * @return the connection
   * @throws UncheckedIOException if the server cannot be reached
   * @throws RedisReplyError if the login is refused
   */
  public static RespConnection open(RedisEndpoint endpoint, Duration timeout) {
    Socket socket = null;
    try {
      socket = endpoint.tls() ? SSLSocketFactory.getDefault().createSocket() : new Socket();
      socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      RespConnection connection = new RespConnection(socket);
      if (endpoint.password() != null) {
        if (endpoint.username() != null) {
          connection.call("AUTH", endpoint.username(), endpoint.password());
        } else {
          connection.call("AUTH", endpoint.password());
        }
      }
      if (endpoint.database() != 0) {
        connection.call("SELECT", Integer.toString(endpoint.database()));
      }
      return connection;
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException("cannot connect to Redis at " + endpoint.address(), e);
    } catch (RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  /**
   * Sends one command and reads its reply.
   *
   * @param args the command and its arguments
   * @return a String (simple or bulk string), Long, null, or a List of these
   * @throws RedisReplyError for an error reply
   */
  public Object call(String... args) {
    send(args);
    return readReply();
  }

  /**
   * Sends one command and reads its reply, with bulk strings as their raw bytes: for comparing what
   * is stored or published byte for byte.
   *
   * @param args the command and its arguments
   * @return a {@code byte[]} (bulk string), String (simple string), Long, null, or a List of these
   * @throws RedisReplyError for an error reply
   */
  public Object callBinary(String... args) {
    send(args);
    return readReply(true);
  }

  /**
   * Sends one command without reading its reply: for {@code SUBSCRIBE}, whose replies
   * {@link #readReply()} then reads one by one.
   *
   * @param args the command and its arguments
   */
  public void send(String... args) {
    try {
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      for (String arg : args) {
        byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
        request.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        request.write(bytes);
        request.write("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.write(request.toByteArray());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Redis connection failed during " + args[0], e);
    }
  }

  /**
   * Reads the next reply, or the next message of a subscribed connection.
   *
   * @return as for {@link #call}
   * @throws RedisReplyError for an error reply
   */
  public Object readReply() {
    return readReply(false);
  }

  /**
   * Reads the next reply, or the next message of a subscribed connection.
   *
   * @param binary whether bulk strings come back as {@code byte[]} rather than String
   * @return as for {@link #call} or {@link #callBinary}
   * @throws RedisReplyError for an error reply
   */
  public Object readReply(boolean binary) {
    try {
      return read(binary);
    } catch (IOException e) {
      throw new UncheckedIOException("Redis connection failed while reading a reply", e);
    }
  }

  /**
   * @param timeout how long a read may wait; zero waits for ever (a subscriber between messages)
   */
  public void readTimeout(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object read(boolean binary) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new IOException("connection closed by the server");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new RedisReplyError(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length + 2);
        if (bytes.length < length + 2) {
          throw new IOException("connection closed by the server");
        }
        return binary ? Arrays.copyOf(bytes, length) : new String(bytes, 0, length, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          try {
            items.add(read(binary));
          } catch (RedisReplyError e) {
            items.add(e);
          }
        }
        return items;
      }
      default:
        throw new IOException("unexpected RESP type '" + (char) type + "'");
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\r') {
      if (b < 0) {
        throw new IOException("connection closed by the server");
      }
      line.write(b);
    }
    in.read();
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing after a failure: nothing more to do.
      }
    }
  }

  /** An error reply from Redis. */
  public static final class RedisReplyError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RedisReplyError(String reply) {
      super(reply);
    }
  }
}
