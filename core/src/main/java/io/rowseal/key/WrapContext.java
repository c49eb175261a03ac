package io.rowseal.key;

import java.util.Objects;

/**
 * Where a data key belongs: the logical table name and, for a row-bound key, the row id. A master key
 * binds its wrap to this context (AAD or KMS encryption context) so a wrapped key moved to another table
 * or row, or with its row-bound flag flipped, fails to unwrap. Immutable; contains no secrets.
 */
public final class WrapContext {
  private final String table;
  private final String rowId;
  private final boolean rowBound;

  private WrapContext(String table, String rowId, boolean rowBound) {
    this.table = Objects.requireNonNull(table, "table");
    this.rowId = Objects.requireNonNull(rowId, "rowId");
    this.rowBound = rowBound;
  }

  /** A key bound to one row of {@code table}; {@code rowId} is the canonical row id. */
  public static WrapContext rowBound(String table, String rowId) {
    if (rowId.isEmpty()) {
      throw new IllegalArgumentException("a row-bound key needs a non-empty row id (an empty one has the same AAD as"
          + " an unbound row's)");
    }
    return new WrapContext(table, rowId, true);
  }

  /** A key of a row whose id was not known when it was written; its row id is the empty string. */
  public static WrapContext unbound(String table) {
    return new WrapContext(table, "", false);
  }

  public String table() {
    return table;
  }

  /** The canonical row id, or {@code ""} when not row-bound. */
  public String rowId() {
    return rowId;
  }

  public boolean isRowBound() {
    return rowBound;
  }

  @Override
  public String toString() {
    return "WrapContext[table=" + table + (rowBound ? ", row=" + rowId : ", unbound") + "]";
  }
}
