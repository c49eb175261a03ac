package io.rowseal;

import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.errors.RowSealException;
import io.rowseal.errors.TypeMismatchException;
import io.rowseal.errors.UnsupportedFormatVersionException;

/** Re-throws a location-free failure from a codec or key provider with where it happened added. */
final class Failures {
  private Failures() {}

  /** A failure of the same kind as {@code e}, its message prefixed by {@code context}, {@code e} chained. */
  static RowSealException withContext(RowSealException e, String context) {
    String message = context + ": " + e.getMessage();
    if (e instanceof UnsupportedFormatVersionException) {
      UnsupportedFormatVersionException x = new UnsupportedFormatVersionException(message);
      x.initCause(e);
      return x;
    } else if (e instanceof InvalidFormatException) {
      return new InvalidFormatException(message, e);
    } else if (e instanceof DecryptionFailedException) {
      return new DecryptionFailedException(message, e);
    } else if (e instanceof KeyUnavailableException) {
      return new KeyUnavailableException(message, e);
    } else if (e instanceof TypeMismatchException) {
      TypeMismatchException x = new TypeMismatchException(message);
      x.initCause(e);
      return x;
    }
    return new RowSealException(message, e);
  }
}
