package com.example.mybackend;

import dev.streams.StreamConfig;
import dev.streams.memory.MemoryRawView;
import java.util.UUID;

/** The README's stand-in for a third-party backend's test server: an in-JVM store of its own. */
final class MyServer {

  private final String host = "my-server-" + UUID.randomUUID();

  private MyServer() {}

  static MyServer startEmpty() {
    return new MyServer();
  }

  String host() {
    return host;
  }

  int port() {
    return 6379;
  }

  void stop() {
    MemoryRawView.of(StreamConfig.builder().host(host).port(port()).build()).flush();
  }
}
