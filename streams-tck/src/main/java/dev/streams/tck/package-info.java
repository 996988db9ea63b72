/**
 * The compatibility kit: what a backend's test extends to prove it follows the contract (docs/CONTRACT.md) clause by clause.
 *
 * <pre>{@code
 * class MyBackendTckTest extends StreamsTck {
 *   @Override
 *   protected TckStore newStore() {
 *     return new MyTckStore();   // a fresh, empty store per test
 *   }
 * }
 * }</pre>
 *
 * <p>Every test's display name starts with the clause it checks ({@code "Q4 — ..."}). A backend whose
 * {@link dev.streams.tck.TckStore#rawView()} is empty sees the clauses that need one reported as
 * skipped, with the reason.
 */
package dev.streams.tck;
