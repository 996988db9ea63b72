package dev.streams.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Redis Cluster hash slots: a multi-key script may only touch keys of one slot, so batches are built
 * per slot even on a standalone server, where that costs nothing.
 */
public final class RedisSlots {

  /** How many slots a cluster has. */
  public static final int SLOT_COUNT = 16_384;

  private RedisSlots() {}

  /**
   * The slot of a key: CRC16 (XMODEM) of the key's UTF-8 bytes, or of its hash tag (the part between
   * the first {@code {} and the next {@code }}, if not empty), modulo {@value #SLOT_COUNT}.
   *
   * @param key a key
   * @return its slot, 0–16383
   */
  public static int slot(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    int start = 0;
    int end = bytes.length;
    int open = indexOf(bytes, (byte) '{', 0);
    if (open >= 0) {
      int close = indexOf(bytes, (byte) '}', open + 1);
      if (close > open + 1) {
        start = open + 1;
        end = close;
      }
    }
    return crc16(bytes, start, end) & (SLOT_COUNT - 1);
  }

  /**
   * Splits keys into batches of at most {@code maxBatch} keys, each of one slot, dropping duplicates.
   *
   * @param keys the keys
   * @param maxBatch the largest batch
   * @return the batches
   */
  public static List<List<String>> batchesBySlot(List<String> keys, int maxBatch) {
    Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
    for (String key : new LinkedHashSet<>(keys)) {
      bySlot.computeIfAbsent(slot(key), s -> new ArrayList<>()).add(key);
    }
    List<List<String>> batches = new ArrayList<>();
    for (List<String> slotKeys : bySlot.values()) {
      for (int from = 0; from < slotKeys.size(); from += maxBatch) {
        batches.add(List.copyOf(slotKeys.subList(from, Math.min(from + maxBatch, slotKeys.size()))));
      }
    }
    return batches;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, as the Redis Cluster spec defines. */
  static int crc16(byte[] bytes, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc ^= (bytes[i] & 0xFF) << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
    }
    return crc & 0xFFFF;
  }
}
