package dev.streams.query;

/** The direction of {@link Query#orderBy()} (Q3). */
public enum SortDirection {
  /** Smallest first (the default). */
  ASC,
  /** Largest first; ties still by ascending id. */
  DESC
}
