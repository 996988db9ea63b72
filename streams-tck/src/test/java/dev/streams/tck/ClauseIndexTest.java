package dev.streams.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.tck.Clause.Check;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The index of clauses, the TCK's tests and docs/CONTRACT.md do not drift apart. */
class ClauseIndexTest {

  private static final Path CONTRACT = Path.of("../docs/CONTRACT.md");
  /** A clause's heading: {@code **K7 — Foreign values.**} at the start of a line. */
  private static final Pattern HEADING = Pattern.compile("^\\*\\*([A-Z][0-9]+) — ", Pattern.MULTILINE);
  private static final String CHECKED_BY = "*Checked by:*";
  /** A range of clauses: {@code L1–L4}. */
  private static final Pattern RANGE = Pattern.compile("\\b([A-Z])([0-9]+)–([A-Z])([0-9]+)\\b");
  /** A TCK test as the document cites it: {@code KeyLayoutClauses.k7_...}. */
  private static final Pattern TCK_TEST = Pattern.compile("\\b[A-Z][A-Za-z]*Clauses\\.[a-z]");

  private static List<Method> tckTests() {
    List<Method> tests = new ArrayList<>();
    for (Class<?> family : StreamsTck.class.getInterfaces()) {
      for (Method method : family.getDeclaredMethods()) {
        if (method.isAnnotationPresent(Test.class)) {
          tests.add(method);
        }
      }
    }
    return tests;
  }

  /**
   * @return each clause heading of the document, in order, with the "Checked by" paragraph that
   *     follows it (several headings may share one, as L1–L4 do)
   */
  private static Map<String, String> checkedByInTheDocument() throws IOException {
    String text = Files.readString(CONTRACT, StandardCharsets.UTF_8);
    Map<String, String> clauses = new LinkedHashMap<>();
    Matcher heading = HEADING.matcher(text);
    List<MatchResult> headings = new ArrayList<>();
    while (heading.find()) {
      headings.add(heading.toMatchResult());
    }
    for (int i = 0; i < headings.size(); i++) {
      String id = headings.get(i).group(1);
      int start = text.indexOf(CHECKED_BY, headings.get(i).end());
      assertThat(start).as("a \"Checked by\" after the heading of %s", id).isNotNegative();
      int end = text.indexOf("\n\n", start);
      String paragraph = text.substring(start + CHECKED_BY.length(), end < 0 ? text.length() : end)
          .replaceAll("\\s+", " ").strip();
      boolean beyondNextHeading = i + 1 < headings.size() && start > headings.get(i + 1).start();
      if (beyondNextHeading) {
        // Only a paragraph that names a range covering the clause may serve several headings.
        assertThat(coversByRange(paragraph, id))
            .as("%s has no \"Checked by\" of its own, and the next one (%s) names no range covering it", id,
                paragraph)
            .isTrue();
      }
      assertThat(clauses.put(id, paragraph)).as("a second heading of %s", id).isNull();
    }
    return clauses;
  }

  /** @return whether the paragraph names a range such as {@code L1–L4} that includes the clause id */
  static boolean coversByRange(String paragraph, String id) {
    Matcher range = RANGE.matcher(paragraph);
    int number = Integer.parseInt(id.substring(1));
    while (range.find()) {
      if (range.group(1).equals(id.substring(0, 1)) && range.group(3).equals(range.group(1))
          && Integer.parseInt(range.group(2)) <= number && number <= Integer.parseInt(range.group(4))) {
        return true;
      }
    }
    return false;
  }

  /** @return what a "Checked by" paragraph says checks its clause */
  private static Set<Check> checksSaidBy(String paragraph) {
    Set<Check> checks = EnumSet.noneOf(Check.class);
    if (TCK_TEST.matcher(paragraph).find()) {
      checks.add(Check.TCK);
    }
    if (paragraph.contains("Redis kit:")) {
      checks.add(Check.REDIS_KIT);
    }
    if (paragraph.toLowerCase(Locale.ROOT).contains("project test")) {
      checks.add(Check.PROJECT_TEST);
    }
    String lower = paragraph.toLowerCase(Locale.ROOT);
    if (lower.startsWith("not yet checked")) {
      checks.add(Check.NOT_YET_CHECKED);
    }
    if (lower.startsWith("planned")) {
      checks.add(Check.PLANNED);
    }
    return checks;
  }

  @Test
  void aSharedCheckedByMustNameARangeCoveringTheClause() {
    assertThat(coversByRange("planned (L1–L4).", "L3")).isTrue();
    assertThat(coversByRange("planned (L1–L4).", "L5")).isFalse();
    assertThat(coversByRange("`OperationClauses.o4_delete`.", "O3")).isFalse();
    assertThat(coversByRange("planned (A1–A2).", "L1")).isFalse();
  }

  @Test
  void everyTestHasADisplayNameThatStartsWithAClauseIdAndADash() {
    assertThat(tckTests()).hasSizeGreaterThan(40).allSatisfy(test -> {
      DisplayName name = test.getAnnotation(DisplayName.class);
      assertThat(name).as("display name of %s", test.getName()).isNotNull();
      assertThat(name.value()).as("display name of %s", test.getName())
          .matches("[A-Z][0-9]+(–[A-Z][0-9]+)? — .+");
      assertThat(Clause.namedBy(name.value())).as("clauses of %s", test.getName()).isNotEmpty()
          .allSatisfy(clause -> assertThat(clause.isCheckedByTck())
              .as("%s, named by the TCK's %s, is marked as checked by the TCK", clause, test.getName()).isTrue());
    });
  }

  @Test
  void everyTestMethodNameStartsWithItsFirstClauseId() {
    assertThat(tckTests()).allSatisfy(test -> {
      String first = test.getAnnotation(DisplayName.class).value().split("[ –]")[0];
      assertThat(test.getName()).startsWith(first.toLowerCase(Locale.ROOT));
    });
  }

  @Test
  void everyClauseMarkedTckHasATest() {
    Set<Clause> named = Clause.namedByAny(tckTests().stream()
        .map(test -> test.getAnnotation(DisplayName.class).value()).toList());
    assertThat(named).as("clauses the TCK's tests name").containsAll(Clause.checkedBy(Check.TCK));
  }

  @Test
  void everyClauseHeadingOfTheDocumentIsInTheIndexInItsOrderAndNoOther() throws IOException {
    assertThat(checkedByInTheDocument().keySet()).as("clause headings of %s", CONTRACT)
        .containsExactlyElementsOf(EnumSet.allOf(Clause.class).stream().map(Clause::name).toList());
  }

  @Test
  void theDocumentSaysWhatTheIndexMarksChecksEachClause() throws IOException {
    Map<String, String> document = checkedByInTheDocument();
    assertThat(EnumSet.allOf(Clause.class)).allSatisfy(clause ->
        assertThat(checksSaidBy(document.get(clause.name())))
            .as("what checks %s by its \"Checked by\" in %s: %s", clause, CONTRACT, document.get(clause.name()))
            .isEqualTo(clause.checks()));
  }

  @Test
  void everyTckTestTheDocumentCitesExists() throws IOException {
    Matcher cited = Pattern.compile("`([A-Z][A-Za-z]*Clauses)\\.([a-z][A-Za-z0-9_]*)`")
        .matcher(Files.readString(CONTRACT, StandardCharsets.UTF_8));
    List<String> missing = new ArrayList<>();
    int count = 0;
    while (cited.find()) {
      count++;
      String family = cited.group(1);
      String method = cited.group(2);
      boolean exists = tckTests().stream().anyMatch(test ->
          test.getDeclaringClass().getSimpleName().equals(family) && test.getName().equals(method));
      if (!exists) {
        missing.add(family + "." + method);
      }
    }
    assertThat(count).as("TCK tests cited by %s", CONTRACT).isGreaterThan(40);
    assertThat(missing).as("TCK tests %s cites that do not exist", CONTRACT).isEmpty();
  }

  @Test
  void planningAndNotYetCheckedExcludeEveryOtherMark() {
    assertThat(EnumSet.allOf(Clause.class)).allSatisfy(clause -> {
      if (clause.checks().contains(Check.PLANNED) || clause.checks().contains(Check.NOT_YET_CHECKED)) {
        assertThat(clause.checks()).as("checks of %s", clause).hasSize(1);
      }
    });
  }

  @Test
  void aDisplayNameNamesTheClausesOfItsIdOrRangeAndNoneOtherwise() {
    assertThat(Clause.namedBy("K5 — anything")).containsExactly(Clause.K5);
    assertThat(Clause.namedBy("Q1–Q5 — random queries"))
        .containsExactly(Clause.Q1, Clause.Q2, Clause.Q3, Clause.Q4, Clause.Q5);
    assertThat(Clause.namedBy("E7 — a redis kit test")).containsExactly(Clause.E7);
    assertThat(Clause.namedBy("Fault 1 — no clause id")).isEmpty();
    assertThat(Clause.namedBy("no dash at all")).isEmpty();
  }
}
