package io.rowseal.jdbc.internal;

/** A statement text that names no encrypted table: run exactly as the application wrote it. */
final class PassThroughPlan extends StatementPlan {
  private final String sql;
  private final boolean schemaChange;

  PassThroughPlan(String sql) {
    this(sql, false);
  }

  PassThroughPlan(String sql, boolean schemaChange) {
    this.sql = sql;
    this.schemaChange = schemaChange;
  }

  @Override
  boolean isSchemaChange() {
    return schemaChange;
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
