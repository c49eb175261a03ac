package io.rowseal.errors;

/**
 * A stored value or wrapped data key failed authentication: it was altered, truncated, moved to another
 * row, column or table, or sealed under another key. The message names where; never which check failed.
 */
public class DecryptionFailedException extends RowSealException {
  private static final long serialVersionUID = 1L;

  public DecryptionFailedException(String message) {
    super(message);
  }

  public DecryptionFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
