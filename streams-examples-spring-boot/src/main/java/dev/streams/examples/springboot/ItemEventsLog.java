package dev.streams.examples.springboot;

import dev.streams.StreamAdapter;
import dev.streams.StreamChannel;
import dev.streams.StreamEvent;
import dev.streams.Subscription;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Logs every event of the group {@code example.watch-group} (default {@code items}), written by this
 * instance or any other on the same store, and keeps the latest few for {@link #recent()}.
 */
@Component
public class ItemEventsLog implements DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(ItemEventsLog.class);
  private static final int KEPT = 100;

  private final String group;
  private final Deque<StreamEvent> recent = new ArrayDeque<>();
  private final Subscription subscription;

  /**
   * @param streams the auto-configured adapter
   * @param group the group to follow
   */
  public ItemEventsLog(StreamAdapter streams, @Value("${example.watch-group:items}") String group) {
    this.group = group;
    this.subscription = streams.subscribe(StreamChannel.group(group), this::onEvent);
  }

  private void onEvent(StreamEvent event) {
    LOG.info("Stream event on group '{}': {} {}", group, event.type(), event.data());
    if (StreamEvent.SYNC.equals(event.type())) {
      // Events may have been lost (a reconnection, an overflow): a real service re-reads its state.
      LOG.info("Re-read group '{}' after a sync", group);
    }
    synchronized (recent) {
      if (recent.size() == KEPT) {
        recent.removeFirst();
      }
      recent.addLast(event);
    }
  }

  /** @return the latest events, oldest first */
  public List<StreamEvent> recent() {
    synchronized (recent) {
      return List.copyOf(recent);
    }
  }

  @Override
  public void destroy() {
    subscription.close();
  }
}
