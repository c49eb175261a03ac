package io.rowseal.search;

import io.rowseal.EncryptedColumn;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a writer and a lookup of one searchable column do now, from the index-key state at one moment:
 * every physical index column in use, the version (if any) each one is written with, and the versions
 * a lookup must match. Writers set every column in {@link #physicalColumns()}: those with a write
 * version get the index value, the others NULL (never left stale). Immutable; obtained from
 * {@link IndexKeyStore#view}.
 */
public final class IndexView {
  private final IndexKeyStore store;
  private final EncryptedColumn column;
  private final List<IndexKeyVersion> versions;
  private final List<String> physicalColumns;

  IndexView(IndexKeyStore store, EncryptedColumn column, List<IndexKeyVersion> versions) {
    this.store = store;
    this.column = column;
    this.versions = List.copyOf(versions);
    List<String> physical = new ArrayList<>();
    physical.add(column.searchIndex().column());
    for (IndexKeyVersion v : versions) {
      if (physical.stream().noneMatch(p -> p.equalsIgnoreCase(v.physicalColumn()))) {
        physical.add(v.physicalColumn());
      }
    }
    this.physicalColumns = List.copyOf(physical);
  }

  public EncryptedColumn column() {
    return column;
  }

  /** Every version recorded for the column (retired ones included), oldest first. */
  public List<IndexKeyVersion> versions() {
    return versions;
  }

  /**
   * The physical index columns writers set (the index column, and the rotation column once a rotation has
   * used it), in that order. A change of this list changes the SQL RowSeal renders.
   */
  public List<String> physicalColumns() {
    return physicalColumns;
  }

  /** The version written into {@code physicalColumn}, or null if writers set it to NULL. */
  public @Nullable IndexKeyVersion writeVersion(String physicalColumn) {
    return find(physicalColumn, true);
  }

  /** The version a lookup matches in {@code physicalColumn}, or null if the column is not looked up. */
  public @Nullable IndexKeyVersion lookupVersion(String physicalColumn) {
    return find(physicalColumn, false);
  }

  private @Nullable IndexKeyVersion find(String physicalColumn, boolean write) {
    for (IndexKeyVersion v : versions) {
      if (v.physicalColumn().equalsIgnoreCase(physicalColumn)
          && (v.state() == IndexKeyVersion.State.ACTIVE || (!write && v.state() == IndexKeyVersion.State.READ_ONLY))) {
        return v;
      }
    }
    return null;
  }

  /**
   * The index value of {@code value} (of the column's Java type, not null) under {@code version}.
   *
   * @throws io.rowseal.errors.KeyUnavailableException if the version's key cannot be unwrapped
   */
  public byte[] compute(IndexKeyVersion version, Object value) {
    return store.compute(column, version, BlindIndex.normalisedEncoding(column, value));
  }

  /** The value written into {@code physicalColumn} for {@code value}: its index value, or null. */
  public byte @Nullable [] writeValue(String physicalColumn, @Nullable Object value) {
    IndexKeyVersion v = writeVersion(physicalColumn);
    return v == null || value == null ? null : compute(v, value);
  }

  /** The value a lookup of {@code value} compares {@code physicalColumn} with, or null (matches nothing). */
  public byte @Nullable [] lookupValue(String physicalColumn, @Nullable Object value) {
    IndexKeyVersion v = lookupVersion(physicalColumn);
    return v == null || value == null ? null : compute(v, value);
  }

  @Override
  public String toString() {
    return "IndexView[" + column.table().name() + "." + column.name() + ", " + versions + "]";
  }
}
