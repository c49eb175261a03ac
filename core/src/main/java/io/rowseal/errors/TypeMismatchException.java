package io.rowseal.errors;

/**
 * A decrypted value was requested as a Java type other than the one it was written as (its type tag).
 * RowSeal never reinterprets bytes across types; read it as its stored type or convert after reading.
 */
public class TypeMismatchException extends RowSealException {
  private static final long serialVersionUID = 1L;

  public TypeMismatchException(String message) {
    super(message);
  }
}
