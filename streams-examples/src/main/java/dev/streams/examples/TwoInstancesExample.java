package dev.streams.examples;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamEvent;
import dev.streams.StreamGroup;
import dev.streams.Streams;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Two application instances share one store: one writes, the other receives every change as an
 * event and queries the result. Runs on the memory backend by default; set {@code REDIS_URL} (or
 * {@code REDIS_HOST}) and {@code STREAMS_BACKEND} to run it against Redis.
 */
public final class TwoInstancesExample {

  /** An application's own item type. */
  public record User(String id, String name, String email, String status, long createdAt) {}

  private TwoInstancesExample() {}

  /**
   * @param args unused
   * @throws InterruptedException if interrupted while waiting for events
   */
  public static void main(String[] args) throws InterruptedException {
    run(StreamConfig.fromEnvironment(), System.out);
  }

  /**
   * @param config where both instances connect
   * @param out where the story is told
   * @return the events the second instance received
   * @throws InterruptedException if interrupted while waiting for events
   */
  public static List<String> run(StreamConfig config, PrintStream out) throws InterruptedException {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (StreamAdapter writer = Streams.open(config);
        StreamAdapter watcher = Streams.open(config)) {
      out.println("Two instances on " + config.backend().orElse(Streams.availableBackends().toString())
          + " at " + config.endpoint() + " (database " + config.database() + ")");
      StreamGroup<User> users = writer.group("users", User.class);
      users.clear();

      // Instance 2 follows the group.
      CountDownLatch sixEvents = new CountDownLatch(6);
      long start = System.nanoTime();
      watcher.subscribe(StreamChannel.group("users"), event -> {
        String line = String.format("%-6s %s", event.type(), event.data());
        seen.add(line);
        out.printf("  instance 2 saw %s  (+%.1f ms)%n", line, (System.nanoTime() - start) / 1e6);
        sixEvents.countDown();
      });

      // Instance 1 writes.
      long now = System.currentTimeMillis();
      users.set("u1", new User(null, "Ann", "ann@example.com", "active", now - 3000));
      users.set("u2", new User(null, "Bo", "bo@example.com", "inactive", now - 2000));
      users.set("u3", new User(null, "Cy", "cy@example.com", "active", now - 1000));
      users.set("u2", new User(null, "Bo", "bo@example.com", "active", now));
      users.delete("u3");
      writer.send(StreamChannel.group("users"), StreamEvent.of("note", "instance 1 is done"));
      out.println("instance 1 wrote 4 times, deleted once and sent a note");

      if (!sixEvents.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("instance 2 received only " + seen.size() + " of 6 events");
      }

      // Instance 2 reads the shared state.
      Query newestActive = Query.builder()
          .where("status", "active")
          .orderBy("createdAt", SortDirection.DESC)
          .limit(10)
          .build();
      List<User> active = watcher.group("users", User.class).query(newestActive);
      out.println("instance 2 queried the active users, newest first:");
      active.forEach(user -> out.println("  " + user.id() + " " + user.name() + " " + user.email()));
      out.printf("done in %.1f ms%n", (System.nanoTime() - start) / 1e6);
    }
    return seen;
  }
}
