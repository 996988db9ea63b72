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

/**
 * What a Maven Central release needs, kept true without making one: every published module is in the
 * BOM at the project's version, and the POMs carry name, description, URL, license, SCM and developers
 * (the modules inherit the last four from the root POM; the BOM, which has no parent, writes them out).
 */
class PublishedModulesTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern MANAGED =
      Pattern.compile("<groupId>dev\\.streams</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*"
          + "<version>\\$\\{project\\.version}</version>");
  private static final Pattern VERSION = Pattern.compile("<artifactId>(streams-parent|streams-bom)"
      + "</artifactId>\\s*<version>([^<]+)</version>");

  private static String pom(String module) throws IOException {
    return Files.readString(ROOT.resolve(module).resolve("pom.xml"));
  }

  private static Set<String> published() throws IOException {
    Set<String> published = new TreeSet<>();
    Matcher modules = MODULE.matcher(Files.readString(ROOT.resolve("pom.xml")));
    while (modules.find()) {
      String module = modules.group(1);
      if (!module.equals("streams-bom") && !pom(module).contains("<maven.deploy.skip>true</maven.deploy.skip>")) {
        published.add(module);
      }
    }
    return published;
  }

  @Test
  void theBomManagesEveryPublishedModuleAndNothingElse() throws IOException {
    Set<String> managed = new TreeSet<>();
    Matcher entries = MANAGED.matcher(pom("streams-bom"));
    while (entries.find()) {
      managed.add(entries.group(1));
    }
    assertThat(managed).isEqualTo(published()).contains("streams-api", "streams-spring-boot-starter");
  }

  @Test
  void theBomHasTheProjectsVersion() throws IOException {
    Matcher root = VERSION.matcher(Files.readString(ROOT.resolve("pom.xml")));
    Matcher bom = VERSION.matcher(pom("streams-bom"));
    assertThat(root.find()).isTrue();
    assertThat(bom.find()).isTrue();
    assertThat(bom.group(2)).isEqualTo(root.group(2));
  }

  @Test
  void everyPublishedPomHasTheMetadataCentralRequires() throws IOException {
    for (String pom : new String[] {Files.readString(ROOT.resolve("pom.xml")), pom("streams-bom")}) {
      assertThat(pom).contains("<url>https://", "<name>Apache-2.0</name>", "<scm", "<connection>scm:git:",
          "<developers>", "<description>");
    }
    for (String module : published()) {
      assertThat(pom(module)).as(module).contains("<name>" + module + "</name>").contains("<description>");
    }
  }
}
