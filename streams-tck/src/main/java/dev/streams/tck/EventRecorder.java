package dev.streams.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.streams.EventHandler;
import dev.streams.StreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A handler that records what it receives, on which thread, and how many calls overlapped.
 */
public final class EventRecorder implements EventHandler {

  /** The system property that sets {@link #patience()} in seconds. */
  public static final String PATIENCE_PROPERTY = "streams.tck.patience.seconds";

  /**
   * @return how long the TCK waits for something that should happen: 30 s, or the property
   *     {@value #PATIENCE_PROPERTY}
   */
  public static Duration patience() {
    return Duration.ofSeconds(Long.getLong(PATIENCE_PROPERTY, 30));
  }

  private final String name;
  private final List<StreamEvent> events = new ArrayList<>();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile EventHandler also = event -> {};

  /**
   * @param name names this recorder in failure messages
   */
  public EventRecorder(String name) {
    this.name = name;
  }

  /**
   * @param action runs inside each call, after the event is recorded (to block, throw, count ...)
   * @return this recorder
   */
  public EventRecorder alsoDo(EventHandler action) {
    this.also = action;
    return this;
  }

  @Override
  public void onEvent(StreamEvent event) {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    threads.add(Thread.currentThread());
    try {
      synchronized (events) {
        events.add(event);
      }
      also.onEvent(event);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** @return the events so far, in arrival order */
  public List<StreamEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** @return the events so far that are not {@code sync} */
  public List<StreamEvent> changes() {
    return events().stream().filter(e -> !e.isSync()).toList();
  }

  /** @return the types of the events so far */
  public List<String> types() {
    return events().stream().map(StreamEvent::type).toList();
  }

  /** @return the threads that called this handler */
  public Set<Thread> threads() {
    return Set.copyOf(threads);
  }

  /** @return the most calls that were in progress at once */
  public int maxConcurrentCalls() {
    return maxInFlight.get();
  }

  /**
   * @param count how many events to wait for
   * @return the events, once there are at least {@code count}
   */
  public List<StreamEvent> awaitCount(int count) {
    await(name + " to receive " + count + " events")
        .atMost(patience())
        .pollInterval(Duration.ofMillis(5))
        .until(() -> events().size() >= count);
    return events();
  }

  /**
   * @param types the types expected, in order
   * @return the events, once their types are exactly these, in this order (no more, no fewer)
   */
  public List<StreamEvent> awaitTypes(String... types) {
    await(name + " to receive exactly the events " + List.of(types))
        .atMost(patience())
        .pollInterval(Duration.ofMillis(5))
        .untilAsserted(() -> assertThat(types()).as("event types of the %s", name).containsExactly(types));
    return events();
  }

  /**
   * @param condition what an event must satisfy
   * @return the events up to and including the first that satisfies it
   */
  public List<StreamEvent> awaitEvent(Predicate<StreamEvent> condition) {
    await(name + " to receive a matching event")
        .atMost(patience())
        .pollInterval(Duration.ofMillis(5))
        .until(() -> events().stream().anyMatch(condition));
    List<StreamEvent> all = events();
    List<StreamEvent> upTo = new ArrayList<>();
    for (StreamEvent event : all) {
      upTo.add(event);
      if (condition.test(event)) {
        break;
      }
    }
    return upTo;
  }

  @Override
  public String toString() {
    return "EventRecorder[" + name + "]";
  }
}
