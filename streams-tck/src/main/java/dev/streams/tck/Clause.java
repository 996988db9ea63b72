package dev.streams.tck;

import java.util.EnumSet;
import java.util.Set;

/**
 * The clauses of docs/CONTRACT.md that the TCK checks; each has at least one test whose display name starts
 * with its id (the TCK's own tests make sure of it).
 */
public enum Clause {
  D1("an item is a JSON object addressed by (groupId, id)"),
  D2("valid names"),
  D3("invalid input fails before any I/O"),
  D4("the stored document carries the id"),
  D5("exact round trip"),
  D6("one nesting limit and one size limit"),
  K1("data key layout"),
  K2("stored bytes"),
  K3("event channels"),
  K4("no other keys"),
  K5("group enumeration with escaped patterns"),
  K6("the raw view shows the layout"),
  K7("foreign data fails reads"),
  O1("set"),
  O2("set events, atomic create/update"),
  O3("get"),
  O4("delete"),
  O5("getGroup"),
  O6("query"),
  O7("clear"),
  O8("send"),
  O9("subscribe and unsubscribe"),
  O10("thread safety and close"),
  E1("wire format"),
  E2("exactly once across instances"),
  E3("order, one at a time, off the writer's thread"),
  E4("a throwing handler"),
  E5("a slow handler"),
  E6("garbage on a channel"),
  E8("events shared by the databases of one store"),
  Q1("where"),
  Q2("JSON equality"),
  Q3("default and explicit order"),
  Q4("order of values"),
  Q5("offset and limit"),
  C3("invalid options and secrets"),
  S1("the provider is registered for ServiceLoader under its name"),
  S2("opening without a name: the one backend, or a message saying what to add or how to choose"),
  S3("naming an absent backend lists those present");

  private final String title;

  Clause(String title) {
    this.title = title;
  }

  /** @return a short title of the clause */
  public String title() {
    return title;
  }

  /**
   * @param displayName a TCK test's display name: {@code "K5 — ..."} names K5, {@code "Q1–Q5 — ..."}
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
   * @param displayName a TCK test's display name
   * @return whether it names this clause first ({@code "K5 — ..."} or {@code "K5–K7 — ..."})
   */
  public boolean isNamedBy(String displayName) {
    return displayName.startsWith(name() + " ") || displayName.startsWith(name() + "–")
        || displayName.startsWith(name() + ",");
  }
}
