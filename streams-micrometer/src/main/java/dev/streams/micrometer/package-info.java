/**
 * Micrometer metrics of a stream adapter, the same on every backend: {@link
 * dev.streams.micrometer.StreamsMetrics} binds an adapter to a {@code MeterRegistry}.
 */
package dev.streams.micrometer;
