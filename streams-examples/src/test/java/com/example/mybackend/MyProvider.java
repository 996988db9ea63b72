package com.example.mybackend;

import com.google.auto.service.AutoService;
import dev.streams.StreamAdapter;
import dev.streams.StreamAdapterProvider;
import dev.streams.StreamConfig;
import dev.streams.memory.MemoryStreamsProvider;

/**
 * The README's third-party backend: registered for ServiceLoader as a backend author registers
 * theirs; it stores in memory, standing in for whatever a real one talks to.
 */
@AutoService(StreamAdapterProvider.class)
public final class MyProvider implements StreamAdapterProvider {

  /** The backend name. */
  public static final String NAME = "my-backend";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StreamAdapter open(StreamConfig config) {
    return new MemoryStreamsProvider().open(config);
  }
}
