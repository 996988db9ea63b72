/**
 * The in-JVM backend, named {@code memory}: what a unit test picks instead of a Redis server.
 *
 * <p>Adapters opened with the same host, port and database in one JVM share one store, like two
 * clients of one Redis; other hosts or databases are separate stores. Events belong to the host and
 * port, as Redis's pub/sub ignores the database: every database there shares them (E8). Data lives under
 * the exact keys of the layout and events travel on the exact channels (K6), so
 * {@link dev.streams.memory.MemoryRawView} can show both. Data lasts as long as the JVM.
 */
package dev.streams.memory;
