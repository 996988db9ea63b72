package dev.streams.tck;

import dev.streams.StreamLayout;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole compatibility kit: extend it in a backend's test and supply {@link #newStore()}.
 *
 * <pre>{@code
 * class MemoryTckTest extends StreamsTck {
 *   @Override
 *   protected TckStore newStore() {
 *     return new MemoryTckStore();
 *   }
 * }
 * }</pre>
 *
 * <p>A backend runs it once per layout (L1): this class runs {@code flat}; a subclass overriding
 * {@link #layout()} to return {@code hash} runs it all again under the hash layout (L2).
 *
 * <p>Each test gets a fresh store from {@link #newStore()}, opens adapters on it through
 * {@link #tck()}, and closes them and the store afterwards. The clause families are
 * {@link DataClauses} (D), {@link KeyLayoutClauses} (K), {@link OperationClauses} (O),
 * {@link EventClauses} (E), {@link QueryClauses} (Q), {@link ConfigClauses} (C),
 * {@link DiscoveryClauses} (S), {@link LayoutClauses} (L), {@link AsyncClauses} (A) and
 * {@link HostileInputClauses} (random names and documents, D2–D5).
 *
 * <p>The operation, event and query families run a second time through the asynchronous API
 * ({@link ThroughTheAsyncApi}): every call there is {@code adapter.async()}'s twin, joined (A1).
 *
 * <p>When the run of a subclass ends, {@link TckSummary} prints one line: the clauses run, passed,
 * failed and skipped, with each skip's reason. A run without that line did not run the TCK (for
 * example under a Surefire older than 3, which does not see JUnit Platform tests).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(TckSummary.class)
public abstract class StreamsTck
    implements DataClauses, KeyLayoutClauses, OperationClauses, EventClauses, QueryClauses,
        ConfigClauses, DiscoveryClauses, AsyncClauses, HostileInputClauses, LayoutClauses {

  private TckContext context;

  /**
   * @return a fresh, empty store for one test
   */
  protected abstract TckStore newStore();

  /**
   * @return the layout every adapter of this run is opened with (L1); {@code flat} unless overridden.
   *     A backend runs the TCK once per layout, e.g. with a subclass that returns {@code hash}
   */
  protected StreamLayout layout() {
    return StreamLayout.FLAT;
  }

  @BeforeEach
  final void openTckStore() {
    context = new TckContext(newStore(), layout());
  }

  @AfterEach
  final void closeTckStore() {
    if (context != null) {
      context.close();
      context = null;
    }
  }

  /**
   * The operation (O), event (E) and query (Q) clauses again, each call made through
   * {@code async()} and joined: both APIs give the same results, events and errors (A1). All but
   * the 100,000-event flood of E5, which runs once, through the blocking API.
   */
  @Nested
  @DisplayName("through the asynchronous API (A1)")
  class ThroughTheAsyncApi implements OperationClauses, EventClauses, QueryClauses {

    @BeforeEach
    final void useTheAsyncApi() {
      StreamsTck.this.tck().throughAsyncApi();
    }

    @Override
    public TckContext tck() {
      return StreamsTck.this.tck();
    }

    /**
     * Not a test here (an override without {@code @Test}): the flood measures the event queues,
     * which both APIs share, and 100,000 sends joined one by one cost half a minute on a Redis
     * backend for nothing the other E5 clauses through this API do not check.
     */
    @Override
    public void e5_floodKeepsTheHeapBounded() {
    }
  }

  @Override
  public final TckContext tck() {
    if (context == null) {
      throw new IllegalStateException("tck() is only available while a TCK test runs");
    }
    return context;
  }
}
