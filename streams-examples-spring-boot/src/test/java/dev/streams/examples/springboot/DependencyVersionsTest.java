package dev.streams.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Spring Boot's BOM manages older Jackson 2, Micrometer, netty and Lettuce versions than the library
 * uses; the application must run on the library's, every module of each at one version (a netty
 * whose epoll transport differs from its core fails to load the native transport).
 */
class DependencyVersionsTest {

  private static String version(String group, String artifact) throws IOException {
    String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = DependencyVersionsTest.class.getResourceAsStream(path)) {
      assertThat(in).as(path + " on the classpath").isNotNull();
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    }
  }

  @ParameterizedTest(name = "{0}:{1}")
  @CsvSource({
      "com.fasterxml.jackson.core, jackson-core, jackson",
      "com.fasterxml.jackson.core, jackson-databind, jackson",
      "io.netty, netty-common, netty",
      "io.netty, netty-handler, netty",
      "io.netty, netty-transport-native-epoll, netty",
      "io.lettuce, lettuce-core, lettuce"})
  void theApplicationRunsOnTheLibrarysVersion(String group, String artifact, String library)
      throws IOException {
    String expected = System.getProperty("expected." + library + ".version");
    assertThat(expected).as("set by the build").isNotNull();
    assertThat(version(group, artifact)).isEqualTo(expected);
  }

  /** Micrometer's jars carry no pom.properties; their manifests name the version. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"io.micrometer.core.instrument.MeterRegistry", "io.micrometer.observation.Observation",
      "io.micrometer.common.KeyValue"})
  void micrometerRunsOnTheLibrarysVersion(String className) throws ClassNotFoundException {
    assertThat(Class.forName(className).getPackage().getImplementationVersion())
        .isEqualTo(System.getProperty("expected.micrometer.version"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"jackson-annotations"})
  void jacksonAnnotationsHaveTheSameMinorVersion(String artifact) throws IOException {
    // jackson-annotations is versioned major.minor only since 2.20.
    String expected = System.getProperty("expected.jackson.version");
    assertThat(expected).startsWith(version("com.fasterxml.jackson.core", artifact));
  }
}
