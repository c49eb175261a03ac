package io.rowseal.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Zeroing, copying and comparing short byte runs (keys, nonces, key references, short plaintexts) eight bytes at
 * a time through byte-array {@link VarHandle} views, then byte by byte for the tail.
 *
 * <p>Why: every row zeroes its data key and plaintext buffer and copies nonces, runs of 12 to a few dozen bytes.
 * For those, {@code Arrays.fill}, {@code System.arraycopy} and {@code Arrays.equals} cost more in their call, set-up
 * and alignment loops than in the bytes they move; on the JDBC scan path the zeroing was among the largest items
 * of RowSeal's own CPU samples (benchmarks/README.md). The views read and write unaligned words; byte order does
 * not matter, since words are only moved, cleared or compared for equality.
 */
public final class ByteWords {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private ByteWords() {}

  /** Sets {@code b[from, to)} to zero. */
  public static void zero(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      LONGS.set(b, i, 0L);
    }
    for (; i < to; i++) {
      b[i] = 0;
    }
  }

  /** Copies {@code len} bytes from {@code src[srcOff..]} to {@code dst[dstOff..]} (the runs must not overlap). */
  public static void copy(byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      LONGS.set(dst, dstOff + i, (long) LONGS.get(src, srcOff + i));
    }
    if (i + 4 <= len) {
      INTS.set(dst, dstOff + i, (int) INTS.get(src, srcOff + i));
      i += 4;
    }
    for (; i < len; i++) {
      dst[dstOff + i] = src[srcOff + i];
    }
  }

  /** Whether {@code a} (all of it) equals {@code b[off, off + len)}. */
  public static boolean equalsRange(byte[] a, byte[] b, int off, int len) {
    if (a.length != len) {
      return false;
    }
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      if ((long) LONGS.get(a, i) != (long) LONGS.get(b, off + i)) {
        return false;
      }
    }
    for (; i < len; i++) {
      if (a[i] != b[off + i]) {
        return false;
      }
    }
    return true;
  }
}
