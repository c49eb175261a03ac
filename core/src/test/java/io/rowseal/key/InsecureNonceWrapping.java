package io.rowseal.key;

/**
 * Test-only access to wrapping under a chosen nonce, for known-answer vectors. Production code has no
 * public way to pick a nonce: {@link AesGcmMasterKey#wrap} always draws a fresh random one.
 */
public final class InsecureNonceWrapping {
  private InsecureNonceWrapping() {}

  /** {@code master.wrap(dataKey, context)} under {@code nonce}: never reuse a nonce under one key. */
  public static byte[] wrap(AesGcmMasterKey master, DataKey dataKey, WrapContext context, byte[] nonce) {
    return master.wrapWithNonce(dataKey, context, nonce);
  }
}
