package io.rowseal.internal;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Random bytes for keys and nonces, from a per-thread {@link SecureRandom} (NIST SP 800-90A Hash_DRBG,
 * 256-bit security strength, seeded by the JDK from the operating system's entropy source).
 *
 * <p>Why buffered: a row needs a 32-byte data key, a 12-byte wrap nonce and a 12-byte nonce per value.
 * One {@code nextBytes} call costs about 300 ns whatever its size up to a few hundred bytes, so drawing
 * each of those separately would cost more than the encryption itself. Each thread therefore draws 1 KiB
 * at a time and hands out slices; every slice is zeroed in the buffer as it is handed out, so no byte is
 * ever handed out twice and key bytes do not linger in the buffer once taken (nonces, which are public,
 * are taken without the zeroing: {@link #nextNonce}). Why per thread: a shared
 * instance is a lock every writer contends on, and buffers must never be shared across threads.
 *
 * <p>Slices are copied and zeroed a word at a time ({@link ByteWords}): for runs of 12 and 32 bytes the calls of
 * {@code System.arraycopy} and {@code Arrays.fill} cost more than the copy, and a row takes five slices.
 */
public final class Randomness {
  private static final int BUFFER_SIZE = 1024;
  private static final ThreadLocal<Randomness> PER_THREAD = ThreadLocal.withInitial(Randomness::new);

  private final SecureRandom random = newDrbg();
  private final byte[] buffer = new byte[BUFFER_SIZE];
  private int position = BUFFER_SIZE;

  private Randomness() {}

  /** Fills {@code out[off, off+len)} with fresh random bytes. */
  public static void nextBytes(byte[] out, int off, int len) {
    PER_THREAD.get().fill(out, off, len);
  }

  /**
   * Returns {@code len} fresh random bytes, from this instance (which must be the calling thread's, as {@link
   * AesGcm.Worker#random()} is): as {@link #nextBytes(int)} without the thread-local lookup.
   */
  public byte[] next(int len) {
    byte[] out = new byte[len];
    fill(out, 0, len);
    return out;
  }

  /** This thread's instance, for a caller that draws several times per row (see {@link AesGcm.Worker#random()}). */
  static Randomness forThisThread() {
    return PER_THREAD.get();
  }

  /**
   * Fills {@code out[off, off+len)} with fresh random bytes for a nonce. A nonce is public (it is stored
   * beside its ciphertext), so unlike {@link #nextBytes(byte[], int, int)} this does not zero the slice it
   * took from the buffer; it is still never handed out again.
   */
  public void nextNonce(byte[] out, int off, int len) {
    if (len > BUFFER_SIZE / 4) {
      fill(out, off, len);
      return;
    }
    if (position + len > BUFFER_SIZE) {
      random.nextBytes(buffer);
      position = 0;
    }
    int at = position;
    ByteWords.copy(buffer, at, out, off, len);
    position = at + len;
  }

  /** Returns {@code len} fresh random bytes. */
  public static byte[] nextBytes(int len) {
    return PER_THREAD.get().next(len);
  }

  private void fill(byte[] out, int off, int len) {
    if (len > BUFFER_SIZE / 4) {
      byte[] direct = new byte[len];
      random.nextBytes(direct);
      System.arraycopy(direct, 0, out, off, len);
      Arrays.fill(direct, (byte) 0);
      return;
    }
    if (position + len > BUFFER_SIZE) {
      random.nextBytes(buffer);
      position = 0;
    }
    int at = position;
    ByteWords.copy(buffer, at, out, off, len);
    ByteWords.zero(buffer, at, at + len);
    position = at + len;
  }

  private static SecureRandom newDrbg() {
    try {
      return SecureRandom.getInstance("DRBG",
          DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no DRBG SecureRandom with 256-bit strength", e);
    }
  }
}
