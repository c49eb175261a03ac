package io.rowseal.jdbc.internal;

/** A statement that touches no encrypted column (or only in ways that need no plaintext): run as written. */
final class PassThroughPlan extends StatementPlan {
  private final String sql;

  PassThroughPlan(String sql) {
    this.sql = sql;
  }

  @Override
  String sql() {
    return sql;
  }

  @Override
  boolean isPassThrough() {
    return true;
  }
}
