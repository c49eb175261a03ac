package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.search.BlindIndex;
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

  SearchingPreparedStatement(RowSealConnection connection, PreparedStatement delegate, SelectPlan plan) {
    super(connection, delegate, plan, plan.userParameters(), plan.slots());
    this.slots = plan.slots();
    this.select = plan;
  }

  SearchingPreparedStatement(RowSealConnection connection, PreparedStatement delegate, SearchPlan plan) {
    super(connection, delegate, plan, plan.userParameters(), plan.slots());
    this.slots = plan.slots();
    this.select = null;
  }

  /** Per filter, the normalised values the current execution looks for. */
  private final List<Object[]> wanted = new ArrayList<>();

  private void bindAll() throws SQLException {
    executedByDriver();
    wanted.clear();
    if (select != null) {
      for (SelectPlan.Filter f : select.filters()) {
        EncryptedColumn column = f.value.column;
        Object[] normalised = new Object[f.userIndexes.length];
        for (int i = 0; i < normalised.length; i++) {
          Object v = f.userIndexes[i] > 0 ? values[f.userIndexes[i]] : f.constants[i];
          normalised[i] = v == null ? null : BlindIndex.normalised(column, ValueConversions.toColumnType(column, v));
        }
        wanted.add(normalised);
      }
    }
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      if (s.kind == Slot.Kind.USER) {
        bindUser(i + 1, s, binders, set);
      } else {
        bindIndex(i + 1, s, values, set);
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

  private static boolean matches(Object value, Object[] wanted) {
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
    try {
      bindAll();
      return results(delegate.executeQuery());
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean execute() throws SQLException {
    try {
      bindAll();
      return connection.executed(plan, delegate.execute());
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public int executeUpdate() throws SQLException {
    try {
      bindAll();
      return connection.executed(plan, delegate.executeUpdate());
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    try {
      bindAll();
      return connection.executed(plan, delegate.executeLargeUpdate());
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void addBatch() throws SQLException {
    try {
      bindAll();
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    }
    delegate.addBatch();
  }

  @Override
  public @Nullable ResultSetMetaData getMetaData() throws SQLException {
    ResultSetMetaData meta = delegate.getMetaData();
    return meta == null ? null : select != null ? new DecryptedMetaData(meta, select) : new PlainResultSetMetaData(meta);
  }
}
