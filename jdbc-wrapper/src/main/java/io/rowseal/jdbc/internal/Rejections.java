package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.errors.UnsupportedStatementException;

/**
 * The messages of rejected statements: each names the table and column and says what to do instead,
 * and never quotes the SQL text (it may hold plaintext literals).
 */
final class Rejections {
  private static final String PREFIX = "RowSeal rejected a statement: ";

  private Rejections() {}

  static String name(EncryptedColumn c) {
    return c.table().name() + "." + c.name();
  }

  /** An encrypted column used where the database would need its plaintext. */
  static UnsupportedStatementException plaintextNeeded(EncryptedColumn c, String clause, String wayOut) {
    return new UnsupportedStatementException(PREFIX + "it uses encrypted column " + name(c) + " in " + clause
        + ", but the database holds only its ciphertext (random per value), so the result would be wrong. "
        + wayOut);
  }

  static UnsupportedStatementException predicate(EncryptedColumn c, String clause) {
    return plaintextNeeded(c, clause, "Filter on a plaintext column (such as the id) and compare in the application;"
        + " IS NULL and IS NOT NULL are the only conditions that work on an encrypted column.");
  }

  static UnsupportedStatementException ordering(EncryptedColumn c) {
    return plaintextNeeded(c, "ORDER BY", "Sort the decrypted rows in the application.");
  }

  static UnsupportedStatementException grouping(EncryptedColumn c, String clause) {
    return plaintextNeeded(c, clause, "Group or de-duplicate the decrypted rows in the application.");
  }

  static UnsupportedStatementException expression(EncryptedColumn c, String clause) {
    return plaintextNeeded(c, clause,
        "Select the column itself (RowSeal decrypts it) and compute in the application.");
  }

  static UnsupportedStatementException copy(EncryptedColumn c, String clause) {
    return plaintextNeeded(c, clause, "Each value is bound to its own row, so it cannot be copied by the database;"
        + " read the rows through RowSeal and write them back through RowSeal one by one.");
  }

  static UnsupportedStatementException of(EncryptedTable t, String what) {
    return new UnsupportedStatementException(PREFIX + "table " + t.name() + " has encrypted columns "
        + columnNames(t) + "; " + what);
  }

  static UnsupportedStatementException of(EncryptedColumn c, String what) {
    return new UnsupportedStatementException(PREFIX + "encrypted column " + name(c) + ": " + what);
  }

  static UnsupportedStatementException general(String what) {
    return new UnsupportedStatementException(PREFIX + what);
  }

  /** {@code (a, b, c)}: the table's encrypted column names, for messages. */
  static String columnNames(EncryptedTable t) {
    StringBuilder sb = new StringBuilder("(");
    for (EncryptedColumn c : t.columns()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(c.name());
    }
    return sb.append(')').toString();
  }
}
