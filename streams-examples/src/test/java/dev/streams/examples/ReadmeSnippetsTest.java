package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ```java block of README.md compiles exactly as shown, and is the code that this module
 * compiles and tests: a marked region of {@link ReadmeExamples}, or a whole example file.
 */
class ReadmeSnippetsTest {

  private static final Path README = Path.of("../README.md");
  private static final Path EXAMPLES = Path.of("src/main/java/dev/streams/examples/ReadmeExamples.java");
  /** Whole example files the README shows, from their package line on. */
  private static final List<Path> WHOLE_FILES = List.of(
      Path.of("src/test/java/com/example/mybackend/MyBackendTckTest.java"),
      Path.of("src/test/java/com/example/reactive/ReactorExampleTest.java"));

  @TempDir
  Path temp;

  /** A README code block: its imports, then the code. */
  record Snippet(int number, List<String> imports, String code, String text) {

    boolean isCompilationUnit() {
      return text.startsWith("package ");
    }

    /** Class members (a record, a method) rather than statements. */
    boolean isMembers() {
      return code.matches("(?s)(record|static|class|public|private) .*");
    }
  }

  private static List<Snippet> readmeSnippets() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    Matcher blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    List<Snippet> snippets = new ArrayList<>();
    while (blocks.find()) {
      String text = blocks.group(1);
      List<String> imports = new ArrayList<>();
      List<String> code = new ArrayList<>();
      for (String line : text.split("\\n", -1)) {
        if (code.isEmpty() && (line.startsWith("import ") || line.isBlank())) {
          if (!line.isBlank()) {
            imports.add(line);
          }
        } else {
          code.add(line);
        }
      }
      snippets.add(new Snippet(snippets.size() + 1, imports, String.join("\n", code).strip(), text));
    }
    return snippets;
  }

  /** The regions between "// README:name" and "// README:end", without their common indentation. */
  private static List<String> exampleRegions() throws IOException {
    String source = Files.readString(EXAMPLES, StandardCharsets.UTF_8);
    Matcher regions = Pattern.compile("\\n([ ]*)// README:\\w+\\n(.*?)\\n[ ]*// README:end", Pattern.DOTALL)
        .matcher(source);
    List<String> found = new ArrayList<>();
    while (regions.find()) {
      String indent = regions.group(1);
      found.add(regions.group(2).lines()
          .map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line.strip())
          .collect(Collectors.joining("\n")).strip());
    }
    return found;
  }

  @Test
  void everyJavaBlockIsCompiledExampleCode() throws IOException {
    List<String> regions = exampleRegions();
    List<String> wholeFiles = new ArrayList<>();
    for (Path file : WHOLE_FILES) {
      wholeFiles.add(Files.readString(file, StandardCharsets.UTF_8));
    }
    List<Snippet> snippets = readmeSnippets();
    assertThat(snippets).hasSizeGreaterThanOrEqualTo(5).allSatisfy(snippet -> {
      if (snippet.isCompilationUnit()) {
        assertThat(wholeFiles).as("README block %d is a whole example file", snippet.number())
            .contains(snippet.text());
      } else {
        assertThat(regions).as("README block %d is a region of ReadmeExamples", snippet.number())
            .contains(snippet.code());
      }
    });
    assertThat(regions).as("every region of ReadmeExamples is shown")
        .allSatisfy(region -> assertThat(snippets).extracting(Snippet::code).contains(region));
  }

  @Test
  void theTckPomFragmentPinsTheVersionsThisBuildRunsTheTckWith() throws IOException {
    String pom = Files.readString(Path.of("../pom.xml"), StandardCharsets.UTF_8);
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    assertThat(readme).contains("<artifactId>maven-surefire-plugin</artifactId>\n      <version>"
        + property(pom, "surefire-plugin.version") + "</version>");
    assertThat(readme).contains("<artifactId>junit-jupiter-engine</artifactId>\n    <version>"
        + property(pom, "junit.version") + "</version>");
  }

  private static String property(String pom, String name) {
    Matcher value = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertThat(value.find()).as("property %s in the root pom", name).isTrue();
    return value.group(1);
  }

  @Test
  void everyJavaBlockCompilesAsShown() throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<Path> sources = new ArrayList<>();
    for (Snippet snippet : readmeSnippets()) {
      Path dir = Files.createDirectories(temp.resolve("snippet" + snippet.number()));
      if (snippet.isCompilationUnit()) {
        Matcher type = Pattern.compile("(?m)^(?:public )?(?:final )?class (\\w+)").matcher(snippet.text());
        assertThat(type.find()).as("README block %d declares a class", snippet.number()).isTrue();
        sources.add(Files.writeString(dir.resolve(type.group(1) + ".java"), snippet.text()));
        continue;
      }
      String className = "Snippet" + snippet.number();
      String body = snippet.isMembers() ? snippet.code()
          : "static void run() throws Exception {\n" + snippet.code() + "\n}";
      sources.add(Files.writeString(dir.resolve(className + ".java"),
          String.join("\n", snippet.imports()) + "\n\nclass " + className + " {\n" + body + "\n}\n"));
    }
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> arguments = new ArrayList<>(List.of("-proc:none", "-classpath", classpath,
        "-d", Files.createDirectories(temp.resolve("classes")).toString()));
    sources.forEach(source -> arguments.add(source.toString()));
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int result = compiler.run(null, diagnostics, diagnostics, arguments.toArray(String[]::new));
    assertThat(result).as("javac on the README's java blocks:%n%s",
        diagnostics.toString(StandardCharsets.UTF_8)).isZero();
  }
}
