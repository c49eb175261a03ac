package io.rowseal.testsupport.kms;

/** An error answer of the fake endpoint: HTTP status, the {@code __type} code and a message. */
final class KmsError extends Exception {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;

  private KmsError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static KmsError client(String code, String message) {
    return new KmsError(400, code, message);
  }

  static KmsError server(String code, String message) {
    return new KmsError(500, code, message);
  }

  static KmsError validation(String message) {
    return client("ValidationException", message);
  }

  static KmsError invalidCiphertext() {
    // Real KMS gives no reason either.
    return client("InvalidCiphertextException", null);
  }
}
