package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.tck.Clause;
import dev.streams.tck.Clause.Check;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Redis kit's tests and the clause index do not drift apart. */
class RedisKitClausesTest {

  /**
   * @return every test of the kit's families, as a backend's kit test runs them, and of the cluster
   *     fault kit
   */
  private static List<Method> kitTests() {
    List<Method> tests = new ArrayList<>();
    for (Method method : ClusterFaultKit.class.getDeclaredMethods()) {
      if (method.isAnnotationPresent(Test.class)) {
        tests.add(method);
      }
    }
    for (Class<?> nested : RedisBackendKit.class.getDeclaredClasses()) {
      if (!nested.isAnnotationPresent(Nested.class)) {
        continue;
      }
      for (Class<?> type = nested; type != Object.class; type = type.getSuperclass()) {
        for (Method method : type.getDeclaredMethods()) {
          if (method.isAnnotationPresent(Test.class)) {
            tests.add(method);
          }
        }
      }
    }
    return tests;
  }

  @Test
  void everyFamilyIsANestedClassOfTheKit() {
    assertThat(RedisBackendKit.class.getDeclaredClasses()).as("nested classes of the kit").hasSize(8)
        .allSatisfy(nested -> assertThat(nested).hasAnnotation(Nested.class));
  }

  @Test
  void everyKitTestNamesAClauseMarkedRedisKit() {
    assertThat(kitTests()).hasSizeGreaterThanOrEqualTo(30).allSatisfy(test -> {
      DisplayName name = test.getAnnotation(DisplayName.class);
      assertThat(name).as("display name of %s", test).isNotNull();
      assertThat(name.value()).as("display name of %s", test).matches("[A-Z][0-9]+(–[A-Z][0-9]+)? — .+");
      assertThat(Clause.namedBy(name.value())).as("clauses named by %s", test).isNotEmpty()
          .allSatisfy(clause -> assertThat(clause.checks())
              .as("what checks %s, named by the kit's %s", clause, test.getName()).contains(Check.REDIS_KIT));
    });
  }

  @Test
  void everyKitTestTheContractCitesExists() throws IOException {
    Matcher cited = Pattern.compile("`([A-Z][A-Za-z]*Family|ClusterFaultKit)(\\.([a-z][A-Za-z0-9_]*))?`")
        .matcher(Files.readString(Path.of("../docs/CONTRACT.md"), StandardCharsets.UTF_8));
    List<String> missing = new ArrayList<>();
    int count = 0;
    while (cited.find()) {
      count++;
      String family = cited.group(1);
      String method = cited.group(3);
      boolean exists = kitTests().stream().anyMatch(test ->
          test.getDeclaringClass().getSimpleName().equals(family) && (method == null || test.getName().equals(method)));
      if (!exists) {
        missing.add(cited.group());
      }
    }
    assertThat(count).as("kit tests cited by docs/CONTRACT.md").isGreaterThan(20);
    assertThat(missing).as("kit tests docs/CONTRACT.md cites that do not exist").isEmpty();
  }

  @Test
  void everyClauseMarkedRedisKitHasAKitTest() {
    Set<Clause> named = Clause.namedByAny(kitTests().stream()
        .map(test -> test.getAnnotation(DisplayName.class).value()).toList());
    assertThat(named).as("clauses the kit's tests name").containsAll(Clause.checkedBy(Check.REDIS_KIT));
  }
}
