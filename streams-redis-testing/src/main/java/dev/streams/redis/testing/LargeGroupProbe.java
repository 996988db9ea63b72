package dev.streams.redis.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import java.util.List;

/**
 * Runs one group operation in a JVM of its own, so that {@code LargeGroupFamily} can bound its
 * heap: {@code query}, {@code group} or {@code clear} on the group named by the second argument,
 * connected by the environment variables of C2. Prints one line with the result.
 */
public final class LargeGroupProbe {

  private LargeGroupProbe() {}

  /**
   * @param args the operation and the group
   */
  public static void main(String[] args) {
    String operation = args[0];
    String groupId = args[1];
    try (StreamAdapter adapter = Streams.open(StreamConfig.fromEnvironment())) {
      switch (operation) {
        case "query" -> {
          List<ObjectNode> page = adapter.query(groupId, Query.builder().where("status", "active")
              .orderBy("createdAt", SortDirection.DESC).limit(10).build());
          System.out.println("ids " + String.join(",", page.stream().map(d -> d.get("id").asText()).toList()));
        }
        case "group" -> {
          List<ObjectNode> items = adapter.getGroup(groupId);
          long sum = 0;
          for (ObjectNode item : items) {
            sum += item.get("createdAt").asLong();
          }
          System.out.println("items " + items.size() + " sum " + sum);
        }
        case "clear" -> System.out.println("cleared " + adapter.clear(groupId));
        default -> throw new IllegalArgumentException("unknown operation " + operation);
      }
    }
  }
}
