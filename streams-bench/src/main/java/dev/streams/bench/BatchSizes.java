package dev.streams.bench;

import dev.streams.StreamObserver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many commands each write of a backend carried, from {@link StreamObserver#commandsWritten}: a
 * histogram by powers of two, and the mean.
 */
final class BatchSizes implements StreamObserver {

  /** Buckets 1, 2–3, 4–7 ... 1024 and more. */
  private static final int BUCKETS = 11;

  private final AtomicLongArray writes = new AtomicLongArray(BUCKETS);
  private final AtomicLong commands = new AtomicLong();
  private final AtomicLong largest = new AtomicLong();

  @Override
  public void commandsWritten(int batch) {
    int bucket = Math.min(BUCKETS - 1, 31 - Integer.numberOfLeadingZeros(Math.max(1, batch)));
    writes.incrementAndGet(bucket);
    commands.addAndGet(batch);
    largest.accumulateAndGet(batch, Math::max);
  }

  /** Adds the diagnostics of a phase: nothing if the backend reported no writes. */
  void report(Report report, String backend, String phase) {
    long total = 0;
    Map<String, Long> histogram = new LinkedHashMap<>();
    for (int b = 0; b < BUCKETS; b++) {
      long count = writes.get(b);
      total += count;
      if (count > 0) {
        int from = 1 << b;
        histogram.put(b == BUCKETS - 1 ? from + "+" : from == (2 * from - 1) ? Integer.toString(from)
            : from + "-" + (2 * from - 1), count);
      }
    }
    if (total == 0) {
      return;
    }
    report.diagnostic(backend, phase + ": commands per write (mean)",
        Math.round(commands.get() * 100.0 / total) / 100.0);
    report.diagnostic(backend, phase + ": commands per write (largest)", largest.get());
    report.diagnostic(backend, phase + ": writes by commands per write", histogram);
  }
}
