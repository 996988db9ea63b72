package dev.streams.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says which dependency to add, or which property to set, when the backend cannot be chosen. */
public class StreamsBackendFailureAnalyzer extends AbstractFailureAnalyzer<StreamsBackendException> {

  static final String MODULES = "dev.streams:streams-redis-lettuce (backend redis-lettuce),"
      + " dev.streams:streams-redis-jedis (backend redis-jedis) or dev.streams:streams-memory"
      + " (backend memory, for tests and a single process)";

  /** Created by Spring Boot from {@code META-INF/spring.factories}. */
  public StreamsBackendFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, StreamsBackendException cause) {
    String action;
    if (cause.requested() != null) {
      action = cause.available().isEmpty()
          ? "Add the dependency of backend '" + cause.requested() + "': " + MODULES + "."
          : "Set streams.backend to one of " + cause.available() + ", or add the dependency of '"
              + cause.requested() + "': " + MODULES + ".";
    } else if (cause.available().isEmpty()) {
      action = "Add one backend as a dependency: " + MODULES + ".";
    } else {
      action = "Set streams.backend to one of " + cause.available()
          + ", or keep only one backend dependency.";
    }
    return new FailureAnalysis(cause.getMessage() + ".", action, cause);
  }
}
