/**
 * The library's JSON codec, {@link dev.streams.json.StreamJson}: how data becomes a document and its
 * stored text, with exact numbers and field order. Applications and backends both use it; it depends
 * on no other package of the library.
 */
package dev.streams.json;
