package dev.streams.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.StreamEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/** The events a handler received, in order; pass {@code log::add} as the handler. */
public final class EventLog {

  /** How long {@link #awaitTypes} waits: generous, for a loaded machine. */
  public static final Duration WAIT = Duration.ofSeconds(20);

  private final List<StreamEvent> events = new CopyOnWriteArrayList<>();

  /** Creates an empty log. */
  public EventLog() {}

  /** @param event an event the handler received */
  public void add(StreamEvent event) {
    events.add(event);
  }

  /** @return the events so far */
  public List<StreamEvent> events() {
    return List.copyOf(events);
  }

  /** @return the types of the events so far */
  public List<String> types() {
    return events.stream().map(StreamEvent::type).toList();
  }

  /**
   * Waits until the log holds exactly these types, in this order.
   *
   * @param types the expected types
   */
  public void awaitTypes(String... types) {
    Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(types()).containsExactly(types));
  }
}
