/**
 * The {@code streams} command line: work with stream data from a terminal without writing Java or
 * decoding keys by hand in redis-cli. Not a library API.
 */
package dev.streams.cli;
