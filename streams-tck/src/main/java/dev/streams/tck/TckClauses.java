package dev.streams.tck;

/** What every clause family of the TCK needs: the current test's context. */
public interface TckClauses {

  /** @return the context of the running test */
  TckContext tck();
}
