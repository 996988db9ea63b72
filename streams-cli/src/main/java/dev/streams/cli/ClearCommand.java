package dev.streams.cli;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "clear",
    description = "Remove every item of a group (one delete event each) and print the count.")
final class ClearCommand extends StreamsCommand {

  private static final long PROGRESS_EVERY = 1_000;

  @Parameters(index = "0", paramLabel = "GROUP", description = "The group, e.g. users")
  String groupId;

  @Option(names = {"-y", "--yes"}, description = "Do not ask; required when not on a terminal")
  boolean yes;

  @Override
  int run(StreamAdapter streams) throws IOException {
    if (!yes && !confirmed(streams)) {
      err().println("streams: nothing removed");
      return 0;
    }
    AtomicLong deleted = new AtomicLong();
    if (root.terminal) {
      // Progress from the group's own delete events: clear is one call, its events are not.
      streams.subscribe(StreamChannel.group(groupId), event -> {
        if (StreamEvent.DELETE.equals(event.type()) && deleted.incrementAndGet() % PROGRESS_EVERY == 0) {
          err().print("\rremoved " + deleted.get() + " ...");
          err().flush();
        }
      });
    }
    long removed = streams.clear(groupId);
    if (root.terminal && removed >= PROGRESS_EVERY) {
      err().println();
    }
    output().fact("removed", removed,
        "removed " + removed + (removed == 1 ? " item" : " items") + " from group '" + groupId + "'");
    return 0;
  }

  private boolean confirmed(StreamAdapter streams) throws IOException {
    if (!root.terminal) {
      throw new IllegalArgumentException("clear removes every item of group '" + groupId
          + "': add --yes to confirm (there is no terminal to ask on)");
    }
    int items = streams.getGroup(groupId).size();
    err().print("Remove all " + items + " items of group '" + groupId + "' at "
        + StreamsCli.whereTo(config()) + "? [y/N] ");
    err().flush();
    String answer = root.input().readLine();
    return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
  }
}
