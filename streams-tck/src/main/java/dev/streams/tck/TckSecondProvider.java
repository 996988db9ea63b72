package dev.streams.tck;

import dev.streams.StreamAdapter;
import dev.streams.StreamConfig;
import dev.streams.StreamAdapterProvider;

/**
 * Not a backend: the second provider that the S2 clause registers beside the backend under test, to
 * see that opening without a name then asks to choose. It never opens anything. Public only because
 * {@link java.util.ServiceLoader} instantiates it.
 */
public final class TckSecondProvider implements StreamAdapterProvider {

  /** Its name. */
  public static final String NAME = "tck-second-backend";

  /** Called by {@link java.util.ServiceLoader}. */
  public TckSecondProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StreamAdapter open(StreamConfig config) {
    throw new UnsupportedOperationException("the TCK's second provider only has a name");
  }
}
