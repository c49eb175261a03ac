package io.rowseal.jdbc.internal;

import java.sql.PreparedStatement;

/** A prepared statement that touches no encrypted column: every call goes straight to the driver. */
final class PassThroughPreparedStatement extends RowSealPreparedStatement {
  PassThroughPreparedStatement(RowSealConnection connection, PreparedStatement delegate) {
    super(connection, delegate);
  }
}
