package dev.streams.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Print one item; exit code 1 if there is none.")
final class GetCommand extends StreamsCommand {

  @Parameters(index = "0", paramLabel = "GROUP", description = "The group, e.g. users")
  String groupId;

  @Parameters(index = "1", paramLabel = "ID", description = "The item's id within the group")
  String id;

  @Override
  int run(StreamAdapter streams) {
    Optional<ObjectNode> item = streams.get(groupId, id);
    if (item.isEmpty()) {
      return notFound(groupId, id);
    }
    output().document(item.get());
    return 0;
  }
}
