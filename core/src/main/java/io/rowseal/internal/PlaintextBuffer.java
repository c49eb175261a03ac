package io.rowseal.internal;

/**
 * One reused buffer per thread for a value's encoded plaintext between the type codec and AES-GCM, so
 * sealing or opening a value allocates no plaintext array. It holds plaintext: every user zeroes what
 * it wrote before returning, also on failure. Values longer than {@value #SIZE} bytes get a fresh array
 * ({@link #get(int)}), which the caller zeroes the same way. Nothing that runs while a caller holds the
 * buffer calls back into RowSeal, so one thread never uses it twice at once. The buffer lives in the
 * thread's {@link AesGcm.Worker}, so a hot path that holds the worker reaches it without a lookup.
 */
public final class PlaintextBuffer {
  /** The reused buffer's size in bytes. */
  public static final int SIZE = 1024;
  private PlaintextBuffer() {}

  /** This thread's buffer. */
  public static byte[] get() {
    return AesGcm.worker().plaintextBuffer();
  }

  /** This thread's buffer if it has room for {@code length} bytes, otherwise a new array of that length. */
  public static byte[] get(int length) {
    return AesGcm.worker().plaintextBuffer(length);
  }
}
