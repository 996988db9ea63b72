package dev.streams.spi;

/**
 * A key and the text stored there, as a group read found it.
 *
 * @param key the data key
 * @param value the stored text
 */
public record RawEntry(String key, String value) {}
