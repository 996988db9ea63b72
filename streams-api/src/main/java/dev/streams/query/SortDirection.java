package dev.streams.query;

/** The direction of {@link Query#orderBy()} (SPEC.md Q3). */
public enum SortDirection {
  /** Smallest first (the default). */
  ASC,
  /** Largest first; ties still by ascending id. */
  DESC
}
