package io.rowseal.jdbc.internal;

import java.sql.PreparedStatement;

/**
 * A prepared statement with no value to encrypt or decrypt (its plan is pass-through): it runs
 * {@link StatementPlan#sql()} with the driver's values, as {@link RowSealPreparedStatement} does. Not
 * thread-safe, like the statement it wraps.
 */
final class PassThroughPreparedStatement extends RowSealPreparedStatement {
  PassThroughPreparedStatement(RowSealConnection connection, PreparedStatement delegate, StatementPlan plan) {
    super(connection, delegate, plan);
  }
}
