/** The README's code, kept here so that it compiles and is tested. */
package dev.streams.examples;
