package dev.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streams.testing.FakeAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discovery through the real ServiceLoader: the test classpath registers fake-a and fake-b. */
class StreamsTest {

  private static final String PROPERTY = "streams.backend";

  private String savedProperty;

  @BeforeEach
  void clearTheBackendChoice() {
    assumeTrue(System.getenv("STREAMS_BACKEND") == null,
        "STREAMS_BACKEND is set in this environment: the choice would not be the test's");
    savedProperty = System.getProperty(PROPERTY);
    System.clearProperty(PROPERTY);
  }

  @AfterEach
  void restoreTheBackendChoice() {
    if (savedProperty == null) {
      System.clearProperty(PROPERTY);
    } else {
      System.setProperty(PROPERTY, savedProperty);
    }
  }

  @Test
  void availableBackendsListsTheRegisteredProvidersSorted() {
    assertThat(Streams.availableBackends()).containsExactly("fake-a", "fake-b");
  }

  @Test
  void severalWithoutAChoiceFailListingThemAndHowToChoose() {
    assertThatThrownBy(() -> Streams.open(StreamConfig.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Several streams backends on the classpath: [fake-a, fake-b]. Choose one with"
            + " StreamConfig.builder().backend(\"fake-a\"), the environment variable STREAMS_BACKEND or"
            + " the system property streams.backend.");
  }

  @Test
  void theConfiguredBackendIsOpenedWithTheConfig() {
    StreamConfig config = StreamConfig.builder().backend("fake-b").host("h").build();
    try (StreamAdapter adapter = Streams.open(config)) {
      assertThat(adapter).isInstanceOfSatisfying(FakeAdapter.class, fake -> {
        assertThat(fake.provider()).isEqualTo("fake-b");
        assertThat(fake.config()).isSameAs(config);
      });
    }
    try (StreamAdapter adapter = Streams.open(StreamConfig.builder().backend("fake-a").build())) {
      assertThat(((FakeAdapter) adapter).provider()).isEqualTo("fake-a");
    }
  }

  @Test
  void theSystemPropertyChoosesTheBackend() {
    System.setProperty(PROPERTY, "fake-b");
    try (StreamAdapter adapter = Streams.open(StreamConfig.defaults())) {
      assertThat(((FakeAdapter) adapter).provider()).isEqualTo("fake-b");
    }
    System.setProperty(PROPERTY, "  fake-a  ");
    try (StreamAdapter adapter = Streams.open(StreamConfig.defaults())) {
      assertThat(((FakeAdapter) adapter).provider()).isEqualTo("fake-a");
    }
  }

  @Test
  void theConfigTakesPrecedenceOverTheSystemProperty() {
    System.setProperty(PROPERTY, "fake-b");
    try (StreamAdapter adapter = Streams.open(StreamConfig.builder().backend("fake-a").build())) {
      assertThat(((FakeAdapter) adapter).provider()).isEqualTo("fake-a");
    }
  }

  @Test
  void aBlankSystemPropertyIsNoChoice() {
    System.setProperty(PROPERTY, "  ");
    assertThatThrownBy(() -> Streams.open(StreamConfig.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Several streams backends on the classpath: [fake-a, fake-b].");
  }

  @Test
  void anUnknownBackendFailsListingTheAvailableOnes() {
    assertThatThrownBy(() -> Streams.open(StreamConfig.builder().backend("redis-jedis").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Streams backend \"redis-jedis\" is not on the classpath."
            + " Backends on the classpath: [fake-a, fake-b].");
    System.setProperty(PROPERTY, "memory");
    assertThatThrownBy(() -> Streams.open(StreamConfig.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Streams backend \"memory\" is not on the classpath."
            + " Backends on the classpath: [fake-a, fake-b].");
  }

  @Test
  void environmentConfigChoosesTheBackend() {
    StreamConfig config = StreamConfig.fromEnvironment(java.util.Map.of("STREAMS_BACKEND", "fake-b"));
    try (StreamAdapter adapter = Streams.open(config)) {
      assertThat(((FakeAdapter) adapter).provider()).isEqualTo("fake-b");
    }
  }

  @Test
  void noBackendOnTheClasspathSaysWhichModulesProvideOne() {
    ClassLoader empty = new ClassLoader(null) {};
    assertThatThrownBy(() -> Streams.open(StreamConfig.defaults(), empty))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("No streams backend on the classpath. Add a backend module as a dependency:"
            + " dev.streams:streams-memory (backend \"memory\"),"
            + " dev.streams:streams-redis-jedis (backend \"redis-jedis\") or"
            + " dev.streams:streams-redis-lettuce (backend \"redis-lettuce\")."
            + " A backend of your own is found through its registration for ServiceLoader: annotate"
            + " its provider with @AutoService(StreamAdapterProvider.class), or list the provider's"
            + " class name in META-INF/services/dev.streams.StreamAdapterProvider.");
  }

  @Test
  void nullConfigFails() {
    assertThatThrownBy(() -> Streams.open(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("config must not be null");
  }
}
