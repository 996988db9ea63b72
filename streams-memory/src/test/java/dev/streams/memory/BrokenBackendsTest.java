package dev.streams.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.tck.EventRecorder;
import dev.streams.tck.RawView;
import dev.streams.tck.StreamsTck;
import dev.streams.tck.TckStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The TCK is able to fail: run against deliberately broken variants of the memory backend, it fails
 * exactly the clauses each variant breaks, and nothing else, and says what broke: each failure's
 * message holds the expected text for its variant.
 */
@DisplayName("TCK against broken backends")
class BrokenBackendsTest {

  private static String previousPatience;

  @BeforeAll
  static void shortenPatience() {
    // A broken variant makes the TCK wait for events that never come: do not wait 30 s for each.
    previousPatience = System.setProperty(EventRecorder.PATIENCE_PROPERTY, "5");
  }

  @AfterAll
  static void restorePatience() {
    if (previousPatience == null) {
      System.clearProperty(EventRecorder.PATIENCE_PROPERTY);
    } else {
      System.setProperty(EventRecorder.PATIENCE_PROPERTY, previousPatience);
    }
  }

  @Test
  @DisplayName("an adapter that always says create fails O2 only")
  void alwaysCreateFailsO2() {
    assertFailures(AlwaysCreateTck.class, Map.of(
        "O2", List.of("[events on the EventRecorder[group channel]]", "[events by type]")));
  }

  @Test
  @DisplayName("an adapter that compares numbers as strings fails Q2, Q4 and the random query test only")
  void numbersAsStringsFailsQ2AndQ4() {
    assertFailures(NumbersAsStringsTck.class, Map.of(
        "Q1–Q5", List.of("(replay with -Dstreams.tck.seed="),
        "Q2", List.of("to contain exactly (and in same order):"),
        "Q4", List.of("to contain exactly (and in same order):")));
  }

  @Test
  @DisplayName("an adapter whose group a* sees group abc fails K5 only")
  void globLeakFailsK5() {
    assertFailures(GlobLeakTck.class, Map.of("K5", List.of("[items of group 'a*']")));
  }

  @Test
  @DisplayName("an adapter that calls handlers on the writer's thread fails E3 and E5 only")
  void handlersOnWriterThreadFailE3AndE5() {
    assertFailures(HandlersOnWriterThreadTck.class, Map.of(
        "E3", List.of("[threads that called the EventRecorder[ordered handler]]", "not to contain"),
        "E5", List.of("handler on the same channel to receive 20 events", "[events queued while stuck (bound 50)]",
            "last event the counting handler saw")));
  }

  @Test
  @DisplayName("an adapter whose asynchronous subscribe completes before the subscription is made fails A1 only")
  void earlyConfirmedSubscribesFailA1() {
    assertFailures(ConfirmsSubscribesEarlyTck.class, Map.of(
        "A1", List.of("to receive exactly the events [create]")));
  }

  @Test
  @DisplayName("an adapter whose event queues never overflow fails E5 only: the overflow clause and the 100,000-event flood")
  void unboundedQueuesFailE5() {
    List<Event> failed = assertFailures(UnboundedQueueTck.class, Map.of(
        "E5", List.of("[events queued while stuck (bound 50)]", "[heap growth while 100,000 events")));
    assertThat(failed).extracting(event -> event.getTestDescriptor().getDisplayName())
        .anySatisfy(name -> assertThat(name).contains("flood of 100,000 events"))
        .anySatisfy(name -> assertThat(name).contains("falls more than eventQueueCapacity events behind"));
  }

  @Test
  @DisplayName("an adapter whose clear stops at the first foreign key fails O7 and K7's clear beside another type only")
  void clearStoppingAtForeignDataFailsO7() {
    List<Event> failed = assertFailures(ClearStopsAtForeignKeyTck.class, Map.of(
        "O7", List.of("motia:stream:mixed:i1000x"),
        "K7", List.of("Expecting code to raise a throwable")));
    assertThat(failed).extracting(event -> event.getTestDescriptor().getDisplayName())
        .hasSize(2)
        .anySatisfy(name -> assertThat(name).startsWith("O7 — clear over 2,000 items and foreign keys"))
        .anySatisfy(name -> assertThat(name).startsWith("K7 — a data key holding another type"));
  }

  @Test
  @DisplayName("an adapter whose set writes over foreign data fails K7 only, at the set")
  void setOverForeignDataFailsK7() {
    // The foreign text, and the value of another type (a hash) at a data key.
    List<Event> failed = assertFailures(SetOverwritesForeignDataTck.class, Map.of(
        "K7", List.of("[set at motia:stream:foreign-not-json:x]", "Expecting code to raise a throwable")));
    assertThat(failed).hasSize(2);
  }

  @Test
  @DisplayName("an adapter that ignores maxDocumentBytes fails D6 only: the configured and the default size limit")
  void ignoredMaxDocumentBytesFailsD6() {
    List<Event> failed = assertFailures(IgnoresMaxDocumentBytesTck.class, Map.of(
        "D6", List.of("Expecting code to raise a throwable.")));
    assertThat(failed).extracting(event -> event.getTestDescriptor().getDisplayName())
        .allSatisfy(name -> assertThat(name).contains("maxDocumentBytes")).hasSize(2);
  }

  @Test
  @DisplayName("a backend whose databases keep their events apart fails E8 only")
  void databasesKeepingEventsApartFailE8() {
    assertFailures(DatabasesKeepEventsApartTck.class, Map.of(
        "E8", List.of("group channel on database 0 to receive a matching event")));
  }

  @Test
  @DisplayName("a store that cannot offer a second database has E8 skipped, with the reason, and fails none")
  void withoutSecondDatabaseE8IsSkipped() {
    EngineExecutionResults results = run(NoSecondDatabaseTck.class);
    assertThat(clausesOf(results.testEvents().failed().list())).isEmpty();
    // E8 alone is skipped for want of a second database (the memory TCK skips others for other
    // reasons), in the blocking pass that run() keeps.
    List<Event> skipped = results.testEvents().aborted().list();
    assertThat(skipped).filteredOn(event -> failureOf(event).contains("TckStore.offersSecondDatabase()"))
        .extracting(event -> clausesOf(List.of(event)))
        .containsExactly(java.util.Set.of("E8"));
  }

  @Test
  @DisplayName("a backend without a raw view has the clauses that need one skipped, with the reason, and fails none")
  void withoutRawViewClausesAreSkipped() {
    EngineExecutionResults results = run(NoRawViewTck.class);
    assertThat(clausesOf(results.testEvents().failed().list())).isEmpty();
    List<Event> skipped = results.testEvents().aborted().list();
    assertThat(clausesOf(skipped)).containsExactly("E1", "E6", "K1", "K2", "K3", "K4", "K6", "K7", "L2", "O7");
    assertThat(skipped).allSatisfy(event -> assertThat(String.valueOf(
            event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(r -> r.getThrowable()).map(Throwable::getMessage).orElse("")))
        .contains("implement TckStore.rawView()"));
    assertThat(results.testEvents().succeeded().count()).isGreaterThan(30);
  }

  @Test
  @DisplayName("a backend whose provider is not registered for ServiceLoader fails S1 only, saying how to register it")
  void unregisteredProviderFailsS1() {
    EngineExecutionResults results = run(UnregisteredProviderTck.class);
    List<Event> failed = assertFailures(results, UnregisteredProviderTck.class, Map.of(
        "S1", List.of("no StreamAdapterProvider named \"" + UnregisteredProvider.NAME + "\"")));
    assertThat(failed).extracting(BrokenBackendsTest::failureOf).allSatisfy(message -> assertThat(message)
        .contains("META-INF/services/").contains("@AutoService"));
    // The clauses that need the registered provider are skipped, saying why, rather than failing too.
    List<Event> skipped = results.testEvents().aborted().list().stream()
        .filter(event -> event.getTestDescriptor().getDisplayName().startsWith("S")).toList();
    assertThat(clausesOf(skipped)).containsExactly("S2", "S3");
    assertThat(skipped).extracting(BrokenBackendsTest::failureOf)
        .allSatisfy(message -> assertThat(message).contains("which S1 found it is not"));
  }

  /**
   * Runs the TCK against a broken variant: it must fail exactly the clauses given, each failure with
   * a message that contains one of its clause's fragments, each fragment in some failure's message.
   *
   * @return the failures
   */
  private static List<Event> assertFailures(Class<? extends StreamsTck> variant,
      Map<String, List<String>> fragmentsByClause) {
    return assertFailures(run(variant), variant, fragmentsByClause);
  }

  private static List<Event> assertFailures(EngineExecutionResults results, Class<? extends StreamsTck> variant,
      Map<String, List<String>> fragmentsByClause) {
    assertThat(results.testEvents().succeeded().count())
        .as("tests of %s that passed", variant.getSimpleName()).isGreaterThan(30);
    List<Event> failed = results.testEvents().failed().list();
    failed.forEach(event -> System.out.printf("%s failed %s: %s%n", variant.getSimpleName(),
        event.getTestDescriptor().getDisplayName(), failureOf(event)));
    assertThat(clausesOf(failed)).as("clauses %s fails", variant.getSimpleName())
        .containsExactlyInAnyOrderElementsOf(fragmentsByClause.keySet());
    Set<String> matched = new TreeSet<>();
    for (Event failure : failed) {
      String name = failure.getTestDescriptor().getDisplayName();
      List<String> fragments = fragmentsByClause.get(clausesOf(List.of(failure)).iterator().next());
      String message = failureOf(failure);
      List<String> found = fragments.stream().filter(message::contains).toList();
      assertThat(found).as("which of %s the failure of %s says: %s", fragments, name, message).isNotEmpty();
      matched.addAll(found);
    }
    assertThat(matched).as("fragments said by some failure of %s", variant.getSimpleName())
        .containsExactlyInAnyOrderElementsOf(fragmentsByClause.values().stream().flatMap(List::stream)
            .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    return failed;
  }

  private static String failureOf(Event event) {
    return event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .flatMap(result -> result.getThrowable()).map(Throwable::getMessage).orElse("");
  }

  /**
   * Runs a variant's TCK without its second pass through the asynchronous API: a variant is broken
   * beneath both APIs alike, and one pass shows that the clauses catch it (the memory backend's own
   * TCK run takes both passes).
   */
  private static EngineExecutionResults run(Class<?> variant) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(DiscoverySelectors.selectClass(variant))
        .filters((org.junit.platform.launcher.PostDiscoveryFilter) descriptor ->
            descriptor.getUniqueId().toString().contains("ThroughTheAsyncApi")
                ? org.junit.platform.engine.FilterResult.excluded("the blocking pass is enough for a broken variant")
                : org.junit.platform.engine.FilterResult.included("the blocking pass"))
        .execute();
  }

  /** The clause ids that display names start with: "K5 — ..." gives "K5". */
  private static Set<String> clausesOf(List<Event> events) {
    Set<String> clauses = new TreeSet<>();
    for (Event event : events) {
      String name = event.getTestDescriptor().getDisplayName();
      clauses.add(name.substring(0, name.indexOf(" — ")));
    }
    return clauses;
  }

  /** The memory backend, each adapter wrapped in a broken variant. */
  private static TckStore brokenStore(BiFunction<StreamAdapter, MemoryRawView, StreamAdapter> variant,
      boolean withRawView) {
    return brokenStore(UnaryOperator.identity(), variant, withRawView);
  }

  /** As above, with the settings changed before each adapter is opened. */
  private static TckStore brokenStore(UnaryOperator<StreamConfig> settingsChange,
      BiFunction<StreamAdapter, MemoryRawView, StreamAdapter> variant, boolean withRawView) {
    MemoryTckStore store = new MemoryTckStore();
    return new TckStore() {
      @Override
      public String backendName() {
        return store.backendName();
      }

      @Override
      public StreamConfig configure(StreamConfig settings) {
        return store.configure(settings);
      }

      /** The variants break the flat layout their TCK runs in; hash adapters (L1, L2, L4) stay whole. */
      @Override
      public StreamAdapter open(StreamConfig settings) {
        StreamAdapter adapter = store.open(settingsChange.apply(settings));
        return settings.layout() == dev.streams.StreamLayout.FLAT
            ? variant.apply(adapter, store.memoryView()) : adapter;
      }

      @Override
      public Optional<RawView> rawView() {
        return withRawView ? store.rawView() : Optional.empty();
      }

      @Override
      public Optional<AutoCloseable> holdWrites() {
        return store.holdWrites();
      }

      @Override
      public void close() {
        store.close();
      }
    };
  }

  // The variants below are run only through EngineTestKit: their names do not end in "Test".

  static class AlwaysCreateTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
      return brokenStore((adapter, raw) -> new BrokenVariants.AlwaysCreate(adapter), true);
    }
  }

  static class NumbersAsStringsTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
      return brokenStore((adapter, raw) -> new BrokenVariants.NumbersAsStrings(adapter), true);
    }
  }

  static class GlobLeakTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
      return brokenStore(BrokenVariants.GlobLeak::new, true);
    }
  }

  static class HandlersOnWriterThreadTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
      return brokenStore(BrokenVariants.HandlersOnWriterThread::new, true);
    }
  }

  static class ConfirmsSubscribesEarlyTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
      return brokenStore(BrokenVariants.ConfirmsSubscribesEarly::new, true);
    }
  }

  static class UnboundedQueueTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
      // Ignores eventQueueCapacity: a handler's backlog grows without bound and never overflows.
      return brokenStore(settings -> settings.toBuilder().eventQueueCapacity(Integer.MAX_VALUE).build(),
          (adapter, raw) -> adapter, true);
    }
  }

  static class ClearStopsAtForeignKeyTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
      return brokenStore(BrokenVariants.ClearStopsAtForeignKey::new, true);
    }
  }

  static class SetOverwritesForeignDataTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
      return brokenStore(BrokenVariants.SetOverwritesForeignData::new, true);
    }
  }

  /** The memory backend under another name, and not registered for ServiceLoader (breaks S1). */
  static final class UnregisteredProvider implements dev.streams.StreamAdapterProvider {
    static final String NAME = "unregistered-memory";

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public StreamAdapter open(StreamConfig config) {
      return new MemoryStreamsProvider().open(config);
    }
  }

  static class UnregisteredProviderTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
      MemoryTckStore store = new MemoryTckStore();
      return new TckStore() {
        @Override
        public String backendName() {
          return UnregisteredProvider.NAME;
        }

        @Override
        public StreamConfig configure(StreamConfig settings) {
          return store.configure(settings);
        }

        @Override
        public StreamAdapter open(StreamConfig settings) {
          // Opened directly, as a backend's own tests might: only discovery can tell it is missing.
          return new UnregisteredProvider().open(configure(settings));
        }

        @Override
        public Optional<RawView> rawView() {
          return store.rawView();
        }

        @Override
        public void close() {
          store.close();
        }
      };
    }
  }

  static class IgnoresMaxDocumentBytesTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
      return brokenStore(settings -> settings.toBuilder().maxDocumentBytes(Integer.MAX_VALUE).build(),
          (adapter, raw) -> adapter, true);
    }
  }

  static class DatabasesKeepEventsApartTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
      // Database 1 on channels of its own, as if pub/sub heeded the database number.
      return brokenStore(settings -> settings.database() == 0 ? settings : settings.toBuilder()
              .eventPrefix(settings.eventPrefix() + "database-1:").build(),
          (adapter, raw) -> adapter, true);
    }
  }

  static class NoSecondDatabaseTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
      TckStore store = brokenStore((adapter, raw) -> adapter, true);
      return new TckStore() {
        @Override
        public String backendName() {
          return store.backendName();
        }

        @Override
        public StreamConfig configure(StreamConfig settings) {
          return store.configure(settings);
        }

        @Override
        public StreamAdapter open(StreamConfig settings) {
          return store.open(settings);
        }

        @Override
        public Optional<RawView> rawView() {
          return store.rawView();
        }

        @Override
        public boolean offersSecondDatabase() {
          return false;
        }

        @Override
        public void close() {
          store.close();
        }
      };
    }
  }

  static class NoRawViewTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
      return brokenStore((adapter, raw) -> adapter, false);
    }
  }
}
