package dev.streams.cli;

import dev.streams.StreamAdapter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "group", description = "Print every item of a group, by id.")
final class GroupCommand extends StreamsCommand {

  @Parameters(index = "0", paramLabel = "GROUP", description = "The group, e.g. users")
  String groupId;

  @Override
  int run(StreamAdapter streams) {
    output().documents(streams.getGroup(groupId));
    return 0;
  }
}
