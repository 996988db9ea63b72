/** An example Spring Boot service on the streams starter, run by the tests. */
package dev.streams.examples.springboot;
