package io.rowseal.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a 12-byte nonce and a 16-byte tag, on per-thread reused {@link Cipher} objects.
 *
 * <p>Why per thread: {@code Cipher.getInstance} costs a provider lookup and several allocations, about
 * as much as sealing a short value, and {@code Cipher} is not thread-safe. One encrypting and one
 * decrypting instance per thread are re-initialised for every call, which is cheap.
 *
 * <p>The JDK refuses to encrypt twice in a row with the same key and nonce on one instance. With random
 * nonces that happens only when a caller passes a fixed nonce (known-answer vectors), so that case falls
 * back to a fresh instance.
 */
public final class AesGcm {
  public static final int NONCE_LENGTH = 12;
  public static final int TAG_LENGTH = 16;
  public static final int KEY_LENGTH = 32;
  private static final int TAG_BITS = TAG_LENGTH * 8;

  private static final ThreadLocal<Cipher> ENCRYPTOR = ThreadLocal.withInitial(AesGcm::newCipher);
  private static final ThreadLocal<Cipher> DECRYPTOR = ThreadLocal.withInitial(AesGcm::newCipher);

  private AesGcm() {}

  /**
   * Encrypts {@code plaintext[ptOff, ptOff+ptLen)} and writes ciphertext and tag to {@code out} at
   * {@code outOff}; the nonce is read from {@code nonce[nonceOff, nonceOff+12)} (it may lie in {@code out}).
   * The AAD is {@code aad1 ‖ aad2}.
   *
   * @return the number of bytes written ({@code ptLen + 16})
   */
  public static int seal(SecretKey key, byte[] nonce, int nonceOff, byte[] aad1, byte[] aad2,
      byte[] plaintext, int ptOff, int ptLen, byte[] out, int outOff) {
    GCMParameterSpec spec = new GCMParameterSpec(TAG_BITS, nonce, nonceOff, NONCE_LENGTH);
    Cipher cipher = ENCRYPTOR.get();
    try {
      try {
        cipher.init(Cipher.ENCRYPT_MODE, key, spec);
      } catch (InvalidAlgorithmParameterException sameKeyAndNonce) {
        cipher = newCipher();
        cipher.init(Cipher.ENCRYPT_MODE, key, spec);
      }
      cipher.updateAAD(aad1);
      cipher.updateAAD(aad2);
      return cipher.doFinal(plaintext, ptOff, ptLen, out, outOff);
    } catch (GeneralSecurityException e) {
      // Only a broken JCE gets here: key length and buffer sizes are fixed by the callers.
      throw new IllegalStateException("AES-GCM encryption failed in the JCE provider", e);
    }
  }

  /**
   * Decrypts and authenticates {@code in[off, off+len)} (ciphertext then tag) under the given nonce and
   * AAD {@code aad1 ‖ aad2}.
   *
   * @return the plaintext, a new array the caller owns
   * @throws AEADBadTagException when authentication fails (also for input shorter than a tag)
   */
  public static byte[] open(SecretKey key, byte[] nonce, int nonceOff, byte[] aad1, byte[] aad2,
      byte[] in, int off, int len) throws AEADBadTagException {
    if (len < TAG_LENGTH) {
      throw new AEADBadTagException("input shorter than the tag");
    }
    Cipher cipher = DECRYPTOR.get();
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce, nonceOff, NONCE_LENGTH));
      cipher.updateAAD(aad1);
      cipher.updateAAD(aad2);
      return cipher.doFinal(in, off, len);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed in the JCE provider", e);
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM has no AES/GCM/NoPadding cipher", e);
    }
  }
}
