package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.tck.Clause;
import dev.streams.tck.Clause.Check;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Redis kit's tests and the clause index do not drift apart. */
class RedisKitClausesTest {

  /** @return every test of the kit's families, as a backend's kit test runs them */
  private static List<Method> kitTests() {
    List<Method> tests = new ArrayList<>();
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
    assertThat(RedisBackendKit.class.getDeclaredClasses()).as("nested classes of the kit").hasSize(7)
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
  void everyClauseMarkedRedisKitHasAKitTest() {
    Set<Clause> named = Clause.namedByAny(kitTests().stream()
        .map(test -> test.getAnnotation(DisplayName.class).value()).toList());
    assertThat(named).as("clauses the kit's tests name").containsAll(Clause.checkedBy(Check.REDIS_KIT));
  }
}
