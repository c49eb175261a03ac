package io.rowseal.rewrap;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One failure found by a {@link VerifyJob}: where (table, column, row id), under which key reference,
 * and what kind. Never holds a value, ciphertext, wrapped key or key bytes. For failures of the row's
 * data key itself the column is the companion column. Immutable.
 */
public final class VerifyFailure {
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
    INVALID_ROW_ID
  }

  private final String table;
  private final String column;
  private final String rowId;
  private final @Nullable String keyRef;
  private final Kind kind;

  VerifyFailure(String table, String column, String rowId, @Nullable String keyRef, Kind kind) {
    this.table = Objects.requireNonNull(table);
    this.column = Objects.requireNonNull(column);
    this.rowId = Objects.requireNonNull(rowId);
    this.keyRef = keyRef;
    this.kind = Objects.requireNonNull(kind);
  }

  public String table() {
    return table;
  }

  /** The encrypted column, or the companion column when the row's data key could not be opened. */
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

  /** For example {@code cards.card_number row 42 (key local:k1): VALUE_AUTHENTICATION_FAILED}. */
  @Override
  public String toString() {
    return table + "." + column + " row " + rowId + " (key " + (keyRef == null ? "none" : keyRef) + "): " + kind;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifyFailure f && f.table.equals(table) && f.column.equals(column)
        && f.rowId.equals(rowId) && Objects.equals(f.keyRef, keyRef) && f.kind == kind;
  }

  @Override
  public int hashCode() {
    return Objects.hash(table, column, rowId, keyRef, kind);
  }
}
