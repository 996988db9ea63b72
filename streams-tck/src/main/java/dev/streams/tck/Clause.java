package dev.streams.tck;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The index of docs/CONTRACT.md: every clause, in the document's order, each marked with what checks
 * it ({@link Check}). The TCK's tests name a clause marked {@link Check#TCK} first in their display
 * names ({@code "K5 — ..."}), as the Redis kit's name one marked {@link Check#REDIS_KIT}; the TCK's
 * own tests make sure that each such clause has a test, that every test names a clause, and that
 * this index and the document agree. A new clause is one line here and its heading there.
 */
public enum Clause {
  D1("an item is a JSON object addressed by (groupId, id)", Check.TCK),
  D2("valid names", Check.TCK),
  D3("invalid input fails before any I/O", Check.TCK),
  D4("the stored document carries the id", Check.TCK),
  D5("exact round trip", Check.TCK, Check.PROJECT_TEST),
  D6("one nesting limit and one size limit", Check.TCK, Check.REDIS_KIT),
  K1("data key layout", Check.TCK),
  K2("stored bytes", Check.TCK, Check.PROJECT_TEST),
  K3("event channels", Check.TCK),
  K4("no other keys", Check.TCK, Check.PROJECT_TEST),
  K5("group enumeration with escaped patterns", Check.TCK, Check.REDIS_KIT, Check.PROJECT_TEST),
  K6("the raw view shows the layout", Check.TCK),
  K7("foreign data fails reads", Check.TCK, Check.REDIS_KIT, Check.PROJECT_TEST),
  O1("set", Check.TCK),
  O2("set events, atomic create/update", Check.TCK, Check.REDIS_KIT),
  O3("get", Check.TCK),
  O4("delete", Check.TCK),
  O5("getGroup", Check.TCK),
  O6("query", Check.TCK),
  O7("clear", Check.TCK, Check.REDIS_KIT),
  O8("send", Check.TCK),
  O9("subscribe and unsubscribe", Check.TCK, Check.REDIS_KIT),
  O10("thread safety and close", Check.TCK),
  E1("wire format", Check.TCK, Check.PROJECT_TEST),
  E2("exactly once across instances", Check.TCK, Check.PROJECT_TEST),
  E3("order, one at a time, off the writer's thread", Check.TCK),
  E4("a throwing handler", Check.TCK),
  E5("a slow handler", Check.TCK),
  E6("garbage on a channel", Check.TCK, Check.PROJECT_TEST),
  E7("losing the connection: one sync after a reconnection or a resubscription, keepalive, giving up",
      Check.REDIS_KIT, Check.PROJECT_TEST),
  E8("events shared by the databases of one store", Check.TCK, Check.PROJECT_TEST),
  Q1("where", Check.TCK),
  Q2("JSON equality", Check.TCK),
  Q3("default and explicit order", Check.TCK),
  Q4("order of values", Check.TCK),
  Q5("offset and limit", Check.TCK),
  L1("the layout option: flat by default, hash on request", Check.TCK, Check.PROJECT_TEST),
  L2("the hash layout: names, escaping, one hash per group", Check.TCK, Check.PROJECT_TEST),
  L3("Redis Cluster", Check.REDIS_KIT, Check.PROJECT_TEST),
  L4("moving groups between layouts", Check.TCK, Check.REDIS_KIT, Check.PROJECT_TEST),
  A1("non-blocking calls", Check.TCK, Check.REDIS_KIT, Check.PROJECT_TEST),
  A2("bounded calls in flight", Check.TCK),
  C1("options", Check.REDIS_KIT, Check.PROJECT_TEST),
  C2("the environment", Check.PROJECT_TEST),
  C3("invalid options and secrets", Check.TCK, Check.REDIS_KIT, Check.PROJECT_TEST),
  C4("bounded waits", Check.REDIS_KIT, Check.PROJECT_TEST),
  S1("the provider is registered for ServiceLoader under its name", Check.TCK, Check.PROJECT_TEST),
  S2("opening without a name: the one backend, or a message saying what to add or how to choose",
      Check.TCK, Check.PROJECT_TEST),
  S3("naming an absent backend lists those present", Check.TCK, Check.PROJECT_TEST),
  S4("third-party backends run the TCK with streams-api and streams-tck alone", Check.PROJECT_TEST);

  /** What checks a clause, as docs/CONTRACT.md says under it ("Checked by"). */
  public enum Check {
    /** A test of this TCK: every backend that extends {@link StreamsTck} runs it. */
    TCK,
    /** A test of the Redis kit ({@code streams-redis-testing}): every Redis backend runs it. */
    REDIS_KIT,
    /** A test of one of the project's modules, which a third-party backend does not run. */
    PROJECT_TEST,
    /** Nothing checks it yet: do not count on every backend following it. */
    NOT_YET_CHECKED,
    /** The feature is not built yet; the id is reserved. */
    PLANNED
  }

  private final String title;
  private final Set<Check> checks;

  Clause(String title, Check first, Check... more) {
    this.title = title;
    this.checks = Collections.unmodifiableSet(EnumSet.of(first, more));
  }

  /** @return a short title of the clause */
  public String title() {
    return title;
  }

  /** @return what checks this clause; never empty */
  public Set<Check> checks() {
    return checks;
  }

  /** @return whether the TCK checks this clause */
  public boolean isCheckedByTck() {
    return checks.contains(Check.TCK);
  }

  /**
   * @param check what checks a clause
   * @return the clauses it checks, in the document's order
   */
  public static Set<Clause> checkedBy(Check check) {
    Set<Clause> clauses = EnumSet.noneOf(Clause.class);
    for (Clause clause : values()) {
      if (clause.checks.contains(check)) {
        clauses.add(clause);
      }
    }
    return clauses;
  }

  /**
   * @param displayName a test's display name: {@code "K5 — ..."} names K5, {@code "Q1–Q5 — ..."}
   *     names Q1 to Q5
   * @return the clauses it names, empty if it names none
   */
  public static Set<Clause> namedBy(String displayName) {
    int dash = displayName.indexOf(" — ");
    Set<Clause> clauses = EnumSet.noneOf(Clause.class);
    if (dash < 0) {
      return clauses;
    }
    String[] range = displayName.substring(0, dash).split("–");
    try {
      Clause first = valueOf(range[0]);
      Clause last = valueOf(range[range.length - 1]);
      for (Clause clause : values()) {
        if (clause.ordinal() >= first.ordinal() && clause.ordinal() <= last.ordinal()) {
          clauses.add(clause);
        }
      }
    } catch (IllegalArgumentException notAClause) {
      clauses.clear();
    }
    return clauses;
  }

  /**
   * @param displayNames tests' display names
   * @return the clauses that any of them names
   */
  public static Set<Clause> namedByAny(Collection<String> displayNames) {
    Set<Clause> clauses = EnumSet.noneOf(Clause.class);
    for (String displayName : displayNames) {
      clauses.addAll(namedBy(displayName));
    }
    return clauses;
  }

  /**
   * @param displayName a test's display name
   * @return whether it names this clause first ({@code "K5 — ..."} or {@code "K5–K7 — ..."})
   */
  public boolean isNamedBy(String displayName) {
    return displayName.startsWith(name() + " ") || displayName.startsWith(name() + "–")
        || displayName.startsWith(name() + ",");
  }
}
