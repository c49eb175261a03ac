package io.rowseal.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Common base of RowSeal's prepared and callable statements: everything {@code jdbc-surface.txt} marks
 * INTERCEPTED for {@code Statement} and {@code PreparedStatement}, as a statement with nothing to encrypt or
 * decrypt runs it. It reports the wrapping connection; refuses the {@code Statement} methods that take SQL text
 * (JDBC forbids them on a prepared statement; a lenient driver would otherwise run that text past RowSeal);
 * hands out results only behind RowSeal's wrappers ({@link #results}); and, for a plan over an encrypted table,
 * refuses GUARDED methods and sanitises driver errors ({@link DriverErrors}). Subclasses override what they
 * encrypt or decrypt. Not thread-safe, like the statement it wraps.
 */
abstract class RowSealPreparedStatement extends DelegatingPreparedStatement {
  final RowSealConnection connection;
  final StatementPlan plan;

  RowSealPreparedStatement(RowSealConnection connection, PreparedStatement delegate, StatementPlan plan) {
    super(delegate);
    this.connection = connection;
    this.plan = plan;
  }

  @Override
  public final Connection getConnection() {
    return connection;
  }

  @Override
  final void guard(String method) throws SQLException {
    if (plan.touchesEncryptedTable()) {
      throw SurfaceRejections.method(method, SurfaceRejections.over(plan, connection.rowSeal().tables()));
    }
  }

  /** {@code e} as the caller may see it: for a plan over an encrypted table, without values or ciphertext. */
  final SQLException failed(SQLException e) {
    return plan.touchesEncryptedTable() ? DriverErrors.sanitize(e, connection.rowSeal()) : e;
  }

  /** A result set of this statement's query, as the application gets it. */
  ResultSet results(ResultSet rs) {
    return new GuardedResultSet(rs, this, plan, connection.rowSeal().tables());
  }

  @Override
  public final <T> T unwrap(Class<T> iface) throws SQLException {
    return SurfaceRejections.unwrap(this, iface, "PreparedStatement");
  }

  @Override
  public final boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  // ---------------------------------------------------------------- execution (overridden by the encrypting one)

  @Override
  public ResultSet executeQuery() throws SQLException {
    try {
      return results(delegate.executeQuery());
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean execute() throws SQLException {
    try {
      return connection.executed(plan, delegate.execute());
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public int executeUpdate() throws SQLException {
    try {
      return connection.executed(plan, delegate.executeUpdate());
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    try {
      return connection.executed(plan, delegate.executeLargeUpdate());
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void addBatch() throws SQLException {
    delegate.addBatch();
  }

  @Override
  public void clearBatch() throws SQLException {
    delegate.clearBatch();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    try {
      return delegate.executeBatch();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    try {
      return delegate.executeLargeBatch();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void close() throws SQLException {
    delegate.close();
  }

  // ---------------------------------------------------------------- results

  /** 0: the driver ran the last execution; 1: RowSeal answered it (update count 0 pending); 2: that count was read past. */
  private int answered;

  /** The last execution ran on the driver: results come from it. */
  final void executedByDriver() {
    answered = 0;
  }

  /**
   * RowSeal answered the last execution without the driver (an UPDATE by id whose row does not exist): its
   * result is an update count of 0, as the database would have said.
   */
  final void answeredZeroRows() {
    answeredRows(0);
  }

  /** RowSeal ran the last execution itself (through statements of its own) and it changed {@code rows} rows. */
  final void answeredRows(long rows) {
    answered = 1;
    answeredRows = rows;
  }

  private long answeredRows;

  @Override
  public final @Nullable ResultSet getResultSet() throws SQLException {
    if (answered != 0) {
      return null;
    }
    ResultSet rs = delegate.getResultSet();
    return rs == null ? null : results(rs);
  }

  @Override
  public final @Nullable ResultSet getGeneratedKeys() throws SQLException {
    // keys only (RowSealConnection never asks the driver for an encrypted column as a key): nothing to decrypt
    ResultSet rs = delegate.getGeneratedKeys();
    return rs == null ? null : new GuardedResultSet(rs, this, plan, connection.rowSeal().tables());
  }

  @Override
  public final boolean getMoreResults() throws SQLException {
    if (answered != 0) {
      answered = 2;
      return false;
    }
    return delegate.getMoreResults();
  }

  @Override
  public final boolean getMoreResults(int current) throws SQLException {
    if (answered != 0) {
      answered = 2;
      return false;
    }
    return delegate.getMoreResults(current);
  }

  @Override
  public final int getUpdateCount() throws SQLException {
    if (answered != 0) {
      return answered == 1 ? (int) answeredRows : -1;
    }
    return delegate.getUpdateCount();
  }

  @Override
  public final long getLargeUpdateCount() throws SQLException {
    if (answered != 0) {
      return answered == 1 ? answeredRows : -1;
    }
    return delegate.getLargeUpdateCount();
  }

  @Override
  public @Nullable ResultSetMetaData getMetaData() throws SQLException {
    ResultSetMetaData meta = delegate.getMetaData();
    return meta == null ? null : new PlainResultSetMetaData(meta);
  }

  // ---------------------------------------------------------------- SQL text: not on a prepared statement

  private static SQLException sqlTextNotAllowed() {
    return new SQLException("a PreparedStatement cannot execute other SQL text; use Connection.createStatement()",
        "S1009");
  }

  @Override
  public final void addBatch(String sql) throws SQLException {
    throw sqlTextNotAllowed();
  }

  @Override
  public final boolean execute(String sql) throws SQLException {
    throw sqlTextNotAllowed();
  }

  @Override
  public final boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    throw sqlTextNotAllowed();
  }

  @Override
  public final boolean execute(String sql, int[] columnIndexes) throws SQLException {
    throw sqlTextNotAllowed();
  }

  @Override
  public final boolean execute(String sql, String[] columnNames) throws SQLException {
    throw sqlTextNotAllowed();
  }

  @Override
  public final ResultSet executeQuery(String sql) throws SQLException {
    throw sqlTextNotAllowed();
  }

  @Override
  public final int executeUpdate(String sql) throws SQLException {
    throw sqlTextNotAllowed();
  }

  @Override
  public final int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    throw sqlTextNotAllowed();
  }

  @Override
  public final int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    throw sqlTextNotAllowed();
  }

  @Override
  public final int executeUpdate(String sql, String[] columnNames) throws SQLException {
    throw sqlTextNotAllowed();
  }

  @Override
  public final long executeLargeUpdate(String sql) throws SQLException {
    throw sqlTextNotAllowed();
  }

  @Override
  public final long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    throw sqlTextNotAllowed();
  }

  @Override
  public final long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    throw sqlTextNotAllowed();
  }

  @Override
  public final long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    throw sqlTextNotAllowed();
  }
}
