package io.rowseal.jdbc.internal;

import java.sql.CallableStatement;

/**
 * A stored procedure call whose text names no encrypted table or column (others are rejected when prepared):
 * out parameters and named setters go to the driver; execution, results and the connection are RowSeal's,
 * as for any prepared statement. Not thread-safe, like the statement it wraps.
 */
final class RowSealCallableStatement extends DelegatingCallableStatement {
  RowSealCallableStatement(RowSealConnection connection, CallableStatement delegate, StatementPlan plan) {
    super(connection, delegate, plan);
  }
}
