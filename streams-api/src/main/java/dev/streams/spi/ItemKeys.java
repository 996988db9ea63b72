package dev.streams.spi;

/**
 * The keys and channels of one item.
 *
 * @param groupId the group
 * @param id the item
 * @param key the key the item is stored under: its data key (flat), or the group's hash (L2)
 * @param field the field of the hash at {@code key} that holds the item (its id), or null under the
 *     flat layout
 * @param groupChannel the group channel
 * @param itemChannel the item channel
 */
public record ItemKeys(
    String groupId, String id, String key, String field, String groupChannel, String itemChannel) {

  /**
   * The keys of an item of the flat layout, stored under a key of its own.
   *
   * @param groupId the group
   * @param id the item
   * @param key the data key
   * @param groupChannel the group channel
   * @param itemChannel the item channel
   */
  public ItemKeys(String groupId, String id, String key, String groupChannel, String itemChannel) {
    this(groupId, id, key, null, groupChannel, itemChannel);
  }

  /** @return whether the item is a field of a hash (L2) */
  public boolean inHash() {
    return field != null;
  }
}
