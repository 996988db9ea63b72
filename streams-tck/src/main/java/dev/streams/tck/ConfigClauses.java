package dev.streams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.StreamConfig;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** C3: invalid options and secrets, as a backend's configuration sees them. */
public interface ConfigClauses extends ClauseFamily {

  @Test
  @DisplayName("C3 — an invalid option fails with IllegalArgumentException naming the option and the bad value")
  default void c3_invalidOptionsAreNamed() {
    assertThatThrownBy(() -> StreamConfig.builder().port(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port").hasMessageContaining("0");
    assertThatThrownBy(() -> StreamConfig.builder().port(65_536))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port").hasMessageContaining("65536");
    assertThatThrownBy(() -> StreamConfig.builder().database(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database").hasMessageContaining("-1");
    assertThatThrownBy(() -> StreamConfig.builder().keyPrefix(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> StreamConfig.builder().eventPrefix(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventPrefix");
    assertThatThrownBy(() -> StreamConfig.fromEnvironment(Map.of("REDIS_PORT", "six")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REDIS_PORT").hasMessageContaining("six");
  }

  @Test
  @DisplayName("C3 — a password never appears in toString or in an error message about the configuration")
  default void c3_passwordNeverShown() {
    String password = "Sup3r-S3cret-Pa55";
    StreamConfig config = StreamConfig.builder().username("app").password(password).build();
    assertThat(config.toString()).doesNotContain(password).contains("app");
    StreamConfig fromUrl = StreamConfig.fromEnvironment(
        Map.of("REDIS_URL", "redis://app:" + password + "@cache:6380/2"));
    assertThat(fromUrl.password()).contains(password);
    assertThat(fromUrl.toString()).doesNotContain(password);
    assertThatThrownBy(() -> StreamConfig.fromEnvironment(
        Map.of("REDIS_URL", "redis://app:" + password + "@cache:notaport/2")))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> {
          for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(password);
          }
        });
    assertThat(tck().adapter().toString()).doesNotContain(password);
  }
}
