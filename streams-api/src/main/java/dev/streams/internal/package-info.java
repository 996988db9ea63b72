/**
 * Implementation details of the streams API. Not a public API: anything here may change without
 * notice; do not use it from application or backend code.
 */
package dev.streams.internal;
