package dev.streams.testing;

import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.StreamAdapterProvider;

/** A test-only backend named {@code fake-b}, registered for ServiceLoader in the test resources. */
public final class FakeProviderB implements StreamAdapterProvider {

  /** Its name. */
  public static final String NAME = "fake-b";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StreamAdapter open(StreamConfig config) {
    return new FakeAdapter(NAME, config);
  }
}
