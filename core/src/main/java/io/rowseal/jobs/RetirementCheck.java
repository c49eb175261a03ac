package io.rowseal.jobs;

import io.rowseal.key.KeyRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a {@link KeyRetirement}: rows per table still wrapped by the key, rows whose companion
 * cannot be read (they might be), whether the KEK table was checked, whether the key is the active one,
 * and whether it was retired. {@link #isSafe()} only when nothing may need the key. Immutable.
 */
public final class RetirementCheck {
  private final KeyRef key;
  private final Map<String, Long> rowsByTable;
  private final Map<String, Long> unreadableByTable;
  private final boolean kekTableChecked;
  private final boolean active;
  private final List<String> problems;
  private final boolean retired;

  RetirementCheck(KeyRef key, Map<String, Long> rowsByTable, Map<String, Long> unreadableByTable, boolean kekTableChecked,
      boolean active, List<String> problems, boolean retired) {
    this.key = key;
    this.rowsByTable = Collections.unmodifiableMap(new LinkedHashMap<>(rowsByTable));
    this.unreadableByTable = Collections.unmodifiableMap(new LinkedHashMap<>(unreadableByTable));
    this.kekTableChecked = kekTableChecked;
    this.active = active;
    this.problems = List.copyOf(problems);
    this.retired = retired;
  }

  public KeyRef key() {
    return key;
  }

  /** Rows wrapped by the key, per checked table (zero included), the KEK table last when it exists. */
  public Map<String, Long> rowsByTable() {
    return rowsByTable;
  }

  /** Rows whose companion is not a readable wrapped key, per table (only tables that have any). */
  public Map<String, Long> unreadableByTable() {
    return unreadableByTable;
  }

  /** Whether a KEK table existed and was counted. */
  public boolean kekTableChecked() {
    return kekTableChecked;
  }

  /** Whether the key is the active key (which is never retired). */
  public boolean isActive() {
    return active;
  }

  /** Rows that still need the key, over every table. */
  public long rowsInUse() {
    return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Whether nothing may need the key: no row on it, no unreadable row, not active, no table left unchecked. */
  public boolean isSafe() {
    return !active && rowsInUse() == 0 && unreadableByTable.isEmpty() && problems.isEmpty();
  }

  /** Whether the key's entry was deleted. */
  public boolean isRetired() {
    return retired;
  }

  /** Why the key may not go, one line each (empty when {@link #isSafe()}). */
  public List<String> reasons() {
    List<String> reasons = new ArrayList<>();
    if (active) {
      reasons.add(key + " is the active key: activate another key first");
    }
    rowsByTable.forEach((table, rows) -> {
      if (rows > 0) {
        reasons.add(table + ": " + rows + " rows wrapped by " + key + " (run rewrap)");
      }
    });
    unreadableByTable.forEach((table, rows) ->
        reasons.add(table + ": " + rows + " rows with an unreadable companion (might be wrapped by " + key + "; run verify)"));
    reasons.addAll(problems);
    return reasons;
  }

  RetirementCheck retired() {
    return new RetirementCheck(key, rowsByTable, unreadableByTable, kekTableChecked, active, problems, true);
  }

  @Override
  public String toString() {
    return "RetirementCheck[" + key + ", rowsInUse=" + rowsInUse() + ", safe=" + isSafe() + ", retired=" + retired + "]";
  }
}
