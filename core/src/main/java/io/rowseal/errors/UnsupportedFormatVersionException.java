package io.rowseal.errors;

/**
 * Stored bytes carry a format version this RowSeal does not know, typically written by a newer release.
 * Upgrade RowSeal on every reader before writers start producing the new version.
 */
public class UnsupportedFormatVersionException extends InvalidFormatException {
  private static final long serialVersionUID = 1L;

  public UnsupportedFormatVersionException(String message) {
    super(message);
  }
}
