package dev.streams.tck;

/**
 * What each family of clauses ({@link DataClauses}, {@link EventClauses} ...) is built on: the
 * context of the running test, which {@link StreamsTck} gives. A backend author uses the families
 * through {@link StreamsTck}, never this interface alone.
 */
public interface ClauseFamily {

  /** @return the context of the running test */
  TckContext tck();
}
