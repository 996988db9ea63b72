/**
 * For backend authors: the provider SPI that {@link dev.streams.Streams} discovers, and the shared
 * building blocks every backend uses so that all backends write the same bytes and answer queries
 * the same way: {@link dev.streams.spi.KeyLayout}, {@link dev.streams.spi.StreamJson},
 * {@link dev.streams.spi.EventDispatcher} and {@link dev.streams.spi.AbstractStreamAdapter}.
 *
 * <p>Applications do not need this package.
 */
package dev.streams.spi;
