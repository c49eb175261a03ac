package io.rowseal.errors;

/**
 * The key a row needs is unknown to the key ring or cannot be reached (a missing keystore entry, a KMS
 * outage). The message names the key reference. Retrying may succeed once the key is reachable again.
 */
public class KeyUnavailableException extends RowSealException {
  private static final long serialVersionUID = 1L;

  public KeyUnavailableException(String message) {
    super(message);
  }

  public KeyUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
