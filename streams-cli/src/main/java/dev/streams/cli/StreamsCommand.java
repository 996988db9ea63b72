package dev.streams.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import dev.streams.json.StreamJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the root's options, an adapter, the output, JSON input. */
abstract class StreamsCommand implements Callable<Integer> {

  @ParentCommand
  StreamsCli root;

  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    StreamConfig config = config();
    if (!memoryUnlessAddressed() && StreamsCli.MEMORY.equals(config.backend().orElseThrow())) {
      err().println("streams: backend 'memory' keeps data in this process only; it is gone when the"
          + " command ends (give a Redis address: --url or REDIS_URL)");
      err().flush();
    }
    try (StreamAdapter streams = Streams.open(config)) {
      return run(streams);
    }
  }

  /** @return the configuration this command connects with, its backend named */
  StreamConfig config() {
    return root.config(memoryUnlessAddressed());
  }

  /**
   * @return whether the command runs on memory when given no address; item commands work on
   *     stored data, so they default to Redis at localhost:6379, as redis-cli does
   */
  boolean memoryUnlessAddressed() {
    return false;
  }

  /**
   * @param streams an open adapter
   * @return the exit code
   * @throws Exception anything; mapped to an exit code by {@link StreamsCli}
   */
  abstract int run(StreamAdapter streams) throws Exception;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Says that an item is missing; @return the exit code for it */
  int notFound(String groupId, String id) {
    err().println("streams: no item '" + id + "' in group '" + groupId + "'");
    return StreamsCli.NOT_FOUND;
  }

  Output output() {
    return new Output(out(), root.jsonOutput());
  }

  /**
   * @param text JSON text, or null to read standard input
   * @param what names the input in error messages
   * @return the parsed value
   * @throws IllegalArgumentException if it is not JSON
   */
  JsonNode parseJson(String text, String what) {
    String json = text != null ? text : readStandardInput();
    try {
      JsonNode node = StreamJson.objectMapper().readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException(what + " is empty; give JSON as an argument or on standard input");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * @param text a value from the command line
   * @return its JSON value where it parses as JSON, else the text as a string
   */
  static JsonNode jsonOrString(String text) {
    try {
      JsonNode node = StreamJson.objectMapper().readTree(text);
      if (node != null && !node.isMissingNode()) {
        return node;
      }
    } catch (JsonProcessingException e) {
      // Not JSON: a plain string, as the user typed it.
    }
    return StreamJson.objectMapper().getNodeFactory().textNode(text);
  }

  private String readStandardInput() {
    return root.input().lines().collect(Collectors.joining("\n"));
  }
}
