package io.rowseal.jdbc.internal;

/**
 * A statement on an encrypted table that the engine proved needs no value encrypted or decrypted (it
 * reads or writes only plaintext columns, tests nullness, or deletes rows): it runs as the engine's own
 * rendering of the statement it analysed.
 */
final class CheckedPlan extends StatementPlan {
  private final String sql;
  private final boolean schemaChange;

  CheckedPlan(String sql) {
    this(sql, false);
  }

  CheckedPlan(String sql, boolean schemaChange) {
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
}
