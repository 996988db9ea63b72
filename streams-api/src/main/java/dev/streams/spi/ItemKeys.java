package dev.streams.spi;

/**
 * The keys and channels of one item.
 *
 * @param groupId the group
 * @param id the item
 * @param key the data key
 * @param groupChannel the group channel
 * @param itemChannel the item channel
 */
public record ItemKeys(String groupId, String id, String key, String groupChannel, String itemChannel) {}
