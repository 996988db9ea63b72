/** Runnable examples; the README's code is taken from here, so it always compiles. */
package dev.streams.examples;
