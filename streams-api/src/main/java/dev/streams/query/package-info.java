/**
 * Queries over the items of a group (Q1–Q5): the {@link dev.streams.query.Query} model,
 * and the one {@link dev.streams.query.QueryEvaluator} that every backend uses so that all backends
 * answer the same.
 */
package dev.streams.query;
