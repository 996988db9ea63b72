package dev.streams.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The architecture rules see a module only if it is on this module's classpath: keep them all. */
class EveryModuleIsAnalysedTest {

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern DEPENDENCY =
      Pattern.compile("<groupId>dev\\.streams</groupId>\\s*<artifactId>([^<]+)</artifactId>");

  @Test
  void everyModuleWithMainCodeIsADependencyOfTheArchitectureModule() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Set<String> withMainCode = new TreeSet<>();
    Matcher modules = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
    while (modules.find()) {
      String module = modules.group(1);
      if (Files.isDirectory(root.resolve(module).resolve("src/main/java"))) {
        withMainCode.add(module);
      }
    }
    Set<String> analysed = new TreeSet<>();
    Matcher dependencies = DEPENDENCY.matcher(Files.readString(Path.of("pom.xml")));
    while (dependencies.find()) {
      analysed.add(dependencies.group(1));
    }
    assertThat(withMainCode).isNotEmpty();
    assertThat(analysed).as("dev.streams dependencies of streams-architecture")
        .containsAll(withMainCode);
  }
}
