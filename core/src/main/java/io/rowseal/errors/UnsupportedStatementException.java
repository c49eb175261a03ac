package io.rowseal.errors;

/**
 * A statement needs the plaintext of an encrypted column inside the database (a predicate, ORDER BY,
 * GROUP BY, LIKE or function on it, {@code INSERT ... SELECT}, a bulk update that cannot be re-encrypted
 * row by row). The message names the table, the column and the way out. Nothing was executed.
 */
public class UnsupportedStatementException extends RowSealException {
  private static final long serialVersionUID = 1L;

  public UnsupportedStatementException(String message) {
    super(message);
  }
}
