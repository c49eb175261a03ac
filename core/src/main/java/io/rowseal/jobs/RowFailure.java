package io.rowseal.jobs;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row a key job could not process: where (table, column, row id), under which key reference, what
 * kind, and RowSeal's own explanation. Never holds a value, ciphertext, wrapped key or key bytes: the
 * detail is a RowSeal exception message (which names places and keys only), never a driver's. For
 * failures of the row's data key itself the column is the companion column. Immutable.
 */
public final class RowFailure {
  /** What went wrong with a row. */
  public enum Kind {
    /** The row has a non-NULL encrypted value but a NULL companion column. */
    MISSING_COMPANION,
    /** The companion column is not a readable wrapped data key (bad header, unknown format version). */
    UNREADABLE_COMPANION,
    /** The key ring has no key with the companion's key reference, or the key cannot be reached. */
    KEY_UNAVAILABLE,
    /** The wrapped data key failed authentication for this table and row (altered, or moved from another row). */
    COMPANION_AUTHENTICATION_FAILED,
    /** A value failed authentication under the row's data key (altered, moved, or from another row). */
    VALUE_AUTHENTICATION_FAILED,
    /** A value is not in a RowSeal value format (bad header, bad Base64, unknown version). */
    VALUE_INVALID_FORMAT,
    /** A value decrypts but was written as another type than the column's. */
    VALUE_TYPE_MISMATCH,
    /** The primary key cannot be rendered as a row id (an unsupported key type). */
    INVALID_ROW_ID,
    /** A plaintext value being adopted is not of the column's type, or already looks like ciphertext. */
    PLAINTEXT_NOT_ADOPTABLE,
    /** A value's encrypted text form is wider than its column. */
    VALUE_TOO_WIDE
  }

  private final String table;
  private final String column;
  private final String rowId;
  private final @Nullable String keyRef;
  private final Kind kind;
  private final @Nullable String detail;

  private RowFailure(String table, String column, String rowId, @Nullable String keyRef, Kind kind,
      @Nullable String detail) {
    this.table = Objects.requireNonNull(table, "table");
    this.column = Objects.requireNonNull(column, "column");
    this.rowId = Objects.requireNonNull(rowId, "rowId");
    this.keyRef = keyRef;
    this.kind = Objects.requireNonNull(kind, "kind");
    this.detail = detail;
  }

  /** A failure without further explanation than its kind. */
  RowFailure(String table, String column, String rowId, @Nullable String keyRef, Kind kind) {
    this(table, column, rowId, keyRef, kind, null);
  }

  /**
   * A failure; {@code detail} must come from RowSeal (an exception message of its own, which names
   * tables, columns, rows and keys only), never from a driver or a value.
   */
  public static RowFailure of(String table, String column, String rowId, @Nullable String keyRef, Kind kind,
      @Nullable String detail) {
    return new RowFailure(table, column, rowId, keyRef, kind, detail);
  }

  public String table() {
    return table;
  }

  /** The column concerned, or the companion column when the row's data key could not be opened. */
  public String column() {
    return column;
  }

  /** The row id as rendered in wraps and AADs (a composite key as hex), or the raw key if it cannot be. */
  public String rowId() {
    return rowId;
  }

  /** The key reference in the companion, or null when there is none or it cannot be read. */
  public @Nullable String keyRef() {
    return keyRef;
  }

  public Kind kind() {
    return kind;
  }

  /** RowSeal's explanation and the way out, or null when the kind says it all. */
  public @Nullable String detail() {
    return detail;
  }

  /** For example {@code cards.card_number row 42 (key local:k1): VALUE_AUTHENTICATION_FAILED}. */
  @Override
  public String toString() {
    return table + "." + column + " row " + rowId + " (key " + (keyRef == null ? "none" : keyRef) + "): " + kind
        + (detail == null ? "" : ": " + detail);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RowFailure f && f.table.equals(table) && f.column.equals(column)
        && f.rowId.equals(rowId) && Objects.equals(f.keyRef, keyRef) && f.kind == kind
        && Objects.equals(f.detail, detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(table, column, rowId, keyRef, kind, detail);
  }
}
