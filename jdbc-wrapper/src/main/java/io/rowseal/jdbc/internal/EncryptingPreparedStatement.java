package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.PlaintextAdoption;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.search.BlindIndex;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/*
 * The application's parameters are kept (value and a binder for the driver) until the row is complete:
 * execute() or addBatch(). Then the row's data key is made (or, for an update of some encrypted
 * columns, read under a row lock and re-wrapped under the active key), every encrypted parameter of the
 * row is sealed, and only then are the rewritten statement's parameters bound in slot order. Nothing is
 * sent to the driver before that, so an encrypted column's plaintext never reaches it, even for a moment,
 * and a row that fails to seal leaves none of its parameters bound there.
 *
 * Updates that need the row's existing data key read it with SELECT ... FOR UPDATE; in auto-commit
 * mode the read and the update run in a local transaction, so a concurrent writer cannot slip a new
 * data key in between. Batches of such updates are collected and run that way at executeBatch().
 *
 * No row lock is held across a KMS call: the companion is first read without a lock and its data key
 * opened (and re-wrapped under the active key) then; under the lock the companion is read again and the
 * prepared key used only if it is byte for byte the same. If it changed (a re-wrap job or another writer
 * got in between), a local transaction is rolled back, releasing the lock, and the whole read-open-lock
 * runs again, at most MAX_ATTEMPTS times; in the application's own transaction the lock cannot be let
 * go, so the statement fails with SQLState 40001 (retry the transaction), as a serialization failure.
 */

/** A prepared INSERT, or UPDATE of encrypted columns, that encrypts its encrypted parameters per row. */
final class EncryptingPreparedStatement extends CollectingPreparedStatement {
  /** How often a local transaction reads, opens and locks again when the row's key changed in between. */
  static final int MAX_ATTEMPTS = 3;

  private final WritePlan plan;
  private final RowSeal rowSeal;
  private final EncryptedTable table;
  /** The keys of the row (or each row of a multi-row VALUES list) being bound; empty between binds. */
  private final RowKey[] rowKeys;
  /** Per slot, what RowSeal computed for the row being bound (ciphertext, companion, blind index); empty between. */
  private final Object[] computed;
  private final List<Parameters> pending = new ArrayList<>();
  private @Nullable PreparedStatement peek;
  private @Nullable PreparedStatement lock;
  private @Nullable PreparedStatement adoptStatement;

  EncryptingPreparedStatement(RowSealConnection connection, PreparedStatement delegate, WritePlan plan) {
    super(connection, delegate, plan, plan.userParameters(), plan.slots());
    this.plan = plan;
    this.rowSeal = connection.rowSeal();
    this.table = plan.table();
    this.rowKeys = new RowKey[plan.rowArray().length];
    this.computed = new Object[plan.slotOps().length];
  }

  // ---------------------------------------------------------------- execution

  @FunctionalInterface
  private interface Call<T> {
    T run() throws SQLException;
  }

  private <T> T runRow(Call<T> call, T whenRowMissing) throws SQLException {
    executedByDriver();
    if (plan.keyMode() == WritePlan.KeyMode.FRESH) {
      bind(params, null);
      return call.run();
    }
    Connection raw = connection.raw();
    boolean local = raw.getAutoCommit();
    if (local) {
      raw.setAutoCommit(false);
    }
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          RowKey key = lockAndOpen(params, local, attempt);
          T result = whenRowMissing;
          if (key != null) {
            bind(params, key);
            result = call.run();
          } else {
            answeredZeroRows();
          }
          if (local) {
            raw.commit();
          }
          return result;
        } catch (KeyChanged changed) {
          raw.rollback(); // local only: lets the row lock go before the key is opened again
        }
      }
    } catch (SQLException | RuntimeException e) {
      if (local) {
        rollbackKeeping(raw, e);
      }
      throw e;
    } finally {
      if (local) {
        raw.setAutoCommit(true);
      }
    }
  }

  @Override
  public int executeUpdate() throws SQLException {
    try {
      return runRow(delegate::executeUpdate, 0);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    try {
      return runRow(delegate::executeLargeUpdate, 0L);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean execute() throws SQLException {
    try {
      return runRow(delegate::execute, false);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    if (plan.keyMode() != WritePlan.KeyMode.FRESH) {
      throw new SQLException("executeQuery() on an UPDATE; use executeUpdate()", "S1009");
    }
    try {
      ResultSet rs = runRow(delegate::executeQuery, null);
      return rs == null ? null : results(rs);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void addBatch() throws SQLException {
    if (plan.keyMode() == WritePlan.KeyMode.FRESH) {
      try {
        bind(params, null);
      } catch (SQLException e) {
        throw failed(e);
      }
      delegate.addBatch();
    } else {
      pending.add(params.copy());
    }
  }

  @Override
  public void clearBatch() throws SQLException {
    pending.clear();
    delegate.clearBatch();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    try {
      if (plan.keyMode() == WritePlan.KeyMode.FRESH) {
        return delegate.executeBatch();
      }
      long[] large = executeLargeBatchExisting();
      int[] counts = new int[large.length];
      for (int i = 0; i < large.length; i++) {
        counts[i] = (int) large[i];
      }
      return counts;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    try {
      if (plan.keyMode() == WritePlan.KeyMode.FRESH) {
        return delegate.executeLargeBatch();
      }
      return executeLargeBatchExisting();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** A batch of updates that need each row's existing data key: locked, re-keyed and sent in one transaction. */
  private long[] executeLargeBatchExisting() throws SQLException {
    List<Parameters> rows = new ArrayList<>(pending);
    pending.clear();
    long[] counts = new long[rows.size()];
    if (rows.isEmpty()) {
      return counts;
    }
    Connection raw = connection.raw();
    boolean local = raw.getAutoCommit();
    if (local) {
      raw.setAutoCommit(false);
    }
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          List<Integer> sent = new ArrayList<>();
          for (int r = 0; r < rows.size(); r++) {
            Parameters p = rows.get(r);
            RowKey key = lockAndOpen(p, local, attempt);
            if (key != null) {
              bind(p, key);
              delegate.addBatch();
              sent.add(r);
            }
          }
          if (!sent.isEmpty()) {
            int[] result = delegate.executeBatch();
            for (int i = 0; i < sent.size() && i < result.length; i++) {
              counts[sent.get(i)] = result[i];
            }
          }
          if (local) {
            raw.commit();
          }
          return counts;
        } catch (KeyChanged changed) {
          delegate.clearBatch();
          raw.rollback(); // local only: lets the row locks go before the keys are opened again
        }
      }
    } catch (SQLException | RuntimeException e) {
      if (local) {
        rollbackKeeping(raw, e);
      }
      throw e;
    } finally {
      if (local) {
        raw.setAutoCommit(true);
      }
    }
  }

  /**
   * Binds one complete row (or multi-row VALUES list) to the driver's statement, in two passes: first RowSeal's
   * work for the whole row (the row's keys, every sealed value, companion and blind index, into {@link #computed}),
   * then every parameter handed to the driver, in slot order. Nothing of a row reaches the driver's statement
   * unless the whole row sealed: a value that cannot be sealed leaves no parameter of its row bound there.
   */
  private void bind(Parameters p, @Nullable RowKey existing) throws SQLException {
    long[] ops = plan.slotOps();
    Object[] values = computed;
    try {
      compute(p, existing, ops, values);
      EncryptedColumn[] columns = plan.slotColumns();
      PreparedStatement target = delegate;
      for (int i = 0; i < ops.length; i++) {
        long op = ops[i];
        int index = i + 1;
        switch (WritePlan.opKind(op)) {
          case WritePlan.OP_USER -> p.bind(target, index, WritePlan.opUserIndex(op));
          case WritePlan.OP_COMPANION -> target.setBytes(index, (byte[]) values[i]);
          case WritePlan.OP_ENCRYPTED_USER -> bindSealed(target, index, columns[i], values[i]);
          default -> bindOther(target, index, plan.slotArray()[i], values[i]);
        }
      }
    } finally {
      Arrays.fill(values, null);
    }
  }

  /** The first pass of {@link #bind}: the row's keys, and every value RowSeal computes, into {@code values}. */
  private void compute(Parameters p, @Nullable RowKey existing, long[] ops, Object[] values) throws SQLException {
    RowIdSource[] rows = plan.rowArray();
    RowKey[] keys = rowKeys; // reused: a row allocates no array of its keys
    try {
      for (int r = 0; r < keys.length; r++) {
        keys[r] = existing != null ? existing : rowSeal.newRowKey(table, rows[r].resolve(p));
      }
      EncryptedColumn[] columns = plan.slotColumns();
      for (int i = 0; i < ops.length; i++) {
        long op = ops[i];
        switch (WritePlan.opKind(op)) {
          case WritePlan.OP_USER -> { }
          case WritePlan.OP_ENCRYPTED_USER -> {
            int userIndex = WritePlan.opUserIndex(op);
            if (!p.isSet(userIndex)) {
              throw Parameters.notSet(userIndex);
            }
            values[i] = seal(keys[WritePlan.opRow(op)], columns[i], p.value(userIndex));
          }
          case WritePlan.OP_COMPANION -> values[i] = keys[WritePlan.opRow(op)].companion();
          default -> values[i] = computeOther(plan.slotArray()[i], keys, p);
        }
      }
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    } finally {
      for (int r = 0; r < keys.length; r++) {
        RowKey k = keys[r];
        if (k != null) {
          keys[r] = null;
          k.close();
        }
      }
    }
  }

  /** A slot of a kind a row's loop does not unpack: a literal to encrypt, or a blind index. */
  private @Nullable Object computeOther(Slot s, RowKey[] keys, Parameters p) throws SQLException {
    switch (s.kind) {
      case ENCRYPTED_CONSTANT:
        return seal(keys[s.row], s.column, s.constant);
      case INDEX_USER:
      case INDEX_CONSTANT:
        return indexValue(s, p);
      default:
        throw new IllegalStateException("slot kind " + s.kind + " is bound by the row's loop");
    }
  }

  private static void bindOther(PreparedStatement target, int index, Slot s, @Nullable Object value)
      throws SQLException {
    if (s.kind == Slot.Kind.ENCRYPTED_CONSTANT) {
      bindSealed(target, index, s.column, value);
    } else if (value == null) { // a blind index of a NULL, or of a column not written under the index keys now
      target.setNull(index, Types.VARBINARY);
    } else {
      target.setBytes(index, (byte[]) value);
    }
  }

  /** {@code value} sealed for {@code column} in its storage form ({@code byte[]} or {@code String}); null for null. */
  private static @Nullable Object seal(RowKey key, EncryptedColumn column, @Nullable Object value)
      throws SQLException {
    return value == null ? null : key.encrypt(column, ValueConversions.toColumnType(column, value));
  }

  private static void bindSealed(PreparedStatement target, int index, EncryptedColumn column, @Nullable Object sealed)
      throws SQLException {
    if (sealed == null) {
      target.setNull(index, column.storage() == StorageForm.BINARY ? Types.VARBINARY : Types.VARCHAR);
    } else if (sealed instanceof byte[]) {
      target.setBytes(index, (byte[]) sealed);
    } else {
      target.setString(index, (String) sealed);
    }
  }

  /**
   * The row's data key, opened (and re-wrapped under the active master key if an older one wrapped it)
   * before the row lock is taken, then checked under the lock: a fresh key if the row has none yet; null if
   * no row has this id.
   *
   * @throws KeyChanged if the companion changed between the read and the lock, in a local transaction
   *     before the last attempt (the caller rolls back and calls again)
   * @throws SQLException with SQLState 40001 if it changed in the application's transaction, or at the
   *     last attempt
   */
  private @Nullable RowKey lockAndOpen(Parameters p, boolean local, int attempt) throws SQLException, KeyChanged {
    RowId rowId = plan.rows().get(0).resolve(p);
    PreparedStatement ps = peek;
    if (ps == null) {
      ps = connection.raw().prepareStatement(plan.peekSql());
      peek = ps;
    }
    bindId(ps, 1, p);
    boolean seenRow;
    byte[] seen = null;
    try (ResultSet rs = ps.executeQuery()) {
      seenRow = rs.next();
      if (seenRow) {
        seen = rs.getBytes(1);
      }
    }
    RowKey prepared = null;
    try {
      if (seenRow) {
        prepared = seen == null ? rowSeal.newRowKey(plan.table(), rowId) : openActive(rowId, seen);
      }
      RowKey key = lockAndCheck(p, rowId, seenRow, seen, prepared, local, attempt);
      if (key != prepared && prepared != null) {
        prepared.close();
      }
      return key;
    } catch (SQLException | RuntimeException | KeyChanged e) {
      if (prepared != null) {
        prepared.close();
      }
      throw e;
    }
  }

  private RowKey openActive(RowId rowId, byte[] companion) throws SQLException {
    try {
      RowKey opened = rowSeal.openRowKey(plan.table(), rowId, companion);
      RowKey active = rowSeal.rewrap(opened);
      if (active != opened) {
        opened.close();
      }
      return active;
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    }
  }

  /** Under the row lock: {@code prepared} if the companion is still {@code seen}; else see {@link #lockAndOpen}. */
  private @Nullable RowKey lockAndCheck(Parameters p, RowId rowId,
      boolean seenRow, byte @Nullable [] seen, @Nullable RowKey prepared, boolean local, int attempt) throws SQLException, KeyChanged {
    PreparedStatement ps = lock;
    if (ps == null) {
      ps = connection.raw().prepareStatement(plan.lockSql());
      lock = ps;
    }
    bindId(ps, 1, p);
    String[] plaintext = new String[plan.adoptColumns().size()];
    boolean anyPlaintext = false;
    byte[] companion;
    List<SelectPlan.Filter> filters = plan.filters();
    Object[] filtered = new Object[filters.size()];
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      companion = rs.getBytes(1);
      for (int i = 0; i < plaintext.length; i++) {
        plaintext[i] = rs.getString(i + 2);
        anyPlaintext |= plaintext[i] != null;
      }
      for (int k = 0; k < filtered.length; k++) {
        SelectPlan.Filter f = filters.get(k);
        filtered[k] = f.value.column.storage() == StorageForm.BINARY ? rs.getBytes(f.column) : rs.getString(f.column);
      }
    }
    if (!seenRow || !Arrays.equals(seen, companion)) {
      if (local && attempt < MAX_ATTEMPTS) {
        throw new KeyChanged();
      }
      throw new SQLException("RowSeal: the data key of row " + rowId + " of " + plan.table().name() + " changed while "
          + "RowSeal opened it (a re-wrap job or another writer updated " + plan.table().companionColumn()
          + (local ? " " + MAX_ATTEMPTS + " times in a row" : " after this transaction began")
          + "); the row was not updated: retry the transaction", "40001");
    }
    if (!filters.isEmpty() && !matches(companion == null ? null : prepared, filtered, p)) {
      return null; // a false positive of a truncated index (or no such value): the row is not updated
    }
    if (companion == null && anyPlaintext) {
      try {
        adopt(prepared, rowId, plaintext, p);
      } catch (RuntimeException e) {
        throw SqlErrors.translate(e);
      }
    }
    return prepared;
  }

  /**
   * Whether the locked row's stored values of the filtered columns, decrypted with the row's {@code key} (null:
   * the row has none, so every encrypted value is NULL), equal one of the values each filter looks up.
   */
  private boolean matches(@Nullable RowKey key, @Nullable Object[] stored, Parameters p) throws SQLException {
    if (key == null) {
      return false;
    }
    List<SelectPlan.Filter> filters = plan.filters();
    try {
      for (int k = 0; k < filters.size(); k++) {
        SelectPlan.Filter f = filters.get(k);
        EncryptedColumn column = f.value.column;
        if (stored[k] == null) {
          return false;
        }
        Object[] wanted = new Object[f.userIndexes.length];
        for (int i = 0; i < wanted.length; i++) {
          Object v = f.userIndexes[i] > 0 ? p.value(f.userIndexes[i]) : f.constants[i];
          wanted[i] = v == null ? null : BlindIndex.normalised(column, ValueConversions.toColumnType(column, v));
        }
        if (!SearchingPreparedStatement.matches(BlindIndex.normalised(column, key.decrypt(column, stored[k])), wanted)) {
          return false;
        }
      }
      return true;
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    }
  }

  /** The row's companion changed between the unlocked read and the row lock (local transaction: retry). */
  private static final class KeyChanged extends Exception {
    private static final long serialVersionUID = 1L;

    KeyChanged() {
      super(null, null, false, false);
    }
  }

  /**
   * Binds the row's id parts that come from the application's parameters to {@code ps}, from parameter
   * {@code first} on; literal id parts are written into the lock and adoption SQL as literals.
   */
  private void bindId(PreparedStatement ps, int first, Parameters p) throws SQLException {
    RowIdSource id = plan.rows().get(0);
    int at = first;
    for (int part = 0; part < id.parts(); part++) {
      int userIndex = id.userIndex(part);
      if (userIndex > 0) {
        p.bind(ps, at++, userIndex);
      }
    }
  }

  /**
   * Encrypts, under the row's new key, the still-plaintext values of the encrypted columns the statement
   * does not set (table adopting plaintext, row locked, no companion yet), so that the partial update
   * that follows leaves the row entirely encrypted under one key.
   */
  private void adopt(RowKey key, RowId rowId, @Nullable String[] plaintext, Parameters p) throws SQLException {
    PreparedStatement ps = adoptStatement;
    if (ps == null) {
      ps = connection.raw().prepareStatement(plan.adoptSql());
      adoptStatement = ps;
    }
    List<EncryptedColumn> columns = plan.adoptColumns();
    int next = 1;
    for (int i = 0; i < columns.size(); i++) {
      if (plaintext[i] == null) {
        ps.setNull(next++, Types.VARCHAR);
      } else {
        EncryptedColumn column = columns.get(i);
        ps.setString(next++, (String) key.encrypt(column, PlaintextAdoption.parsePlaintext(column, rowId, plaintext[i])));
      }
    }
    ps.setBytes(next++, key.companion());
    bindId(ps, next, p);
    if (ps.executeUpdate() != 1) {
      // cannot happen while the row lock is held; never go on to write a half-encrypted row
      throw new SQLException("RowSeal could not encrypt the plaintext row " + rowId + " of " + plan.table().name()
          + " before updating it: it changed under the row lock; retry the transaction", "40001");
    }
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    return new PlanParameterMetaData(plan, delegate.getParameterMetaData());
  }

  /** Rolls back the local transaction; a failure to do so is kept on {@code cause}, which stays the one thrown. */
  private static void rollbackKeeping(Connection raw, Exception cause) {
    try {
      raw.rollback();
    } catch (SQLException | RuntimeException r) {
      cause.addSuppressed(r);
    }
  }

  /** Closes the internal statements and the driver's; every one is closed even if another fails. */
  @Override
  public void close() throws SQLException {
    pending.clear();
    params.dropValues();
    SQLException failure = null;
    for (PreparedStatement ps : new PreparedStatement[] {peek, lock, adoptStatement, delegate}) {
      if (ps == null) {
        continue;
      }
      try {
        ps.close();
      } catch (SQLException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    peek = null;
    lock = null;
    adoptStatement = null;
    if (failure != null) {
      throw failure;
    }
  }
}
