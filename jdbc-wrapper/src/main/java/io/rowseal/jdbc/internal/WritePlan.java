package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An INSERT into, or an UPDATE of encrypted columns of, an encrypted table. The rewritten SQL has one
 * parameter per {@link Slot}; each execution binds the application's values, ciphertext sealed under
 * each row's data key, and each row's companion column.
 */
final class WritePlan extends StatementPlan {
  /** How a row's data key is obtained. */
  enum KeyMode {
    /** A fresh data key per row: inserts, and updates that set every encrypted column. */
    FRESH,
    /** The row's own data key, read under a row lock, then re-wrapped under the active key if older. */
    EXISTING
  }

  private final String sql;
  private final EncryptedTable table;
  private final KeyMode keyMode;
  private final List<Slot> slots;
  /** The same, as arrays for the per-row binding loop (no interface calls on a List per parameter). */
  private final Slot[] slotArray;
  private final List<RowIdSource> rows;
  private final RowIdSource[] rowArray;
  private final int userParameters;
  private final @Nullable String lockSql;
  private final boolean insert;
  private final List<EncryptedColumn> adoptColumns;
  private final @Nullable String adoptSql;

  WritePlan(String sql, EncryptedTable table, boolean insert, KeyMode keyMode, List<Slot> slots,
      List<RowIdSource> rows, int userParameters, @Nullable String lockSql) {
    this(sql, table, insert, keyMode, slots, rows, userParameters, lockSql, List.of(), null);
  }

  WritePlan(String sql, EncryptedTable table, boolean insert, KeyMode keyMode, List<Slot> slots,
      List<RowIdSource> rows, int userParameters, @Nullable String lockSql, List<EncryptedColumn> adoptColumns,
      @Nullable String adoptSql) {
    this.adoptColumns = List.copyOf(adoptColumns);
    this.adoptSql = adoptSql;
    this.sql = sql;
    this.table = table;
    this.insert = insert;
    this.keyMode = keyMode;
    this.slots = List.copyOf(slots);
    this.slotArray = this.slots.toArray(new Slot[0]);
    this.rows = List.copyOf(rows);
    this.rowArray = this.rows.toArray(new RowIdSource[0]);
    this.userParameters = userParameters;
    this.lockSql = lockSql;
  }

  @Override
  String sql() {
    return sql;
  }

  @Override
  boolean bindsValues() {
    return true;
  }

  EncryptedTable table() {
    return table;
  }

  boolean isInsert() {
    return insert;
  }

  KeyMode keyMode() {
    return keyMode;
  }

  /** The rewritten statement's parameters, in order (slot i is parameter i + 1). */
  List<Slot> slots() {
    return slots;
  }

  /** {@link #slots()} as an array owned by the plan: callers must not modify it. */
  Slot[] slotArray() {
    return slotArray;
  }

  /** {@link #rows()} as an array owned by the plan: callers must not modify it. */
  RowIdSource[] rowArray() {
    return rowArray;
  }

  /** For each row the statement writes (several for a multi-row VALUES), where its id comes from. */
  List<RowIdSource> rows() {
    return rows;
  }

  /** How many {@code ?} the application's SQL text has. */
  int userParameters() {
    return userParameters;
  }

  /**
   * For {@link KeyMode#EXISTING}: {@code SELECT companion FROM table WHERE id = ? ... FOR UPDATE}; on a table
   * adopting plaintext it also selects {@link #adoptColumns()}, after the companion.
   */
  @Nullable String lockSql() {
    return lockSql;
  }

  /**
   * {@link #lockSql()} without its {@code FOR UPDATE}: the same read without a lock, so the row's data key
   * can be opened (a KMS call, perhaps) before the lock is taken.
   */
  @Nullable String peekSql() {
    String suffix = " FOR UPDATE";
    if (lockSql == null || !lockSql.endsWith(suffix)) {
      return null;
    }
    return lockSql.substring(0, lockSql.length() - suffix.length());
  }

  /**
   * On a table adopting plaintext, for {@link KeyMode#EXISTING}: the encrypted columns the statement does
   * not set, which a still-plaintext row must have encrypted before the statement runs. Empty otherwise.
   */
  List<EncryptedColumn> adoptColumns() {
    return adoptColumns;
  }

  /**
   * With {@link #adoptColumns()}: {@code UPDATE table SET a = ?, b = ?, companion = ? WHERE id = ? ... AND
   * companion IS NULL}, parameters in that order.
   */
  @Nullable String adoptSql() {
    return adoptSql;
  }
}
