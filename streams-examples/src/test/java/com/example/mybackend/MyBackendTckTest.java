package com.example.mybackend;

import dev.streams.StreamConfig;
import dev.streams.tck.RawView;
import dev.streams.tck.StreamsTck;
import dev.streams.tck.TckStore;
import java.util.Optional;

class MyBackendTckTest extends StreamsTck {

  @Override
  protected TckStore newStore() {
    MyServer server = MyServer.startEmpty();          // a fresh, empty store per test
    return new TckStore() {
      @Override
      public String backendName() {
        return MyProvider.NAME;                       // what your provider's name() returns
      }

      @Override
      public StreamConfig configure(StreamConfig settings) {
        // The TCK chooses prefixes and the like; you add the connection.
        return settings.toBuilder().host(server.host()).port(server.port()).build();
      }

      @Override
      public Optional<RawView> rawView() {
        return Optional.empty();                      // or a view through a plain client
      }

      @Override
      public void close() {
        server.stop();
      }
    };
  }
}
