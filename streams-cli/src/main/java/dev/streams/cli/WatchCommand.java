package dev.streams.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import dev.streams.json.StreamJson;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watch", description = "Follow a group's or an item's events live, one line each, until Ctrl-C.")
final class WatchCommand extends StreamsCommand {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  @Parameters(index = "0", paramLabel = "GROUP", description = "The group, e.g. users")
  String groupId;

  @Parameters(index = "1", arity = "0..1", paramLabel = "ID",
      description = "Follow only this item's channel")
  String id;

  @Option(names = "--count", paramLabel = "N", description = "Stop after N events")
  Integer count;

  @Override
  int run(StreamAdapter streams) throws InterruptedException {
    StreamChannel channel = id == null ? StreamChannel.group(groupId) : StreamChannel.item(groupId, id);
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger seen = new AtomicInteger();
    Output output = output();
    streams.subscribe(channel, event -> {
      synchronized (this) {
        print(output, channel, event);
      }
      if (count != null && seen.incrementAndGet() >= count) {
        done.countDown();
      }
    });
    // Ctrl-C: close the subscription and the connections before the JVM goes.
    Thread stop = new Thread(() -> {
      done.countDown();
      streams.close();
    }, "streams-watch-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    if (!output.isJson()) {
      err().println("watching " + channel + " on " + StreamsCli.whereTo(config())
          + (count == null ? " (Ctrl-C to stop)" : " for " + count + " events"));
      err().flush();
    }
    try {
      done.await();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException shuttingDown) {
        // The hook is already running: it closes the adapter.
      }
    }
    return 0;
  }

  private void print(Output output, StreamChannel channel, StreamEvent event) {
    Instant now = Instant.now();
    JsonNode data = event.data();
    String itemId = data instanceof ObjectNode object && object.hasNonNull("id")
        ? object.get("id").asText() : channel.itemId().orElse("-");
    if (output.isJson()) {
      ObjectNode line = StreamJson.objectMapper().createObjectNode();
      line.put("time", now.toString());
      line.put("channel", channel.toString());
      line.put("type", event.type());
      line.put("id", itemId);
      line.set("data", data);
      out().println(Output.compact(line));
    } else {
      out().printf("%s  %-7s %-20s %s%n", TIME.format(now), event.type(), itemId, Output.compact(data));
    }
    out().flush();
  }
}
