package io.rowseal.errors;

/**
 * Stored bytes are not in a RowSeal format: too short, a bad header, strict Base64 violated, or an
 * encoded plaintext whose body does not match its type tag.
 */
public class InvalidFormatException extends RowSealException {
  private static final long serialVersionUID = 1L;

  public InvalidFormatException(String message) {
    super(message);
  }

  public InvalidFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
