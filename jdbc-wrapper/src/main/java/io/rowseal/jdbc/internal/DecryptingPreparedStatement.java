package io.rowseal.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * A prepared query that projects encrypted columns. Parameters go straight to the driver (a query
 * never binds plaintext of an encrypted column: predicates on them are rejected when planning); its
 * result sets decrypt. Not thread-safe, like the statement it wraps.
 */
final class DecryptingPreparedStatement extends RowSealPreparedStatement {
  private final SelectPlan select;

  DecryptingPreparedStatement(RowSealConnection connection, PreparedStatement delegate, SelectPlan plan) {
    super(connection, delegate, plan);
    this.select = plan;
  }

  private final ReadAheadStop readAhead = new ReadAheadStop();

  @Override
  ResultSet results(ResultSet rs) {
    return readAhead.track(new DecryptingResultSet(rs, select, connection.rowSeal(), this,
        connection.engine().decryptPool()));
  }

  @Override
  public void cancel() throws SQLException {
    readAhead.stop(true);
    delegate.cancel();
  }

  @Override
  public void close() throws SQLException {
    readAhead.stop(false);
    super.close();
  }

  @Override
  public @Nullable ResultSetMetaData getMetaData() throws SQLException {
    ResultSetMetaData meta = delegate.getMetaData();
    return meta == null ? null : new DecryptedMetaData(meta, select);
  }
}
