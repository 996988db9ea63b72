package dev.streams.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streams.StreamAdapter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Remove an item and print it; exit code 1 if there was none.")
final class DeleteCommand extends StreamsCommand {

  @Parameters(index = "0", paramLabel = "GROUP", description = "The group, e.g. users")
  String groupId;

  @Parameters(index = "1", paramLabel = "ID", description = "The item's id within the group")
  String id;

  @Override
  int run(StreamAdapter streams) {
    Optional<ObjectNode> removed = streams.delete(groupId, id);
    if (removed.isEmpty()) {
      return notFound(groupId, id);
    }
    output().document(removed.get());
    return 0;
  }
}
