package dev.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackendSelectorTest {

  private static final String HOW_TO_ADD = "Add a backend module as a dependency:"
      + " dev.streams:streams-memory (backend \"memory\"),"
      + " dev.streams:streams-redis-jedis (backend \"redis-jedis\") or"
      + " dev.streams:streams-redis-lettuce (backend \"redis-lettuce\")."
      + " A backend of your own is found through its registration for ServiceLoader: annotate its"
      + " provider with @AutoService(StreamAdapterProvider.class), or list the provider's class name"
      + " in META-INF/services/" + StreamAdapterProvider.class.getName() + ".";

  /** A provider that only has a name; discovery must never open one it did not choose. */
  static class Named implements StreamAdapterProvider {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public StreamAdapter open(StreamConfig config) {
      throw new AssertionError("selection must not open a provider");
    }
  }

  static final class OtherNamed extends Named {
    OtherNamed(String name) {
      super(name);
    }
  }

  @Test
  void noneFailsSayingWhichModulesProvideOne() {
    assertThatThrownBy(() -> BackendSelector.select(List.of(), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("No streams backend on the classpath. " + HOW_TO_ADD);
  }

  @Test
  void theOnlyOneIsChosen() {
    Named memory = new Named("memory");
    assertThat(BackendSelector.select(List.of(memory), null)).isSameAs(memory);
  }

  @Test
  void severalFailListingThemSortedAndHowToChoose() {
    List<StreamAdapterProvider> providers =
        List.of(new Named("redis-lettuce"), new Named("memory"), new Named("redis-jedis"));
    assertThatThrownBy(() -> BackendSelector.select(providers, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Several streams backends on the classpath: [memory, redis-jedis, redis-lettuce]."
            + " Choose one with StreamConfig.builder().backend(\"memory\"), the environment variable"
            + " STREAMS_BACKEND or the system property streams.backend.");
  }

  @Test
  void theRequestedOneIsChosenAmongSeveral() {
    Named memory = new Named("memory");
    Named jedis = new Named("redis-jedis");
    assertThat(BackendSelector.select(List.of(memory, jedis), "redis-jedis")).isSameAs(jedis);
    assertThat(BackendSelector.select(List.of(memory, jedis), "memory")).isSameAs(memory);
    assertThat(BackendSelector.select(List.of(memory), "memory")).isSameAs(memory);
  }

  @Test
  void requestedButAbsentFailsListingThoseOnTheClasspath() {
    List<StreamAdapterProvider> providers = List.of(new Named("redis-jedis"), new Named("memory"));
    assertThatThrownBy(() -> BackendSelector.select(providers, "redis-lettuce"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Streams backend \"redis-lettuce\" is not on the classpath."
            + " Backends on the classpath: [memory, redis-jedis].");
    assertThatThrownBy(() -> BackendSelector.select(List.of(new Named("memory")), "Memory"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Streams backend \"Memory\" is not on the classpath. Backends on the classpath: [memory].");
  }

  @Test
  void requestedWithNoneOnTheClasspathSaysHowToAddOne() {
    assertThatThrownBy(() -> BackendSelector.select(List.of(), "memory"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Streams backend \"memory\" is not on the classpath. Backends on the classpath: none. "
            + HOW_TO_ADD);
  }

  @Test
  void duplicateNamesFailNamingBothClasses() {
    List<StreamAdapterProvider> providers =
        List.of(new Named("memory"), new Named("redis-jedis"), new OtherNamed("memory"));
    assertThatThrownBy(() -> BackendSelector.select(providers, "redis-jedis"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Two streams backends are named \"memory\": " + Named.class.getName() + " and "
            + OtherNamed.class.getName() + ". Remove one of them from the classpath.");
    assertThatThrownBy(() -> BackendSelector.select(providers, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Two streams backends are named \"memory\": ");
  }

  @Test
  void thePropertyNameIsStreamsBackend() {
    assertThat(BackendSelector.BACKEND_PROPERTY).isEqualTo("streams.backend");
    assertThat(EnvironmentConfig.STREAMS_BACKEND).isEqualTo("STREAMS_BACKEND");
  }
}
