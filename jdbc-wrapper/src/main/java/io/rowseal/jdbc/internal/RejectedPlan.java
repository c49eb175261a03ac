package io.rowseal.jdbc.internal;

import io.rowseal.errors.UnsupportedStatementException;

/**
 * A statement that would need an encrypted column's plaintext inside the database. Cached like any plan,
 * so a rejected text is not parsed again; every use fails with the same message.
 */
final class RejectedPlan extends StatementPlan {
  private final String message;

  RejectedPlan(String message) {
    this.message = message;
  }

  @Override
  String sql() {
    throw failure();
  }

  UnsupportedStatementException failure() {
    return new UnsupportedStatementException(message);
  }
}
