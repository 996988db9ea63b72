package dev.streams.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamConfig;
import dev.streams.tck.StreamsTck;
import dev.streams.tck.TckStore;
import dev.streams.tck.TckSummary;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** A TCK run ends with one line: the clauses run, passed, failed and skipped, with each skip's reason. */
class TckSummaryTest {

  @Test
  void aRunWithoutRawViewEndsWithOneLineNamingTheSkippedClausesAndWhy() {
    EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
        .selectors(DiscoverySelectors.selectClass(NoRawViewSummaryTck.class))
        .execute();
    List<String> summaries = results.allEvents().reportingEntryPublished().stream()
        .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .filter(entries -> entries.containsKey(TckSummary.REPORT_KEY))
        .map(entries -> entries.get(TckSummary.REPORT_KEY))
        .toList();
    // One line per class: the TCK's, and its nested pass through the asynchronous API (A1).
    assertThat(summaries).hasSize(2).anySatisfy(line -> assertThat(line)
        .startsWith("TCK ThroughTheAsyncApi: ").contains(" 0 failed"));
    assertThat(summaries).filteredOn(line -> line.startsWith("TCK NoRawViewSummaryTck"))
        .singleElement().satisfies(line -> assertThat(line)
        .doesNotContain("\n")
        .matches("TCK NoRawViewSummaryTck: \\d+ clauses run, \\d+ passed, 0 failed, 8 skipped"
            + " \\(K1, K2, K3, K4, K6, K7, E6, L2: This clause needs a raw view of the store: implement"
            + " TckStore.rawView\\(\\) to run it\\); partly skipped: O7, E1 \\(same reason\\)"
            + "; \\d+ tests: \\d+ passed, 0 failed, \\d+ skipped"));
  }

  // Run only through EngineTestKit: the name does not end in "Test".
  static class NoRawViewSummaryTck extends StreamsTck {
    @Override
    protected TckStore newStore() {
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

        @Override
        public java.util.Optional<dev.streams.tck.RawView> rawView() {
          return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<AutoCloseable> holdWrites() {
          return store.holdWrites();
        }

        @Override
        public void close() {
          store.close();
        }
      };
    }
  }
}
