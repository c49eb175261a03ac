package io.rowseal.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RowAction} decided for one row: nothing to do, a write (new values for some of the
 * columns it read, written by the engine with a compare-and-set), or failures (the row stays as it is and
 * is listed in the report). Also carries how many column values the action handled (decrypted,
 * encrypted), for the report. Immutable; never printed with its values.
 */
public final class RowOutcome {
  enum Kind { UNCHANGED, WRITE, FAILED }

  private final Kind kind;
  private final Map<String, @Nullable Object> writes;
  private final List<RowFailure> failures;
  private final int values;

  private RowOutcome(Kind kind, Map<String, @Nullable Object> writes, List<RowFailure> failures, int values) {
    if (values < 0) {
      throw new IllegalArgumentException("values must not be negative, was " + values);
    }
    this.kind = kind;
    this.writes = writes;
    this.failures = failures;
    this.values = values;
  }

  /** The row needs nothing (already under the target key, or verified); {@code values} handled. */
  public static RowOutcome unchanged(int values) {
    return new RowOutcome(Kind.UNCHANGED, Map.of(), List.of(), values);
  }

  /**
   * Write these columns (each one the action reads; a value is a {@code byte[]} for a binary column, a
   * {@code String} for a text column, or null for SQL NULL); {@code values} handled.
   */
  public static RowOutcome write(Map<String, ? extends @Nullable Object> columns, int values) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("a write needs at least one column");
    }
    return new RowOutcome(Kind.WRITE, new LinkedHashMap<>(columns), List.of(), values);
  }

  /** The row cannot be processed; it is left as it is. At least one failure. */
  public static RowOutcome failed(List<RowFailure> failures, int values) {
    if (failures.isEmpty()) {
      throw new IllegalArgumentException("a failed outcome needs at least one failure");
    }
    return new RowOutcome(Kind.FAILED, Map.of(), List.copyOf(failures), values);
  }

  /** The row cannot be processed, for one reason. */
  public static RowOutcome failed(RowFailure failure) {
    return failed(List.of(Objects.requireNonNull(failure, "failure")), 0);
  }

  Kind kind() {
    return kind;
  }

  Map<String, @Nullable Object> writes() {
    return writes;
  }

  List<RowFailure> failures() {
    return failures;
  }

  int values() {
    return values;
  }

  @Override
  public String toString() {
    return "RowOutcome[" + kind + (kind == Kind.WRITE ? " " + writes.keySet() : "") + "]";
  }
}
