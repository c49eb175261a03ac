package io.rowseal.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * A prepared query that projects encrypted columns. Parameters go straight to the driver (a query
 * never binds plaintext of an encrypted column: predicates on them are rejected when planning); its
 * result sets decrypt.
 */
final class DecryptingPreparedStatement extends RowSealPreparedStatement {
  private final SelectPlan plan;

  DecryptingPreparedStatement(RowSealConnection connection, PreparedStatement delegate, SelectPlan plan) {
    super(connection, delegate);
    this.plan = plan;
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    return new DecryptingResultSet(delegate.executeQuery(), plan, connection.rowSeal(), this);
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    ResultSet rs = delegate.getResultSet();
    return rs == null ? null : new DecryptingResultSet(rs, plan, connection.rowSeal(), this);
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    ResultSetMetaData meta = delegate.getMetaData();
    return meta == null ? null : new DecryptedMetaData(meta, plan);
  }
}
