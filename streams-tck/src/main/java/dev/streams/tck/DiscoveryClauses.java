package dev.streams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.Streams;
import dev.streams.StreamAdapterProvider;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * S1–S3: the backend is found the way an application finds it, by {@link java.util.ServiceLoader}
 * through {@link Streams#open(StreamConfig)}, and opening says what is wrong when it is not.
 */
public interface DiscoveryClauses extends ClauseFamily {

  @Test
  @DisplayName("S1 — the backend's provider is registered for ServiceLoader under its name, and Streams.open opens it by that name")
  default void s1_providerIsFoundByNameAndOpens() {
    String name = tck().backendName();
    Map<String, StreamAdapterProvider> registered = Discovery.registered();
    if (!registered.containsKey(name)) {
      fail("no StreamAdapterProvider named \"" + name + "\" is registered for ServiceLoader"
          + " (registered: " + registered.keySet() + "), so Streams.open cannot find it. Annotate the"
          + " provider with @AutoService(StreamAdapterProvider.class), or list its class name in"
          + " src/main/resources/" + Discovery.SERVICES_FILE);
    }
    try (StreamAdapter opened = Streams.open(tck().connection(settings -> settings.backend(name)))) {
      assertThat(opened.set("s1", "found", Map.of("by", name)).get("by").asText()).isEqualTo(name);
      assertThat(opened.get("s1", "found")).isPresent();
    }
  }

  @Test
  @DisplayName("S2 — with the backend the only one on the classpath, Streams.open without a name opens it")
  default void s2_theOnlyBackendIsOpenedWithoutAName() {
    StreamAdapterProvider provider = registeredProvider();
    withoutBackendChoice(() -> {
      StreamAdapter opened = Discovery.withOnly(List.of(provider.getClass().getName()),
          () -> Streams.open(tck().connection(UnaryOperator.identity())));
      try (opened) {
        assertThat(opened.set("s2", "only", Map.of("a", 1)).get("id").asText()).isEqualTo("only");
      }
    });
  }

  @Test
  @DisplayName("S2 — with no backend on the classpath, opening fails saying which modules provide one and how a backend registers itself")
  default void s2_noBackendSaysWhatToAdd() {
    withoutBackendChoice(() -> assertThatThrownBy(() -> Discovery.withOnly(List.of(),
            () -> Streams.open(tck().connection(UnaryOperator.identity()))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("streams-memory").hasMessageContaining("streams-redis-jedis")
        .hasMessageContaining("streams-redis-lettuce")
        .hasMessageContaining("@AutoService(StreamAdapterProvider.class)")
        .hasMessageContaining(Discovery.SERVICES_FILE));
  }

  @Test
  @DisplayName("S2 — with several backends on the classpath, opening without a name fails listing them and how to choose")
  default void s2_severalBackendsAskToChoose() {
    StreamAdapterProvider provider = registeredProvider();
    withoutBackendChoice(() -> assertThatThrownBy(() -> Discovery.withOnly(
            List.of(provider.getClass().getName(), TckSecondProvider.class.getName()),
            () -> Streams.open(tck().connection(UnaryOperator.identity()))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(tck().backendName()).hasMessageContaining(TckSecondProvider.NAME)
        .hasMessageContaining("backend(").hasMessageContaining("STREAMS_BACKEND")
        .hasMessageContaining("streams.backend"));
  }

  @Test
  @DisplayName("S3 — naming a backend that is not on the classpath fails listing those that are")
  default void s3_anAbsentBackendListsThosePresent() {
    registeredProvider();
    String absent = "tck-absent-backend";
    assertThatThrownBy(() -> Streams.open(tck().connection(settings -> settings.backend(absent))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(absent).hasMessageContaining(tck().backendName());
  }

  /** The backend's registered provider; a clause that needs it is skipped when S1 fails. */
  private StreamAdapterProvider registeredProvider() {
    var provider = Discovery.registered(tck().backendName());
    assumeTrue(provider.isPresent(), "This clause needs the backend's provider registered for"
        + " ServiceLoader, which S1 found it is not");
    return provider.orElseThrow();
  }

  /** Runs a check of opening without a name, where neither the property nor the variable names one. */
  private static void withoutBackendChoice(Runnable check) {
    assumeTrue(System.getenv("STREAMS_BACKEND") == null,
        "STREAMS_BACKEND is set in the environment, so opening without a name cannot be checked");
    String property = System.clearProperty("streams.backend");
    try {
      check.run();
    } finally {
      if (property != null) {
        System.setProperty("streams.backend", property);
      }
    }
  }
}
