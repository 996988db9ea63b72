/**
 * For backend authors: the building blocks every backend uses so that all backends write the same
 * bytes and answer queries the same way. {@link dev.streams.spi.AbstractStreamAdapter} does the
 * backend-neutral work (validation, documents, queries, event delivery); a backend implements its
 * storage primitives over {@link dev.streams.spi.ItemKeys} and {@link dev.streams.spi.RawEntry}, and a
 * {@link dev.streams.spi.ChannelTransport} for its channels, built from the
 * {@link dev.streams.spi.MessageSink} it hands messages to. {@link dev.streams.spi.KeyLayout} names
 * keys and channels, {@link dev.streams.spi.WireFormat} is the stored and published text, and
 * {@link dev.streams.spi.EventDispatcher} delivers events to handlers.
 *
 * <p>The provider a backend registers, {@link dev.streams.StreamAdapterProvider}, lives in
 * {@code dev.streams} beside {@link dev.streams.Streams}, which discovers it. Applications do not
 * need this package.
 */
package dev.streams.spi;
