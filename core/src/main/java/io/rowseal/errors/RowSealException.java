package io.rowseal.errors;

/**
 * Root of RowSeal's runtime failures. Messages say where the failure happened (table, column, row id,
 * key reference) and what to do; they never contain plaintext, ciphertext, wrapped keys or key bytes.
 */
public class RowSealException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RowSealException(String message) {
    super(message);
  }

  public RowSealException(String message, Throwable cause) {
    super(message, cause);
  }
}
