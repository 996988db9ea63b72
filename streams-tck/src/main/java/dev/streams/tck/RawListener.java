package dev.streams.tck;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The messages a {@link RawView} received on one channel, as the backend's raw client saw them. */
public class RawListener implements AutoCloseable {

  private final String channel;
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final Runnable onClose;

  /**
   * @param channel the channel
   * @param onClose stops the listening
   */
  public RawListener(String channel, Runnable onClose) {
    this.channel = channel;
    this.onClose = onClose;
  }

  /**
   * Called by the raw view for each message that arrives.
   *
   * @param message the text
   */
  public void received(String message) {
    messages.add(message);
  }

  /** @return the channel */
  public String channel() {
    return channel;
  }

  /** @return the messages so far, in arrival order */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void close() {
    onClose.run();
  }
}
