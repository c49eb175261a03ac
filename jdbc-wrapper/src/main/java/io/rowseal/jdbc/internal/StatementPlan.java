package io.rowseal.jdbc.internal;

/**
 * What RowSeal does with one SQL text, decided once when the text is first seen and cached:
 * run it unchanged, reject it, or run a rewritten form that binds ciphertext or decrypts results.
 * Immutable and shared by every connection of a wrapped data source.
 */
abstract class StatementPlan {
  private java.util.Set<io.rowseal.EncryptedTable> tables = java.util.Set.of();
  private @org.jspecify.annotations.Nullable String searchShape;

  /** The index columns this plan was made for (see {@code JdbcEngine#searchShape}), or null if it uses none. */
  @org.jspecify.annotations.Nullable String searchShape() {
    return searchShape;
  }

  void searchShape(@org.jspecify.annotations.Nullable String shape) {
    this.searchShape = shape;
  }

  /** Whether the statement binds values RowSeal computes (ciphertext, index values) and so runs prepared. */
  boolean bindsValues() {
    return false;
  }

  /** The encrypted tables whose rows the statement reads or writes (set once, when the plan is made). */
  java.util.Set<io.rowseal.EncryptedTable> tables() {
    return tables;
  }

  /** Records the encrypted tables the statement reads or writes; called by the planner before the plan is shared. */
  StatementPlan reading(java.util.Set<io.rowseal.EncryptedTable> tables) {
    this.tables = java.util.Set.copyOf(tables);
    return this;
  }

  /**
   * The SQL to send to the database. For a text that names an encrypted table this is always RowSeal's
   * own rendering of the statement it analysed, never the application's text.
   */
  abstract String sql();

  /** Whether the statement needs no encryption or decryption: it runs as {@link #sql()} with the driver's values. */
  boolean isPassThrough() {
    return false;
  }

  /**
   * Whether the text names an encrypted table (so statements and result sets over it refuse every JDBC
   * method RowSeal does not handle, such as updatable result sets). False only for texts that name none.
   */
  boolean touchesEncryptedTable() {
    return true;
  }

  /**
   * Whether running the statement may change tables' columns (CREATE, ALTER, DROP, RENAME): then the plans
   * cached so far, some of which expanded {@code SELECT *} from the columns they saw, are dropped.
   */
  boolean isSchemaChange() {
    return false;
  }
}
