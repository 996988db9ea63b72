package dev.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.streams.json.StreamJson;
import java.util.Objects;

/**
 * One event on a channel: a type and JSON data (wire format of E1).
 *
 * <p>The adapter itself sends {@value #CREATE}, {@value #UPDATE} and {@value #DELETE} with the stored
 * document as data, and delivers {@value #SYNC} to a handler when events may have been missed (after
 * a reconnection, or when the handler fell too far behind) and {@value #DISCONNECTED} as the last
 * event when the connection is gone for good; {@link StreamAdapter#send} carries any type.
 *
 * @param type the event type, never empty
 * @param data the event data, never {@code null} (JSON null is {@link NullNode})
 */
public record StreamEvent(String type, JsonNode data) {

  /** An item was written at a key that held no item. */
  public static final String CREATE = "create";
  /** An item was written over an existing item. */
  public static final String UPDATE = "update";
  /** An item was removed. */
  public static final String DELETE = "delete";
  /** Events may have been missed: re-read the state. Data: {@code {"reason": ...}}. */
  public static final String SYNC = "sync";
  /** {@link #SYNC} reason: the subscriber connection was lost and re-established. */
  public static final String REASON_RECONNECTED = "reconnected";
  /** {@link #SYNC} reason: the handler fell behind and its backlog was dropped. */
  public static final String REASON_OVERFLOW = "overflow";
  /**
   * Reason of a {@code sync} after the server ended a channel's subscription, its slot having moved
   * to another node or its node having failed over (sharded pub/sub on a Redis Cluster), and the
   * adapter subscribed it again where the slot now lives: messages may have been missed meanwhile.
   */
  public static final String REASON_RESUBSCRIBED = "resubscribed";
  /**
   * The last event of a subscription whose connection is gone for good: the reconnect strategy gave
   * up. Data: {@code {"reason": <the strategy's reason>}}. The subscription is inactive afterwards.
   */
  public static final String DISCONNECTED = "disconnected";

  /**
   * @throws IllegalArgumentException if {@code type} is null or empty
   */
  public StreamEvent {
    if (type == null || type.isEmpty()) {
      throw new IllegalArgumentException("event type must be a non-empty string, but was "
          + (type == null ? "null" : "empty"));
    }
    data = data == null ? NullNode.getInstance() : data;
  }

  /**
   * @param type the event type
   * @param data any value that Jackson maps to JSON (a {@link JsonNode}, a map, a record ...)
   * @return the event
   */
  public static StreamEvent of(String type, Object data) {
    return new StreamEvent(type, StreamJson.toJsonValue(data, "event data"));
  }

  /**
   * @param reason why the handler should re-read state, e.g. {@value #REASON_RECONNECTED}
   * @return a {@value #SYNC} event
   */
  public static StreamEvent sync(String reason) {
    Objects.requireNonNull(reason, "reason");
    return new StreamEvent(SYNC, JsonNodeFactory.instance.objectNode().put("reason", reason));
  }

  /** @return whether this is a {@value #SYNC} event */
  public boolean isSync() {
    return SYNC.equals(type);
  }
}
