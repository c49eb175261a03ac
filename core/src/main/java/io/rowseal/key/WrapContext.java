package io.rowseal.key;

import io.rowseal.internal.EncodedRowId;
import java.util.Objects;

/**
 * Where a data key belongs: the logical table name and, for a row-bound key, the row id. A master key
 * binds its wrap to this context (AAD or KMS encryption context) so a wrapped key moved to another table
 * or row, or with its row-bound flag flipped, fails to unwrap. Immutable; contains no secrets.
 */
public final class WrapContext {
  private final String table;
  private final EncodedRowId rowId;
  private final boolean rowBound;

  private WrapContext(String table, EncodedRowId rowId, boolean rowBound) {
    this.table = Objects.requireNonNull(table, "table");
    this.rowId = Objects.requireNonNull(rowId, "rowId");
    this.rowBound = rowBound;
  }

  /** A key bound to one row of {@code table}; {@code rowId} is the canonical row id. */
  public static WrapContext rowBound(String table, String rowId) {
    return rowBound(table, EncodedRowId.of(rowId));
  }

  /**
   * As {@link #rowBound(String, String)}, with the row id already encoded (RowSeal's own callers: a row
   * encodes its id once for the wrap and its values).
   */
  public static WrapContext rowBound(String table, EncodedRowId rowId) {
    if (rowId.isEmpty()) {
      throw new IllegalArgumentException("a row-bound key needs a non-empty row id (an empty one has the same AAD as"
          + " an unbound row's)");
    }
    return new WrapContext(table, rowId, true);
  }

  /** A key of a row whose id was not known when it was written; its row id is the empty string. */
  public static WrapContext unbound(String table) {
    return new WrapContext(table, EncodedRowId.of(""), false);
  }

  public String table() {
    return table;
  }

  /** The canonical row id, or {@code ""} when not row-bound. */
  public String rowId() {
    return rowId.value();
  }

  /** {@code ctx(rowId)}, for the in-process master keys of this package (read only). */
  byte[] rowIdContext() {
    return rowId.ctx();
  }

  public boolean isRowBound() {
    return rowBound;
  }

  @Override
  public String toString() {
    return "WrapContext[table=" + table + (rowBound ? ", row=" + rowId.value() : ", unbound") + "]";
  }
}
