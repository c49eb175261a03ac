package io.rowseal.internal;

import java.util.Arrays;

/**
 * A byte array with value equality, as a cache key. Holds wrapped (encrypted) key bytes and context,
 * never secrets; {@code toString()} shows only the length.
 */
public final class ByteKey {
  private final byte[] bytes;
  private final int hash;

  private ByteKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** Concatenates the parts into one key. */
  public static ByteKey of(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, off, p.length);
      off += p.length;
    }
    return new ByteKey(all);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteKey && ((ByteKey) o).hash == hash && Arrays.equals(((ByteKey) o).bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "ByteKey[" + bytes.length + " bytes]";
  }
}
