package io.rowseal.key;

import io.rowseal.internal.AesGcm;
import io.rowseal.internal.Randomness;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit AES key held in memory: a row's data key (DEK) or an unwrapped key-encryption key. Owns its
 * bytes; hands them out only through {@link #copyOfBytes()}; compares in constant time; prints no key
 * material. {@link #destroy()} zeroes the bytes this object holds; the JCE keeps its own copy inside the
 * {@link SecretKey} it was given, which Java 17 cannot zero (best effort, as everywhere in Java).
 * Thread-safe for use; do not use after {@link #destroy()}.
 */
public final class DataKey {
  /** Key length in bytes. */
  public static final int LENGTH = AesGcm.KEY_LENGTH;

  private final byte[] bytes;
  private final SecretKey secretKey;

  private DataKey(byte[] bytes) {
    this.bytes = bytes;
    this.secretKey = new SecretKeySpec(bytes, "AES");
  }

  /** A fresh random key from RowSeal's {@code SecureRandom}. */
  public static DataKey generate() {
    return new DataKey(Randomness.nextBytes(LENGTH));
  }

  /**
   * A key holding a copy of {@code bytes}; the caller should zero its own array.
   *
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static DataKey copyOf(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a data key is 32 bytes, got " + bytes.length);
    }
    return new DataKey(bytes.clone());
  }

  /** A copy of the key bytes. The caller owns it and should zero it when done. */
  public byte[] copyOfBytes() {
    return bytes.clone();
  }

  /** The key as a JCE {@link SecretKey} for AES. */
  public SecretKey secretKey() {
    return secretKey;
  }

  /** Whether {@code other} holds the same key bytes, compared in constant time. */
  public boolean equalsKey(DataKey other) {
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Zeroes the bytes this object holds. */
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public String toString() {
    return "DataKey[AES-256, bytes redacted]";
  }
}
