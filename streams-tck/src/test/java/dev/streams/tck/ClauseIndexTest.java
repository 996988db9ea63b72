package dev.streams.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The TCK's index of clauses and its tests do not drift apart. */
class ClauseIndexTest {

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

  private static Set<Clause> clausesNamedBy(String displayName) {
    return Clause.namedBy(displayName);
  }

  @Test
  void everyTestHasADisplayNameThatStartsWithAClauseIdAndADash() {
    assertThat(tckTests()).hasSizeGreaterThan(40).allSatisfy(test -> {
      DisplayName name = test.getAnnotation(DisplayName.class);
      assertThat(name).as("display name of %s", test.getName()).isNotNull();
      assertThat(name.value()).as("display name of %s", test.getName())
          .matches("[DKOEQCS][0-9]+(–[DKOEQCS][0-9]+)? — .+");
      assertThat(clausesNamedBy(name.value())).as("clauses of %s", test.getName()).isNotEmpty();
    });
  }

  @Test
  void everyTestMethodNameStartsWithItsFirstClauseId() {
    assertThat(tckTests()).allSatisfy(test -> {
      String first = test.getAnnotation(DisplayName.class).value().split("[ –]")[0];
      assertThat(test.getName()).startsWith(first.toLowerCase(java.util.Locale.ROOT));
    });
  }

  @Test
  void everyClauseOfTheIndexHasATest() {
    Set<Clause> covered = EnumSet.noneOf(Clause.class);
    for (Method test : tckTests()) {
      covered.addAll(clausesNamedBy(test.getAnnotation(DisplayName.class).value()));
    }
    assertThat(EnumSet.complementOf(EnumSet.copyOf(covered))).as("clauses without a test").isEmpty();
  }

  @Test
  void theIndexListsTheClausesOfTheIssue() {
    List<String> expected = new ArrayList<>();
    for (String family : new String[] {"D6", "K7", "O10", "E6", "Q5"}) {
      char letter = family.charAt(0);
      int count = Integer.parseInt(family.substring(1));
      for (int i = 1; i <= count; i++) {
        expected.add(letter + "" + i);
      }
    }
    // Not E7: resubscribing after a lost connection needs a connection to break, so the Redis
    // backends' own tests pin it.
    expected.add(expected.indexOf("E6") + 1, "E8");
    expected.add("C3");
    expected.addAll(List.of("S1", "S2", "S3"));
    assertThat(EnumSet.allOf(Clause.class)).extracting(Clause::name).containsExactlyElementsOf(expected);
  }
}
