package io.rowseal.key;

import io.rowseal.internal.AesGcm;
import io.rowseal.internal.ByteWords;
import io.rowseal.internal.Randomness;
import java.security.MessageDigest;
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
  /**
   * Read with acquire and written with release semantics ({@link #DESTROYED}): a plain load and store on x86,
   * where a volatile store costs a full fence on every row closed; a use that happens after {@link #destroy()}
   * (through any hand-over between threads) still sees it.
   */
  @SuppressWarnings("unused")
  private boolean destroyed;

  private static final java.lang.invoke.VarHandle DESTROYED;

  static {
    try {
      DESTROYED = java.lang.invoke.MethodHandles.lookup().findVarHandle(DataKey.class, "destroyed", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private DataKey(byte[] bytes) {
    this.bytes = bytes;
    this.secretKey = new SecretKeySpec(bytes, "AES");
  }

  /** A fresh random key from RowSeal's {@code SecureRandom}. */
  public static DataKey generate() {
    return new DataKey(Randomness.nextBytes(LENGTH));
  }

  /** As {@link #generate()}, from {@code random}, the calling thread's ({@link AesGcm.Worker#random()}). */
  public static DataKey generate(Randomness random) {
    return new DataKey(random.next(LENGTH));
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

  /**
   * A key that takes ownership of {@code bytes} (32 of them, not copied): for a key just unwrapped into
   * an array nobody else holds, which would otherwise be copied and zeroed at once.
   */
  static DataKey adopt(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a data key is 32 bytes, got " + bytes.length);
    }
    return new DataKey(bytes);
  }

  /**
   * The key bytes themselves, not a copy, for a master key of this package to wrap them without a
   * temporary copy to zero. The caller must not modify or keep them.
   */
  byte[] bytesForWrapping() {
    checkNotDestroyed();
    return bytes;
  }

  /** A copy of the key bytes. The caller owns it and should zero it when done. */
  public byte[] copyOfBytes() {
    checkNotDestroyed();
    return bytes.clone();
  }

  /** The key as a JCE {@link SecretKey} for AES. */
  public SecretKey secretKey() {
    checkNotDestroyed();
    return secretKey;
  }

  // The JCE key object keeps its own copy of the bytes, so without this check a destroyed key would
  // still encrypt, and a re-wrap of it would silently wrap zeroes.
  private void checkNotDestroyed() {
    if ((boolean) DESTROYED.getAcquire(this)) {
      throw new IllegalStateException("this data key was destroyed (its RowKey was closed); open the row again");
    }
  }

  /** Whether {@code other} holds the same key bytes, compared in constant time. */
  public boolean equalsKey(DataKey other) {
    checkNotDestroyed();
    other.checkNotDestroyed();
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Zeroes the bytes this object holds; any later use throws {@link IllegalStateException}. */
  public void destroy() {
    DESTROYED.setRelease(this, true);
    ByteWords.zero(bytes, 0, bytes.length);
  }

  @Override
  public String toString() {
    return "DataKey[AES-256, bytes redacted]";
  }
}
