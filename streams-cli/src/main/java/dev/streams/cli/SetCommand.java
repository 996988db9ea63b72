package dev.streams.cli;

import dev.streams.StreamAdapter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "set", description = "Store an item (JSON object from the argument or standard input) and print it.")
final class SetCommand extends StreamsCommand {

  @Parameters(index = "0", paramLabel = "GROUP", description = "The group, e.g. users")
  String groupId;

  @Parameters(index = "1", paramLabel = "ID", description = "The item's id within the group")
  String id;

  @Parameters(index = "2", arity = "0..1", paramLabel = "JSON",
      description = "The item; read from standard input when absent")
  String json;

  @Override
  int run(StreamAdapter streams) {
    output().document(streams.set(groupId, id, parseJson(json, "the item JSON")));
    return 0;
  }
}
