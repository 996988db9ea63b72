/**
 * Implementation details of the streams API (validation of names). Not a public API: anything here
 * may change without notice; do not use it from application or backend code. It depends on no other
 * package of the library.
 */
package dev.streams.internal;
