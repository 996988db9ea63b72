package dev.streams.cli;

import dev.streams.StreamAdapter;
import dev.streams.StreamLayout;
import dev.streams.spi.StreamMigration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "migrate",
    description = {"Copy groups from one layout to the other (docs/CONTRACT.md L4) and print the counts.",
        "Copies each item the target layout does not have, without events; an item it has is left"
            + " as it is. Running it again changes nothing; an interrupted run is finished by"
            + " running it again. The source stays unless --delete-source is given."})
final class MigrateCommand extends StreamsCommand {

  /** Progress goes to standard error every so many items of a group. */
  static final long PROGRESS_EVERY = 10_000;

  @Option(names = "--from", required = true, paramLabel = "LAYOUT", description = "flat or hash")
  String from;

  @Option(names = "--to", required = true, paramLabel = "LAYOUT", description = "hash or flat")
  String to;

  @Option(names = "--all", description = "Every group the source layout holds")
  boolean all;

  @Option(names = "--delete-source",
      description = "Remove each group's source items once it is copied (with their delete events)")
  boolean deleteSource;

  @Parameters(arity = "0..*", paramLabel = "GROUP", description = "The groups, e.g. users orders")
  List<String> groups;

  @Override
  int run(StreamAdapter streams) {
    boolean named = groups != null && !groups.isEmpty();
    if (named == all) {
      throw new IllegalArgumentException(named
          ? "migrate takes GROUP names or --all, not both"
          : "migrate needs the GROUP names to move, or --all");
    }
    StreamLayout source = StreamLayout.parse("--from", from);
    StreamLayout target = StreamLayout.parse("--to", to);
    StreamMigration migration = StreamMigration.of(config(), source, target);
    migration = named ? migration.groups(groups) : migration.allGroups();
    StreamMigration.Summary done = migration.deleteSource(deleteSource).onProgress(progress -> {
      // Steps are StreamMigration.DEFAULT_BATCH items, so every tenth step is reported.
      if (progress.total() >= PROGRESS_EVERY
          && (progress.done() % PROGRESS_EVERY == 0 || progress.done() == progress.total())) {
        err().println("group '" + progress.groupId() + "': " + progress.done() + " of " + progress.total()
            + " items, " + progress.copied() + " copied");
        err().flush();
      }
    }).run();
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("groups", done.groups());
    facts.put("items", done.items());
    facts.put("copied", done.copied());
    facts.put("alreadyThere", done.alreadyThere());
    facts.put("sourceRemoved", done.sourceRemoved());
    output().facts(facts, "migrated " + done.groups() + (done.groups() == 1 ? " group" : " groups")
        + " from " + source + " to " + target + ": " + done.items() + " items, " + done.copied()
        + " copied, " + done.alreadyThere() + " already there"
        + (deleteSource ? ", " + done.sourceRemoved() + " removed from the source" : ""));
    return 0;
  }
}
