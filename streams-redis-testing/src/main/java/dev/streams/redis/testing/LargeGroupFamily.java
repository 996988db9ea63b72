package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamConfig;
import dev.streams.StreamLayout;
import dev.streams.redis.server.RedisEndpoint;
import dev.streams.spi.KeyLayout;
import dev.streams.spi.StreamMigration;
import dev.streams.redis.server.RedisServerProcess;
import dev.streams.redis.server.RespConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * K5 and O7 at scale: a group of 100,000 items beside 100,000 keys of another group is queried
 * and cleared by a JVM whose heap is far too small to hold the group, so memory follows the batches,
 * not the group or the keyspace; and read whole by {@code getGroup}, whose result is the group
 * itself. Each operation runs in its own JVM ({@link LargeGroupProbe}) with a fixed {@code -Xmx},
 * against a server of the family's own, filled once. Under either layout (L2: one hash per group);
 * under {@code flat}, the other group is then moved to the hash layout and back (L4).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class LargeGroupFamily extends KitFamily {

  private static final Logger LOG = LoggerFactory.getLogger(LargeGroupFamily.class);
  private static final int ITEMS = 100_000;
  private static final String GROUP = "big";
  private static final String OTHER_GROUP = "other";
  private static final String KEY_PREFIX = "large:";
  /**
   * Measured on Jedis: a query or clear that streams the batches runs in 8–12 MB; the earlier code,
   * which read the group's text whole before parsing it, needed more than 96 MB for the query.
   */
  private static final int QUERY_AND_CLEAR_HEAP_MB = 32;
  /** About twice the result: 100,000 documents as Jackson trees take about 80 MB. */
  private static final int GROUP_HEAP_MB = 160;
  private static final Duration PROBE_LIMIT = Duration.ofMinutes(3);

  private final StreamLayout layout;
  private RedisServerProcess server;

  LargeGroupFamily(RedisBackendKit kit) {
    this(kit, StreamLayout.FLAT);
  }

  LargeGroupFamily(RedisBackendKit kit, StreamLayout layout) {
    super(kit);
    this.layout = layout;
  }

  private KeyLayout keys() {
    return new KeyLayout(KEY_PREFIX, StreamConfig.DEFAULT_EVENT_PREFIX, layout);
  }

  /** @return how many keys that many groups take: one per item, or one hash per group */
  private long keysOfGroups(int groups) {
    return layout == StreamLayout.HASH ? groups : (long) ITEMS * groups;
  }

  @BeforeAll
  final void startAndFill() {
    server = redis.startServer();
    try (RespConnection connection = RespConnection.open(server.endpoint(), Duration.ofSeconds(30))) {
      fill(connection, GROUP);
      fill(connection, OTHER_GROUP);
      assertThat(connection.call("DBSIZE")).isEqualTo(keysOfGroups(2));
    }
  }

  @AfterAll
  final void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * The items exactly as the adapter writes them, 1,000 per MSET (or HSET into the group's hash), all
   * sent before any reply is read.
   */
  private void fill(RespConnection connection, String groupId) {
    int batch = 1000;
    boolean hash = layout == StreamLayout.HASH;
    for (int from = 0; from < ITEMS; from += batch) {
      List<String> command = new ArrayList<>(2 + 2 * batch);
      command.add(hash ? "HSET" : "MSET");
      if (hash) {
        command.add(keys().groupKey(groupId));
      }
      for (int i = from; i < from + batch; i++) {
        command.add(hash ? id(i) : keys().dataKey(groupId, id(i)));
        command.add(document(i));
      }
      connection.send(command.toArray(String[]::new));
    }
    for (int from = 0; from < ITEMS; from += batch) {
      assertThat(connection.readReply()).isIn("OK", (long) batch);
    }
  }

  private static String id(int i) {
    return String.format("i%06d", i);
  }

  private static long createdAt(int i) {
    return 1_700_000_000_000L + i;
  }

  /** About 150 bytes, as in the benchmark: {name, email, status, createdAt} and the id. */
  private static String document(int i) {
    return "{\"name\":\"User number " + i + "\",\"email\":\"user" + i + "@example.com\",\"status\":\""
        + (i % 2 == 0 ? "active" : "inactive") + "\",\"createdAt\":" + createdAt(i) + ",\"id\":\"" + id(i) + "\"}";
  }

  @Test
  @Order(1)
  @DisplayName("K5 — query: the first page of 100,000 items, in a " + QUERY_AND_CLEAR_HEAP_MB + " MB heap")
  void queriesInBoundedMemory() {
    StringJoiner expected = new StringJoiner(",");
    for (int k = 0; k < 10; k++) {
      expected.add(id(ITEMS - 2 - 2 * k)); // the newest active items: even numbers from the top
    }
    assertThat(probe("query", QUERY_AND_CLEAR_HEAP_MB)).isEqualTo("ids " + expected);
  }

  @Test
  @Order(2)
  @DisplayName("K5 — getGroup: 100,000 items, in a " + GROUP_HEAP_MB + " MB heap")
  void readsInMemoryOfTheResult() {
    long sum = 0;
    for (int i = 0; i < ITEMS; i++) {
      sum += createdAt(i);
    }
    assertThat(probe("group", GROUP_HEAP_MB)).isEqualTo("items " + ITEMS + " sum " + sum);
  }

  @Test
  @Order(3)
  @DisplayName("O7 — clear: 100,000 items, in a " + QUERY_AND_CLEAR_HEAP_MB + " MB heap; the other group untouched")
  void clearsInBoundedMemory() {
    assertThat(probe("clear", QUERY_AND_CLEAR_HEAP_MB)).isEqualTo("cleared " + ITEMS);
    try (RespConnection connection = RespConnection.open(server.endpoint(), Duration.ofSeconds(10))) {
      assertThat(connection.call("DBSIZE")).isEqualTo(keysOfGroups(1));
      assertThat(connection.call("EXISTS", keys().dataKey(OTHER_GROUP, id(0)))).isEqualTo(1L);
    }
  }

  @Test
  @Order(4)
  @DisplayName("L4 — migrate: 100,000 items from flat to hash, a second run copies none, then back with the source deleted")
  void migratesALargeGroupBothWays() {
    org.junit.jupiter.api.Assumptions.assumeTrue(layout == StreamLayout.FLAT,
        "the migration starts from the flat layout's group");
    RedisEndpoint endpoint = server.endpoint();
    StreamConfig config = endpoint.applyTo(StreamConfig.builder()).backend(provider().name())
        .keyPrefix(KEY_PREFIX).build();
    long start = System.nanoTime();
    StreamMigration.Summary there = StreamMigration.of(config, StreamLayout.FLAT, StreamLayout.HASH)
        .groups(List.of(OTHER_GROUP)).run();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    LOG.info("migrate of {} items from flat to hash: {} ms", ITEMS, millis);
    assertThat(there).isEqualTo(new StreamMigration.Summary(1, ITEMS, ITEMS, 0, 0));
    KeyLayout hash = new KeyLayout(KEY_PREFIX, StreamConfig.DEFAULT_EVENT_PREFIX, StreamLayout.HASH);
    try (RespConnection connection = RespConnection.open(endpoint, Duration.ofSeconds(10))) {
      assertThat(connection.call("HLEN", hash.groupKey(OTHER_GROUP))).isEqualTo((long) ITEMS);
      assertThat(connection.call("HGET", hash.groupKey(OTHER_GROUP), id(7))).isEqualTo(document(7));
      assertThat(StreamMigration.of(config, StreamLayout.FLAT, StreamLayout.HASH).allGroups().run())
          .isEqualTo(new StreamMigration.Summary(1, ITEMS, 0, ITEMS, 0));
      assertThat(connection.call("DBSIZE")).isEqualTo((long) ITEMS + 1);

      assertThat(StreamMigration.of(config, StreamLayout.HASH, StreamLayout.FLAT)
          .groups(List.of(OTHER_GROUP)).deleteSource(true).run())
          .isEqualTo(new StreamMigration.Summary(1, ITEMS, 0, ITEMS, ITEMS));
      assertThat(connection.call("DBSIZE")).isEqualTo((long) ITEMS);
      assertThat(connection.call("GET", keys().dataKey(OTHER_GROUP, id(7)))).isEqualTo(document(7));
    }
  }

  /** Runs {@link LargeGroupProbe} with the heap bound; @return its last line of output. */
  private String probe(String operation, int heapMb) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path output;
    try {
      output = Files.createTempFile("streams-large-group-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx" + heapMb + "m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), LargeGroupProbe.class.getName(), operation, GROUP)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    // Only the connection this test means: no REDIS_URL, password or prefix from the outer environment.
    builder.environment().keySet().removeIf(name -> name.startsWith("REDIS_") || name.startsWith("STREAM"));
    RedisEndpoint endpoint = server.endpoint();
    builder.environment().put("STREAMS_BACKEND", provider().name());
    builder.environment().put("REDIS_HOST", endpoint.host());
    builder.environment().put("REDIS_PORT", Integer.toString(endpoint.port()));
    builder.environment().put("STREAM_KEY_PREFIX", KEY_PREFIX);
    builder.environment().put("STREAMS_LAYOUT", layout.optionValue());
    long start = System.nanoTime();
    try {
      Process process = builder.start();
      try {
        if (!process.waitFor(PROBE_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
          throw new AssertionError(operation + " did not end within " + PROBE_LIMIT + "; output:\n"
              + Files.readString(output, StandardCharsets.UTF_8));
        }
      } finally {
        process.destroyForcibly();
      }
      String text = Files.readString(output, StandardCharsets.UTF_8).strip();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(process.exitValue()).as("%s in -Xmx%dm exited with %d; output:%n%s",
          operation, heapMb, process.exitValue(), text).isZero();
      String[] lines = text.split("\\R");
      LOG.info("{} of {} items in -Xmx{}m: {} ms including JVM start", operation, ITEMS, heapMb, millis);
      return lines[lines.length - 1];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      try {
        Files.deleteIfExists(output);
      } catch (IOException e) {
        // A temporary file; the system cleans it up.
      }
    }
  }
}
