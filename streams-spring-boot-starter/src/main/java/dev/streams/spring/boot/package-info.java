/**
 * Spring Boot auto-configuration of a {@link dev.streams.StreamAdapter}: the adapter bean from
 * {@code streams.*} (or {@code spring.data.redis.*}) properties, its Micrometer meters and its
 * Actuator health indicator.
 */
package dev.streams.spring.boot;
