package dev.streams.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamConfig;
import dev.streams.StreamEvent;
import dev.streams.StreamException;
import dev.streams.Streams;
import dev.streams.query.Query;
import dev.streams.query.SortDirection;
import dev.streams.json.StreamJson;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Two application instances on one store: one writes, updates, deletes and queries; the other
 * subscribes and prints what it sees, with the time since the write.
 */
@Command(name = "demo",
    description = "Two instances share state: one writes, the other sees every change (memory by default).")
final class DemoCommand extends StreamsCommand {

  /** The events instance 1 causes: 3 creates, 1 update, 1 delete, 1 custom event. */
  private static final int EVENTS = 6;

  @Option(names = "--group", paramLabel = "GROUP", defaultValue = "demo-users",
      description = "The group the demo uses; it is cleared first (default: ${DEFAULT-VALUE})")
  String groupId;

  @Override
  boolean memoryUnlessAddressed() {
    return true;
  }

  @Override
  int run(StreamAdapter writer) throws InterruptedException {
    StreamConfig config = config();
    // Only an explicit --json: the demo is for people, also when piped into a pager.
    boolean json = root.json;
    try (StreamAdapter watcher = Streams.open(config)) {
      if (json) {
        line(object().put("backend", config.backend().orElseThrow()).put("endpoint", config.endpoint())
            .put("database", config.database()).put("group", groupId));
      } else {
        line("Two instances of an application on " + StreamsCli.whereTo(config)
            + ", group '" + groupId + "'");
      }
      writer.clear(groupId);

      CountDownLatch allSeen = new CountDownLatch(EVENTS);
      // Events arrive in publish order: the k-th event comes from the k-th call.
      long[] writtenAt = new long[EVENTS];
      AtomicInteger received = new AtomicInteger();
      watcher.subscribe(StreamChannel.group(groupId), event -> {
        int k = Math.min(received.getAndIncrement(), EVENTS - 1);
        double ms = (System.nanoTime() - writtenAt[k]) / 1e6;
        if (json) {
          ObjectNode seen = object().put("instance", 2).put("saw", event.type()).put("ms", ms);
          seen.set("data", event.data());
          line(seen);
        } else {
          line(String.format("  instance 2 saw %-6s %s  (%.2f ms after the call)",
              event.type(), Output.compact(event.data()), ms));
        }
        allSeen.countDown();
      });

      long now = System.currentTimeMillis();
      step(json, writtenAt, 0, "set u1", () -> writer.set(groupId, "u1", user("Ann", "active", now - 3000)));
      step(json, writtenAt, 1, "set u2", () -> writer.set(groupId, "u2", user("Bo", "inactive", now - 2000)));
      step(json, writtenAt, 2, "set u3", () -> writer.set(groupId, "u3", user("Cy", "active", now - 1000)));
      step(json, writtenAt, 3, "set u2 (now active)", () -> writer.set(groupId, "u2", user("Bo", "active", now)));
      step(json, writtenAt, 4, "delete u3", () -> writer.delete(groupId, "u3"));
      step(json, writtenAt, 5, "send 'note'", () -> writer.send(StreamChannel.group(groupId),
          StreamEvent.of("note", Map.of("text", "instance 1 is done"))));

      if (!allSeen.await(10, TimeUnit.SECONDS)) {
        throw new StreamException("instance 2 saw only " + (EVENTS - allSeen.getCount())
            + " of " + EVENTS + " events within 10 s");
      }
      long start = System.nanoTime();
      List<ObjectNode> active = watcher.query(groupId, Query.builder()
          .where("status", "active").orderBy("createdAt", SortDirection.DESC).limit(10).build());
      double ms = (System.nanoTime() - start) / 1e6;
      if (json) {
        ObjectNode queried = object().put("instance", 2).put("queried", "status=active, newest first")
            .put("ms", ms);
        queried.putArray("items").addAll(active);
        line(queried);
      } else {
        line(String.format("instance 2 queried status=active, newest first (%.2f ms):", ms));
        for (ObjectNode user : active) {
          line("  " + user.get("id").asText() + "  " + user.get("name").asText()
              + "  " + user.get("email").asText());
        }
      }
    }
    return 0;
  }

  private void step(boolean json, long[] writtenAt, int k, String what, Runnable call) {
    if (json) {
      line(object().put("instance", 1).put("call", what));
    } else {
      line("instance 1: " + what);
    }
    writtenAt[k] = System.nanoTime();
    call.run();
  }

  /** One line of output; the two instances print from different threads. */
  private synchronized void line(Object text) {
    out().println(text instanceof ObjectNode node ? Output.compact(node) : text);
    out().flush();
  }

  private static ObjectNode object() {
    return StreamJson.objectMapper().createObjectNode();
  }

  private static ObjectNode user(String name, String status, long createdAt) {
    return StreamJson.objectMapper().createObjectNode()
        .put("name", name)
        .put("email", name.toLowerCase(Locale.ROOT) + "@example.com")
        .put("status", status)
        .put("createdAt", createdAt);
  }
}
