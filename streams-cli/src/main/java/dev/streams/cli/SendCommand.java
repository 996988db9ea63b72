package dev.streams.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "send",
    description = {"Publish an event on a group or item channel; store nothing.",
        "  send GROUP TYPE [JSON]      on the group channel",
        "  send GROUP ID TYPE [JSON]   on the item channel",
        "With three arguments the third is JSON data if it parses as JSON, else the TYPE after an ID."})
final class SendCommand extends StreamsCommand {

  // hideParamSyntax: the label is the whole syntax; picocli would add "[...]" repetition to it.
  @Parameters(arity = "2..4", paramLabel = "GROUP [ID] TYPE [JSON]", hideParamSyntax = true,
      description = "The group, the item's id for its channel, the event type, the event data")
  List<String> arguments;

  @Override
  int run(StreamAdapter streams) {
    String groupId = arguments.get(0);
    String id = null;
    String type;
    JsonNode data = null;
    switch (arguments.size()) {
      case 2 -> type = arguments.get(1);
      case 3 -> {
        JsonNode third = jsonOrNull(arguments.get(2));
        if (third != null) {
          type = arguments.get(1);
          data = third;
        } else {
          id = arguments.get(1);
          type = arguments.get(2);
        }
      }
      default -> {
        id = arguments.get(1);
        type = arguments.get(2);
        data = parseJson(arguments.get(3), "the event data JSON");
      }
    }
    StreamChannel channel = id == null ? StreamChannel.group(groupId) : StreamChannel.item(groupId, id);
    streams.send(channel, new StreamEvent(type, data));
    output().fact("sent", type, "sent '" + type + "' to " + channel);
    return 0;
  }

  private static JsonNode jsonOrNull(String text) {
    JsonNode value = jsonOrString(text);
    return value.isTextual() && !text.trim().startsWith("\"") ? null : value;
  }
}
