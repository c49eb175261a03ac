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
  /** The same, as an array for the per-row binding loop (no interface calls on a List per parameter). */
  private final Slot[] slotArray;
  /**
   * The same again, packed for the per-row loop ({@link #op}): a row's binding reads one small array and the
   * encrypted slots' columns instead of a {@link Slot} object, its kind and the enum switch's table per parameter.
   */
  private final long[] slotOps;
  private final @Nullable EncryptedColumn[] slotColumns;
  private final List<RowIdSource> rows;
  private final RowIdSource[] rowArray;
  private final int userParameters;
  private final @Nullable String lockSql;
  private final boolean insert;
  private final List<EncryptedColumn> adoptColumns;
  private final @Nullable String adoptSql;
  /** For an UPDATE: how many slots the SET part has (the WHERE's follow); -1 for an INSERT. */
  private final int setSlots;
  private final List<SelectPlan.Filter> filters;

  WritePlan(String sql, EncryptedTable table, boolean insert, KeyMode keyMode, List<Slot> slots,
      List<RowIdSource> rows, int userParameters, @Nullable String lockSql) {
    this(sql, table, insert, keyMode, slots, rows, userParameters, lockSql, List.of(), null);
  }

  WritePlan(String sql, EncryptedTable table, boolean insert, KeyMode keyMode, List<Slot> slots,
      List<RowIdSource> rows, int userParameters, @Nullable String lockSql, List<EncryptedColumn> adoptColumns,
      @Nullable String adoptSql) {
    this(sql, table, insert, keyMode, slots, rows, userParameters, lockSql, adoptColumns, adoptSql, -1, List.of());
  }

  private WritePlan(String sql, EncryptedTable table, boolean insert, KeyMode keyMode, List<Slot> slots,
      List<RowIdSource> rows, int userParameters, @Nullable String lockSql, List<EncryptedColumn> adoptColumns,
      @Nullable String adoptSql, int setSlots, List<SelectPlan.Filter> filters) {
    this.setSlots = setSlots;
    this.filters = List.copyOf(filters);
    this.adoptColumns = List.copyOf(adoptColumns);
    this.adoptSql = adoptSql;
    this.sql = sql;
    this.table = table;
    this.insert = insert;
    this.keyMode = keyMode;
    this.slots = List.copyOf(slots);
    this.slotArray = this.slots.toArray(new Slot[0]);
    this.slotOps = new long[slotArray.length];
    this.slotColumns = new EncryptedColumn[slotArray.length];
    for (int i = 0; i < slotArray.length; i++) {
      Slot s = slotArray[i];
      slotOps[i] = op(s);
      slotColumns[i] = s.column;
    }
    this.rows = List.copyOf(rows);
    this.rowArray = this.rows.toArray(new RowIdSource[0]);
    this.userParameters = userParameters;
    this.lockSql = lockSql;
  }

  /**
   * This UPDATE plan, knowing that its first {@code setSlots} slots are its SET part's, and that a row is
   * updated only if its decrypted values match {@code filters} (a lookup by a truncated index in its WHERE;
   * each filter's column is its position in the {@link #lockSql()} result).
   */
  WritePlan updating(int setSlots, List<SelectPlan.Filter> filters) {
    return new WritePlan(sql, table, insert, keyMode, slots, rows, userParameters, lockSql, adoptColumns, adoptSql,
        setSlots, filters);
  }

  /**
   * This UPDATE plan with its WHERE's parameters, RowSeal's index lookups among them, as {@code whereSlots} (in
   * text order) in place of the application's parameters the planner placed after its SET part.
   *
   * @throws io.rowseal.errors.UnsupportedStatementException if the application's parameters after the SET part
   *     are not exactly those of the WHERE (a parameter after it, in RETURNING say)
   */
  WritePlan withWhereSlots(List<Slot> whereSlots) {
    if (insert || setSlots < 0) {
      throw Rejections.of(table, "an INSERT has no WHERE; RowSeal cannot place an index lookup in it");
    }
    java.util.Set<Integer> lookedUp = new java.util.HashSet<>();
    List<Integer> inWhere = new java.util.ArrayList<>();
    for (Slot s : whereSlots) {
      if (s.kind == Slot.Kind.USER) {
        inWhere.add(s.userIndex);
      } else if (s.kind == Slot.Kind.INDEX_USER) {
        lookedUp.add(s.userIndex); // the application's value looked up: RowSeal binds its blind index instead
      }
    }
    List<Integer> planned = new java.util.ArrayList<>();
    for (Slot s : slots.subList(setSlots, slots.size())) {
      if (s.kind != Slot.Kind.USER || !lookedUp.contains(s.userIndex)) {
        planned.add(s.kind == Slot.Kind.USER ? s.userIndex : -1);
      }
    }
    if (!planned.equals(inWhere)) {
      throw Rejections.of(table, "RowSeal cannot place the parameters of this UPDATE around its index lookup (a"
          + " parameter after the WHERE); bind values only in SET and WHERE");
    }
    List<Slot> all = new java.util.ArrayList<>(slots.subList(0, setSlots));
    all.addAll(whereSlots);
    return new WritePlan(sql, table, insert, keyMode, all, rows, userParameters, lockSql, adoptColumns, adoptSql,
        setSlots, filters);
  }

  /**
   * For an UPDATE by a truncated index: the filters a locked row's decrypted values must pass for it to be
   * updated, each with its column in the {@link #lockSql()} result. Empty otherwise.
   */
  List<SelectPlan.Filter> filters() {
    return filters;
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

  /** A packed slot's kind, one of the {@code OP_*} codes. */
  static int opKind(long op) {
    return (int) op & 0xff;
  }

  /** A packed slot's 1-based application parameter (USER, ENCRYPTED_USER, INDEX_USER), else 0. */
  static int opUserIndex(long op) {
    return (int) (op >>> 32);
  }

  /** A packed slot's row of a multi-row VALUES list. */
  static int opRow(long op) {
    return (int) (op >>> 8) & 0xff_ffff;
  }

  /** {@link Slot.Kind#USER}. */
  static final int OP_USER = 0;
  /** {@link Slot.Kind#ENCRYPTED_USER}. */
  static final int OP_ENCRYPTED_USER = 1;
  /** {@link Slot.Kind#COMPANION}. */
  static final int OP_COMPANION = 2;
  /** Every other kind (a literal to encrypt, a blind index): bound from the {@link Slot} itself. */
  static final int OP_OTHER = 3;

  private static long op(Slot s) {
    int kind = switch (s.kind) {
      case USER -> OP_USER;
      case ENCRYPTED_USER -> OP_ENCRYPTED_USER;
      case COMPANION -> OP_COMPANION;
      default -> OP_OTHER;
    };
    if (s.row > 0xff_ffff) {
      throw new IllegalArgumentException("more than 16M rows in one VALUES list");
    }
    return (long) s.userIndex << 32 | (long) s.row << 8 | kind;
  }

  /** Per slot, packed: kind, row and application parameter ({@link #opKind}, {@link #opRow}, {@link #opUserIndex}). */
  long[] slotOps() {
    return slotOps;
  }

  /** Per slot, the encrypted column it is for, or null. */
  @Nullable EncryptedColumn[] slotColumns() {
    return slotColumns;
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
