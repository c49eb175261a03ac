package io.rowseal.internal;

import io.rowseal.internal.Utf8;

/**
 * The context encoding {@code ctx(p1, ..., pk)}: for each part, its UTF-8 length as a 4-byte big-endian
 * unsigned integer, then its UTF-8 bytes. Injective: {@code ctx("ab","c") != ctx("a","bc")}. Used for
 * every AAD and for composite row ids. Stateless and thread-safe.
 */
public final class ContextEncoding {
  private ContextEncoding() {}

  /**
   * Encodes one part: {@code ctx(part)}, the per-row part of every AAD (a row id), without the varargs array
   * and second pass of {@link #encode(String...)}.
   *
   * @throws IllegalArgumentException if it holds an unpaired surrogate
   */
  public static byte[] encode(String part) {
    int n = part.length();
    byte[] out = new byte[4 + n];
    putLength(out, 0, n);
    for (int i = 0; i < n; i++) {
      char c = part.charAt(i);
      if (c >= 0x80) {
        return encodeUtf8(part);
      }
      out[4 + i] = (byte) c;
    }
    return out;
  }

  /**
   * Encodes the parts.
   *
   * @throws IllegalArgumentException if a part holds an unpaired surrogate
   */
  public static byte[] encode(String... parts) {
    // One pass and one array when every part is ASCII (table names, column names, numeric row ids):
    // this runs for every row, and a UTF-8 copy of each part would be garbage at once.
    int total = 0;
    for (String p : parts) {
      total += 4 + p.length();
    }
    byte[] out = new byte[total];
    int pos = 0;
    for (String p : parts) {
      int n = p.length();
      putLength(out, pos, n);
      pos += 4;
      for (int i = 0; i < n; i++) {
        char c = p.charAt(i);
        if (c >= 0x80) {
          return encodeUtf8(parts);
        }
        out[pos + i] = (byte) c;
      }
      pos += n;
    }
    return out;
  }

  private static byte[] encodeUtf8(String... parts) {
    byte[][] utf8 = new byte[parts.length][];
    int total = 0;
    for (int i = 0; i < parts.length; i++) {
      utf8[i] = Utf8.encode(parts[i]);
      total += 4 + utf8[i].length;
    }
    byte[] out = new byte[total];
    int pos = 0;
    for (byte[] part : utf8) {
      putLength(out, pos, part.length);
      System.arraycopy(part, 0, out, pos + 4, part.length);
      pos += 4 + part.length;
    }
    return out;
  }

  /** Concatenates already encoded contexts: {@code ctx(a..) ‖ ctx(b..) == ctx(a.., b..)}. */
  public static byte[] concat(byte[] first, byte[] second) {
    byte[] out = new byte[first.length + second.length];
    System.arraycopy(first, 0, out, 0, first.length);
    System.arraycopy(second, 0, out, first.length, second.length);
    return out;
  }

  private static void putLength(byte[] out, int pos, int n) {
    out[pos] = (byte) (n >>> 24);
    out[pos + 1] = (byte) (n >>> 16);
    out[pos + 2] = (byte) (n >>> 8);
    out[pos + 3] = (byte) n;
  }
}
