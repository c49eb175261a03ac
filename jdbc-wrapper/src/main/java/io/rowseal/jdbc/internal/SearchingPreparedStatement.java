package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.search.BlindIndex;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A prepared statement that looks rows up by a searchable column: a query ({@link SelectPlan} with slots) or an
 * UPDATE or DELETE of plaintext columns ({@link SearchPlan}). The application's values for the searchable
 * column are kept here and only their blind indexes reach the driver. Where the index is truncated, rows
 * whose decrypted value does not match are skipped. Batches are refused. Not thread-safe.
 */
final class SearchingPreparedStatement extends CollectingPreparedStatement {
  private final List<Slot> slots;
  private final @Nullable SelectPlan select;
  private final SearchPlan.@Nullable Candidates candidates;

  SearchingPreparedStatement(RowSealConnection connection, PreparedStatement delegate, SelectPlan plan) {
    super(connection, delegate, plan, plan.userParameters(), plan.slots());
    this.slots = plan.slots();
    this.select = plan;
    this.candidates = null;
  }

  SearchingPreparedStatement(RowSealConnection connection, PreparedStatement delegate, SearchPlan plan) {
    super(connection, delegate, plan, plan.userParameters(), plan.slots());
    this.slots = plan.slots();
    this.select = null;
    this.candidates = plan.candidates();
  }

  /** Per filter, the normalised values the current execution looks for. */
  private final List<Object[]> wanted = new ArrayList<>();

  private void bindAll() throws SQLException {
    executedByDriver();
    wanted.clear();
    List<SelectPlan.Filter> filters = select != null ? select.filters()
        : candidates != null ? candidates.filters : List.of();
    {
      for (SelectPlan.Filter f : filters) {
        EncryptedColumn column = f.value.column;
        Object[] normalised = new Object[f.userIndexes.length];
        for (int i = 0; i < normalised.length; i++) {
          Object v = f.userIndexes[i] > 0 ? params.value(f.userIndexes[i]) : f.constants[i];
          normalised[i] = v == null ? null : BlindIndex.normalised(column, ValueConversions.toColumnType(column, v));
        }
        wanted.add(normalised);
      }
    }
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      if (s.kind == Slot.Kind.USER) {
        bindUser(delegate, i + 1, s, params);
      } else {
        bindIndex(i + 1, s, params);
      }
    }
  }

  @Override
  ResultSet results(ResultSet rs) {
    if (select == null) {
      return super.results(rs);
    }
    DecryptingResultSet decrypting = new DecryptingResultSet(rs, select, connection.rowSeal(), this);
    if (select.filters().isEmpty()) {
      return decrypting;
    }
    List<Object[]> wanted = List.copyOf(this.wanted);
    return decrypting.filtering(rows -> {
      for (int k = 0; k < wanted.size(); k++) {
        SelectPlan.Filter f = select.filters().get(k);
        Object value = rows.hiddenValue(f.value, f.column);
        if (value == null || !matches(BlindIndex.normalised(f.value.column, value), wanted.get(k))) {
          return false;
        }
      }
      return true;
    });
  }

  /** Whether {@code value} (normalised) equals one of the non-null {@code wanted} values (normalised). */
  static boolean matches(Object value, Object[] wanted) {
    for (Object w : wanted) {
      if (w != null && (value instanceof byte[] && w instanceof byte[] ? Arrays.equals((byte[]) value, (byte[]) w)
          : value.equals(w))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    return run(() -> {
      bindAll();
      return results(delegate.executeQuery());
    });
  }

  @Override
  public boolean execute() throws SQLException {
    if (candidates != null) {
      executeUpdate();
      return false;
    }
    return run(() -> {
      bindAll();
      return connection.executed(plan, delegate.execute());
    });
  }

  /**
   * An UPDATE or DELETE by a truncated index, in one transaction: lock the candidate rows, keep those whose
   * decrypted value matches, run the statement restricted to their ids; the count is of the rows it changed.
   */
  private long filteredUpdate() throws SQLException {
    SearchPlan.Candidates cand = candidates;
    bindAll(); // the statement's own parameters are bound again below, onto RowSeal's statements
    Connection raw = connection.raw();
    boolean local = raw.getAutoCommit();
    if (local) {
      raw.setAutoCommit(false);
    }
    try {
      List<Object[]> keys = new ArrayList<>();
      int idCount = cand.table.idColumns().size();
      try (PreparedStatement ps = raw.prepareStatement(cand.sql)) {
        bindSlots(ps, cand.slots, 1);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Object[] id = new Object[idCount];
            for (int j = 0; j < idCount; j++) {
              id[j] = rs.getObject(j + 1);
            }
            if (matches(rs, cand, id)) {
              keys.add(id);
            }
          }
        }
      }
      long count = 0;
      if (!keys.isEmpty()) {
        StringBuilder sql = new StringBuilder(plan.sql()).append(cand.keysIn).append('(');
        String tuple = idCount == 1 ? "?" : "(" + String.join(", ", java.util.Collections.nCopies(idCount, "?")) + ")";
        sql.append(String.join(", ", java.util.Collections.nCopies(keys.size(), tuple))).append(')');
        try (PreparedStatement ps = raw.prepareStatement(sql.toString())) {
          int next = bindSlots(ps, slots, 1);
          for (Object[] id : keys) {
            for (Object part : id) {
              ps.setObject(next++, part);
            }
          }
          count = ps.executeLargeUpdate();
        }
      }
      if (local) {
        raw.commit();
      }
      answeredRows(count);
      return count;
    } catch (SQLException | RuntimeException e) {
      if (local) {
        try {
          raw.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
      }
      throw e;
    } finally {
      if (local) {
        raw.setAutoCommit(true);
      }
    }
  }

  private int bindSlots(PreparedStatement target, List<Slot> list, int first) throws SQLException {
    int index = first;
    for (Slot s : list) {
      if (s.kind == Slot.Kind.USER) {
        bindUser(target, index++, s, params);
      } else {
        bindIndex(target, index++, s, params);
      }
    }
    return index;
  }

  /** Whether the locked candidate row's decrypted values match every filter. */
  private boolean matches(ResultSet rs, SearchPlan.Candidates cand, Object[] id) throws SQLException {
    byte[] companion = rs.getBytes(id.length + 1);
    if (companion == null) {
      return false; // no data key: every encrypted value of the row is NULL, which equals nothing
    }
    io.rowseal.RowId rowId = id.length == 1 ? io.rowseal.RowId.of(id[0]) : io.rowseal.RowId.composite(id);
    try (io.rowseal.RowKey key = connection.rowSeal().openRowKey(cand.table, rowId, companion)) {
      for (int k = 0; k < cand.filters.size(); k++) {
        SelectPlan.Filter f = cand.filters.get(k);
        Object stored = f.value.column.storage() == io.rowseal.StorageForm.BINARY ? rs.getBytes(f.column)
            : rs.getString(f.column);
        if (stored == null) {
          return false;
        }
        Object value = key.decrypt(f.value.column, stored);
        if (!matches(BlindIndex.normalised(f.value.column, value), wanted.get(k))) {
          return false;
        }
      }
      return true;
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws SQLException;
  }

  /** Runs an execution, with RowSeal's own failures as SQLExceptions and driver errors sanitised. */
  private <T> T run(Call<T> call) throws SQLException {
    try {
      return call.run();
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public int executeUpdate() throws SQLException {
    if (candidates != null) {
      return run(() -> (int) filteredUpdate());
    }
    return run(() -> {
      bindAll();
      return connection.executed(plan, delegate.executeUpdate());
    });
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    if (candidates != null) {
      return run(this::filteredUpdate);
    }
    return run(() -> {
      bindAll();
      return connection.executed(plan, delegate.executeLargeUpdate());
    });
  }

  @Override
  public void addBatch() throws SQLException {
    if (candidates != null) {
      throw new java.sql.SQLFeatureNotSupportedException("RowSeal runs an UPDATE or DELETE by a truncated search index"
          + " row by row after decrypting the candidates; execute it without a batch", SqlErrors.UNSUPPORTED_STATEMENT);
    }
    try {
      bindAll();
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    }
    delegate.addBatch();
  }

  @Override
  public java.sql.ParameterMetaData getParameterMetaData() throws SQLException {
    int users = select != null ? select.userParameters() : ((SearchPlan) plan).userParameters();
    return new PlanParameterMetaData(slots, users, delegate.getParameterMetaData());
  }

  @Override
  public @Nullable ResultSetMetaData getMetaData() throws SQLException {
    ResultSetMetaData meta = delegate.getMetaData();
    return meta == null ? null : select != null ? new DecryptedMetaData(meta, select) : new PlainResultSetMetaData(meta);
  }
}
