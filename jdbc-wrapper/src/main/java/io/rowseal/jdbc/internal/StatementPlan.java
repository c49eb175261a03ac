package io.rowseal.jdbc.internal;

/**
 * What RowSeal does with one SQL text, decided once when the text is first seen and cached:
 * run it unchanged, reject it, or run a rewritten form that binds ciphertext or decrypts results.
 * Immutable and shared by every connection of a wrapped data source.
 */
abstract class StatementPlan {
  /** The SQL to send to the database. */
  abstract String sql();

  /** Whether the statement touches no encrypted column, so it runs exactly as written. */
  boolean isPassThrough() {
    return false;
  }
}
