package dev.streams.spring.boot;

import dev.streams.StreamConfig;

/**
 * Changes the auto-configured {@link StreamConfig} after the properties are applied, for what
 * properties cannot say (a {@link dev.streams.ReconnectStrategy}, say). Declare one or more as beans.
 */
@FunctionalInterface
public interface StreamConfigCustomizer {

  /** @param builder holds the configuration from the properties */
  void customize(StreamConfig.Builder builder);
}
