package dev.streams.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamGroup;
import dev.streams.Streams;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The code shown in README.md, kept here so that it compiles and runs (see its test). */
public final class ReadmeExamples {

  private ReadmeExamples() {}

  /**
   * README "Usage".
   *
   * @param config where to connect
   * @return the query's answer
   */
  public static List<ObjectNode> usage(StreamConfig config) {
    // README:usage
    try (StreamAdapter streams = Streams.open(config)) {
      // Every instance connected to the same store receives the events.
      streams.subscribe(StreamChannel.group("users"),
          event -> System.out.println("Stream event: " + event.type() + " " + event.data()));

      streams.set("users", "user-123",
          Map.of("name", "John", "email", "john@example.com", "status", "active", "createdAt", 1));

      List<ObjectNode> active = streams.query("users", Query.builder()
          .where("status", "active")
          .orderBy("createdAt", SortDirection.DESC)
          .limit(10)
          .offset(0)
          .build());
      // README:end
      return active;
    }
  }

  /** README "Typed items": an application's own class. */
  public record User(String id, String name, String email, String status, long createdAt) {}

  /**
   * README "Typed items".
   *
   * @param streams an open adapter
   * @return the item read back
   */
  public static Optional<User> typed(StreamAdapter streams) {
    // README:typed
    StreamGroup<User> users = streams.group("users", User.class);
    users.set("user-123", new User(null, "John", "john@example.com", "active", 1_700_000_000_000L));
    Optional<User> john = users.get("user-123");           // id filled in: "user-123"
    List<User> active = users.query(Query.builder().where("status", "active").build());
    // README:end
    return active.isEmpty() ? Optional.empty() : john;
  }
}
