package io.rowseal.jdbc.internal;

/** A statement text that names no encrypted table: run exactly as the application wrote it. */
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

  @Override
  boolean touchesEncryptedTable() {
    return false;
  }
}
