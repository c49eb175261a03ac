package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import org.jspecify.annotations.Nullable;

/**
 * What one parameter of a rewritten write statement is bound to: a parameter the application set,
 * possibly encrypted for a column, a literal that was lifted out of the SQL text to be encrypted, or a
 * row's companion column.
 */
final class Slot {
  enum Kind { USER, ENCRYPTED_USER, ENCRYPTED_CONSTANT, COMPANION, INDEX_USER, INDEX_CONSTANT }

  final Kind kind;
  /** 1-based index of the application's parameter, for USER and ENCRYPTED_USER. */
  final int userIndex;
  /** The row of a multi-row VALUES list this slot belongs to (0 for an UPDATE). */
  final int row;
  final @Nullable EncryptedColumn column;
  final @Nullable Object constant;
  /** For INDEX slots: the physical index column this value is written into or compared with. */
  final @Nullable String indexColumn;
  /** For INDEX slots: every physical index column the statement writes for the column (its shape when planned). */
  final java.util.List<String> indexColumns;
  /** For INDEX slots: a lookup (match the looked-up version) rather than a write (the written version). */
  final boolean lookup;

  private Slot(Kind kind, int userIndex, int row, @Nullable EncryptedColumn column, @Nullable Object constant) {
    this(kind, userIndex, row, column, constant, null, java.util.List.of(), false);
  }

  private Slot(Kind kind, int userIndex, int row, @Nullable EncryptedColumn column, @Nullable Object constant,
      @Nullable String indexColumn, java.util.List<String> indexColumns, boolean lookup) {
    this.indexColumn = indexColumn;
    this.indexColumns = java.util.List.copyOf(indexColumns);
    this.lookup = lookup;
    this.kind = kind;
    this.userIndex = userIndex;
    this.row = row;
    this.column = column;
    this.constant = constant;
  }

  static Slot user(int userIndex) {
    return new Slot(Kind.USER, userIndex, 0, null, null);
  }

  static Slot encryptedUser(int userIndex, EncryptedColumn column, int row) {
    return new Slot(Kind.ENCRYPTED_USER, userIndex, row, column, null);
  }

  static Slot encryptedConstant(@Nullable Object value, EncryptedColumn column, int row) {
    return new Slot(Kind.ENCRYPTED_CONSTANT, 0, row, column, value);
  }

  /**
   * The blind-index value of the application's parameter {@code userIndex} (or, with {@code userIndex} 0, of
   * {@code constant}) for {@code indexColumn}.
   */
  static Slot index(int userIndex, @Nullable Object constant, EncryptedColumn column, String indexColumn,
      java.util.List<String> indexColumns, boolean lookup, int row) {
    return new Slot(userIndex > 0 ? Kind.INDEX_USER : Kind.INDEX_CONSTANT, userIndex, row, column, constant,
        indexColumn, indexColumns, lookup);
  }

  static Slot companion(int row) {
    return new Slot(Kind.COMPANION, 0, row, null, null);
  }
}
