package dev.streams.spi;

import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.StreamDataException;
import dev.streams.StreamLayout;
import dev.streams.Streams;
import dev.streams.internal.Names;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Moves groups from one layout to the other on one store (L4): {@code flat} to {@code hash} or back.
 *
 * <pre>{@code
 * StreamMigration.Summary done = StreamMigration.of(config, StreamLayout.FLAT, StreamLayout.HASH)
 *     .allGroups()
 *     .onProgress(p -> log.info("{}: {} of {} items", p.groupId(), p.done(), p.total()))
 *     .run();
 * }</pre>
 *
 * <ul>
 *   <li>Each item of the source layout that the target layout does not have is copied, byte for
 *       byte, without any event. An item the target already has is left as it is: it may be newer.
 *       So a second run changes nothing, and a run that was interrupted is finished by running it
 *       again.
 *   <li>The source is never changed, unless {@link #deleteSource(boolean)} asks for it: then, once a
 *       group is copied, its source items are removed as {@code clear} removes them, with their
 *       {@code delete} events on the source layout's channels (O7).
 *   <li>A foreign value in the source fails the run with {@link StreamDataException} naming it (K7),
 *       before that group's copy starts; groups done before stay done.
 *   <li>Memory: one group's stored text at a time.
 * </ul>
 *
 * <p>It works on every backend built on {@link AbstractStreamAdapter} that lists groups and copies
 * items ({@link AbstractStreamAdapter#listGroups}, {@link AbstractStreamAdapter#insertAbsent}):
 * memory and both Redis backends.
 */
public final class StreamMigration {

  /** How many items one copy step writes, and how often progress is reported. */
  public static final int DEFAULT_BATCH = 1000;

  private final StreamConfig config;
  private final StreamLayout from;
  private final StreamLayout to;
  private List<String> groups;
  private boolean deleteSource;
  private int batch = DEFAULT_BATCH;
  private Consumer<Progress> progress = p -> { };

  private StreamMigration(StreamConfig config, StreamLayout from, StreamLayout to) {
    this.config = config;
    this.from = from;
    this.to = to;
  }

  /**
   * @param config where the store is, and its prefixes; its own layout is ignored
   * @param from the layout the groups are in
   * @param to the layout to copy them to, not {@code from}
   * @return a migration of no group yet: name them with {@link #groups} or {@link #allGroups}
   * @throws IllegalArgumentException if an argument is null or the layouts are the same; or, for
   *     {@code hash}, if a prefix contains a brace (L2)
   */
  public static StreamMigration of(StreamConfig config, StreamLayout from, StreamLayout to) {
    if (config == null || from == null || to == null) {
      throw new IllegalArgumentException("config, from and to must not be null");
    }
    if (from == to) {
      throw new IllegalArgumentException("from and to must be different layouts, but both were " + from);
    }
    config.toBuilder().layout(from).build();
    config.toBuilder().layout(to).build();
    return new StreamMigration(config, from, to);
  }

  /**
   * @param groupIds the groups to move, each valid (D2)
   * @return this migration
   */
  public StreamMigration groups(Collection<String> groupIds) {
    if (groupIds == null) {
      throw new IllegalArgumentException("groups must not be null");
    }
    List<String> checked = new ArrayList<>(new TreeSet<>(groupIds));
    checked.forEach(Names::requireGroupId);
    this.groups = checked;
    return this;
  }

  /** @return this migration, moving every group the source layout holds */
  public StreamMigration allGroups() {
    this.groups = null;
    return this;
  }

  /**
   * @param deleteSource whether to remove each group's source items once it is copied
   * @return this migration
   */
  public StreamMigration deleteSource(boolean deleteSource) {
    this.deleteSource = deleteSource;
    return this;
  }

  /**
   * @param batch items per copy step and per progress report, 1 or more
   * @return this migration
   */
  public StreamMigration batchSize(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batchSize must be 1 or more, but was " + batch);
    }
    this.batch = batch;
    return this;
  }

  /**
   * @param listener told after each copy step; an exception it throws stops the run there (the run
   *     can be repeated to finish)
   * @return this migration
   */
  public StreamMigration onProgress(Consumer<Progress> listener) {
    this.progress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Runs the migration.
   *
   * @return what it did
   * @throws StreamDataException if a source group holds a foreign value
   * @throws IllegalArgumentException if the backend cannot migrate
   */
  public Summary run() {
    try (StreamAdapter sourceAdapter = Streams.open(config.toBuilder().layout(from).build());
        StreamAdapter targetAdapter = Streams.open(config.toBuilder().layout(to).build())) {
      AbstractStreamAdapter source = migratable(sourceAdapter);
      AbstractStreamAdapter target = migratable(targetAdapter);
      List<String> todo = groups;
      if (todo == null) {
        TreeSet<String> found = new TreeSet<>();
        source.listGroups(found::add);
        todo = new ArrayList<>(found);
      }
      long read = 0;
      long copied = 0;
      long removed = 0;
      for (String groupId : todo) {
        List<Map.Entry<String, String>> items = readSource(source, groupId);
        read += items.size();
        long groupCopied = 0;
        for (int start = 0; start < items.size(); start += batch) {
          List<Map.Entry<String, String>> step =
              items.subList(start, Math.min(items.size(), start + batch));
          groupCopied += target.insertAbsent(groupId, step);
          progress.accept(new Progress(groupId, start + step.size(), items.size(), groupCopied));
        }
        copied += groupCopied;
        if (items.isEmpty()) {
          progress.accept(new Progress(groupId, 0, 0, 0));
        }
        if (deleteSource) {
          removed += source.clear(groupId);
        }
      }
      return new Summary(todo.size(), read, copied, read - copied, removed);
    }
  }

  /** @return the group's items in the source layout, each once, judged as get judges them (K7) */
  private static List<Map.Entry<String, String>> readSource(AbstractStreamAdapter source, String groupId) {
    java.util.TreeMap<String, String> byId = new java.util.TreeMap<>();
    KeyLayout layout = source.layout();
    source.readWholeGroup(groupId, entry -> {
      WireFormat.readDocument(entry.key(), entry.field(), entry.value());
      String id = entry.field() != null ? entry.field() : layout.idOf(groupId, entry.key());
      byId.putIfAbsent(id, entry.value());
    });
    List<Map.Entry<String, String>> items = new ArrayList<>(byId.size());
    byId.forEach((id, value) -> items.add(new AbstractMap.SimpleImmutableEntry<>(id, value)));
    return items;
  }

  private static AbstractStreamAdapter migratable(StreamAdapter adapter) {
    if (adapter instanceof AbstractStreamAdapter base) {
      return base;
    }
    throw new IllegalArgumentException("the backend " + adapter
        + " is not built on AbstractStreamAdapter and cannot migrate layouts");
  }

  /**
   * Where a migration is.
   *
   * @param groupId the group being copied
   * @param done how many of its items were looked at so far
   * @param total how many items the group has in the source layout
   * @param copied how many of those it copied (the others the target had)
   */
  public record Progress(String groupId, long done, long total, long copied) {}

  /**
   * What a migration did.
   *
   * @param groups how many groups it looked at
   * @param items how many items it read from the source layout
   * @param copied how many it copied into the target layout
   * @param alreadyThere how many the target layout already had, left as they were
   * @param sourceRemoved how many source items it removed ({@link #deleteSource(boolean)})
   */
  public record Summary(long groups, long items, long copied, long alreadyThere, long sourceRemoved) {}
}
