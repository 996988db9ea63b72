package dev.streams.tck;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints one line when a TCK class has run: how many clauses ran, passed, failed and were skipped,
 * with the reason of each skip, and the test counts. Registered on {@link StreamsTck}, so every
 * backend's TCK class gets it; the line is also published as the report entry
 * {@value #REPORT_KEY}. Skip reasons otherwise appear only in the test reports' XML.
 */
public final class TckSummary implements TestWatcher, AfterAllCallback {

  /** The key of the report entry that holds the line. */
  public static final String REPORT_KEY = "tck.summary";

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TckSummary.class);

  /** Called by JUnit. */
  public TckSummary() {}

  private enum Outcome { PASSED, FAILED, SKIPPED }

  /** One test's result, under the clauses its display name names. */
  private record Result(Set<Clause> clauses, Outcome outcome, String reason) {}

  @Override
  public void testSuccessful(ExtensionContext context) {
    record(context, Outcome.PASSED, null);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    record(context, Outcome.FAILED, null);
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    String message = cause == null || cause.getMessage() == null ? "aborted" : cause.getMessage();
    // JUnit's assumptions say "Assumption failed: <reason>"; the reason is what the line needs.
    record(context, Outcome.SKIPPED, message.replaceFirst("^Assumption failed: ", ""));
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    record(context, Outcome.SKIPPED, reason.orElse("disabled"));
  }

  private static void record(ExtensionContext test, Outcome outcome, String reason) {
    ExtensionContext testClass = test.getParent().orElseThrow();
    results(testClass).add(new Result(Clause.namedBy(test.getDisplayName()), outcome, reason));
  }

  @SuppressWarnings("unchecked")
  private static List<Result> results(ExtensionContext testClass) {
    // Keyed by the class: a nested class's store would otherwise find its enclosing class's list.
    return testClass.getStore(NAMESPACE).computeIfAbsent("results " + testClass.getUniqueId(),
        key -> new ArrayList<Result>(), List.class);
  }

  @Override
  public void afterAll(ExtensionContext testClass) {
    String line = line(testClass.getRequiredTestClass().getSimpleName(), results(testClass));
    System.out.println(line);
    testClass.publishReportEntry(REPORT_KEY, line);
  }

  /** The line for one run: {@code TCK Name: 41 clauses run, 33 passed, 0 failed, 6 skipped (...); ...}. */
  private static String line(String name, List<Result> results) {
    Map<Clause, List<Result>> byClause = new EnumMap<>(Clause.class);
    for (Result result : results) {
      result.clauses().forEach(clause -> byClause.computeIfAbsent(clause, c -> new ArrayList<>()).add(result));
    }
    List<Clause> failed = new ArrayList<>();
    List<Clause> skipped = new ArrayList<>();
    List<Clause> partlySkipped = new ArrayList<>();
    int passed = 0;
    for (Map.Entry<Clause, List<Result>> clause : byClause.entrySet()) {
      Set<Outcome> outcomes = clause.getValue().stream().map(Result::outcome).collect(Collectors.toSet());
      if (outcomes.contains(Outcome.FAILED)) {
        failed.add(clause.getKey());
      } else if (!outcomes.contains(Outcome.PASSED)) {
        skipped.add(clause.getKey());
      } else {
        passed++;
        if (outcomes.contains(Outcome.SKIPPED)) {
          partlySkipped.add(clause.getKey());
        }
      }
    }
    StringBuilder line = new StringBuilder("TCK ").append(name).append(": ")
        .append(byClause.size()).append(" clauses run, ").append(passed).append(" passed, ")
        .append(failed.size()).append(" failed");
    if (!failed.isEmpty()) {
      line.append(" (").append(ids(failed)).append(')');
    }
    line.append(", ").append(skipped.size()).append(" skipped");
    Map<String, List<Clause>> reasons = reasons(byClause, skipped);
    if (!reasons.isEmpty()) {
      line.append(" (").append(describe(reasons)).append(')');
    }
    if (!partlySkipped.isEmpty()) {
      line.append("; partly skipped: ")
          .append(describePartly(reasons(byClause, partlySkipped), reasons.keySet()));
    }
    long testsPassed = results.stream().filter(r -> r.outcome() == Outcome.PASSED).count();
    long testsFailed = results.stream().filter(r -> r.outcome() == Outcome.FAILED).count();
    line.append("; ").append(results.size()).append(" tests: ").append(testsPassed).append(" passed, ")
        .append(testsFailed).append(" failed, ").append(results.size() - testsPassed - testsFailed)
        .append(" skipped");
    // One line, whatever the reasons hold.
    return line.toString().replace('\n', ' ');
  }

  /** @return for each skip reason, in first-seen order, the clauses skipped for it */
  private static Map<String, List<Clause>> reasons(Map<Clause, List<Result>> byClause, List<Clause> clauses) {
    Map<String, List<Clause>> reasons = new LinkedHashMap<>();
    for (Clause clause : clauses) {
      Set<String> own = new TreeSet<>();
      byClause.get(clause).stream().filter(r -> r.outcome() == Outcome.SKIPPED).forEach(r -> own.add(r.reason()));
      own.forEach(reason -> reasons.computeIfAbsent(reason, r -> new ArrayList<>()).add(clause));
    }
    return reasons;
  }

  /** "K1, K2: reason; E1: other reason". */
  private static String describe(Map<String, List<Clause>> reasons) {
    return reasons.entrySet().stream().map(entry -> ids(entry.getValue()) + ": " + entry.getKey())
        .collect(Collectors.joining("; "));
  }

  /** "E1, E6 (same reason); D5 (other reason)", not repeating a reason already given. */
  private static String describePartly(Map<String, List<Clause>> reasons, Set<String> alreadyGiven) {
    return reasons.entrySet().stream().map(entry -> ids(entry.getValue()) + " ("
            + (alreadyGiven.contains(entry.getKey()) ? "same reason" : entry.getKey()) + ")")
        .collect(Collectors.joining("; "));
  }

  private static String ids(List<Clause> clauses) {
    return clauses.stream().map(Clause::name).collect(Collectors.joining(", "));
  }
}
