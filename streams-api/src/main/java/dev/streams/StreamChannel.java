package dev.streams;

import dev.streams.internal.Names;
import java.util.Optional;

/**
 * Where events go: a whole group, or one item of a group (K3).
 *
 * <p>Events of {@code set}, {@code delete} and {@code clear} are published on both the group channel
 * and the item channel; {@link StreamAdapter#send} publishes on exactly the channel given.
 *
 * @param groupId the group, valid under D2
 * @param id the item, or {@code null} for the group channel
 */
public record StreamChannel(String groupId, String id) {

  /**
   * @throws IllegalArgumentException if {@code groupId} or a non-null {@code id} is invalid (D2)
   */
  public StreamChannel {
    Names.requireGroupId(groupId);
    if (id != null) {
      Names.requireId(id);
    }
  }

  /**
   * @param groupId the group
   * @return the channel that carries the events of every item of the group
   */
  public static StreamChannel group(String groupId) {
    return new StreamChannel(groupId, null);
  }

  /**
   * @param groupId the group
   * @param id the item
   * @return the channel that carries the events of one item
   */
  public static StreamChannel item(String groupId, String id) {
    Names.requireId(id);
    return new StreamChannel(groupId, id);
  }

  /** @return whether this is a group channel or an item channel */
  public Kind kind() {
    return id == null ? Kind.GROUP : Kind.ITEM;
  }

  /** The two kinds of channel: a low-cardinality name for metrics, unlike the channel itself. */
  public enum Kind {
    /** Every item's events of a group. */
    GROUP,
    /** One item's events. */
    ITEM
  }

  /** @return the item id, empty for a group channel */
  public Optional<String> itemId() {
    return Optional.ofNullable(id);
  }

  @Override
  public String toString() {
    return id == null ? groupId : groupId + ":" + id;
  }
}
