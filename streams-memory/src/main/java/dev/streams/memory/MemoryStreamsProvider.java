package dev.streams.memory;

import com.google.auto.service.AutoService;
import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.StreamAdapterProvider;

/**
 * The {@value #NAME} backend: stores in this JVM. Host, port and database only select which in-JVM
 * store to share; username, password, TLS and timeouts are ignored.
 */
@AutoService(StreamAdapterProvider.class)
public final class MemoryStreamsProvider implements StreamAdapterProvider {

  /** The backend name. */
  public static final String NAME = "memory";

  /** Called by {@link java.util.ServiceLoader}. */
  public MemoryStreamsProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StreamAdapter open(StreamConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    return MemoryStreamAdapter.open(config);
  }
}
