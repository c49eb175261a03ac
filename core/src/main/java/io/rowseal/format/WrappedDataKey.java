package io.rowseal.format;

import io.rowseal.errors.InvalidFormatException;
import io.rowseal.errors.UnsupportedFormatVersionException;
import io.rowseal.internal.keys.KeyRefTable;
import io.rowseal.key.KeyRef;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A row's wrapped data key as stored in its companion column, version 1.
 *
 * <pre>
 * offset 0    1 byte   format version = 0x01
 * offset 1    1 byte   flags: bit 0 = row-bound; other bits must be 0
 * offset 2    1 byte   n = key reference length in bytes, 1..255
 * offset 3    n bytes  key reference, UTF-8
 * offset 3+n  rest     the master key's wrapped data key (at least 1 byte)
 * </pre>
 *
 * Immutable. {@code toString()} shows the header only, never the wrapped bytes.
 */
public final class WrappedDataKey {
  /** The format version byte. */
  public static final int VERSION = 0x01;
  private static final int FLAG_ROW_BOUND = 0x01;

  private final KeyRef keyRef;
  private final boolean rowBound;
  /** The column bytes; the wrapped key is {@code column[wrappedOffset..]}. Never modified or handed out. */
  private final byte[] column;
  private final int wrappedOffset;

  private WrappedDataKey(KeyRef keyRef, boolean rowBound, byte[] column, int wrappedOffset) {
    this.keyRef = keyRef;
    this.rowBound = rowBound;
    this.column = column;
    this.wrappedOffset = wrappedOffset;
  }

  /** Builds the column bytes for a wrapped key. */
  public static byte[] encode(KeyRef keyRef, boolean rowBound, byte[] wrappedKey) {
    if (wrappedKey.length == 0) {
      throw new IllegalArgumentException("wrapped key is empty");
    }
    byte[] out = withRoomFor(keyRef, rowBound, wrappedKey.length);
    System.arraycopy(wrappedKey, 0, out, out.length - wrappedKey.length, wrappedKey.length);
    return out;
  }

  /**
   * The column bytes for a wrapped key of {@code wrappedLength} bytes with the header written and the wrapped key
   * still zero, at the end ({@code [length - wrappedLength, length)}): for a master key that wraps straight into
   * them ({@link io.rowseal.key.AesGcmMasterKey#wrapInto}). The result is what {@link #encode} gives once filled.
   */
  public static byte[] withRoomFor(KeyRef keyRef, boolean rowBound, int wrappedLength) {
    if (wrappedLength <= 0) {
      throw new IllegalArgumentException("wrapped key is empty");
    }
    byte[] ref = keyRef.toBytes();
    byte[] out = new byte[3 + ref.length + wrappedLength];
    out[0] = VERSION;
    out[1] = (byte) (rowBound ? FLAG_ROW_BOUND : 0);
    out[2] = (byte) ref.length;
    System.arraycopy(ref, 0, out, 3, ref.length);
    return out;
  }

  /**
   * Parses the column bytes.
   *
   * @throws UnsupportedFormatVersionException if the version byte is not 1
   * @throws InvalidFormatException if the header is malformed, the key reference is not valid, or no
   *     wrapped key follows it
   */
  public static WrappedDataKey decode(byte[] column) {
    return decodeOwned(column.clone());
  }

  /**
   * As {@link #decode}, but the result keeps {@code column} instead of a copy: for a caller that made
   * its own copy for this (opening a row copies the companion once, not once per use). The caller must
   * not modify {@code column} afterwards.
   */
  public static WrappedDataKey decodeOwned(byte[] column) {
    if (column.length == 0) {
      throw new InvalidFormatException("wrapped data key is empty");
    }
    if ((column[0] & 0xff) != VERSION) {
      throw new UnsupportedFormatVersionException(String.format(
          "wrapped data key has format version 0x%02x; this RowSeal reads version 0x01", column[0] & 0xff));
    }
    if (column.length < 4) {
      throw new InvalidFormatException("wrapped data key is " + column.length + " bytes, too short for its header");
    }
    int flags = column[1] & 0xff;
    if ((flags & ~FLAG_ROW_BOUND) != 0) {
      throw new InvalidFormatException(String.format("wrapped data key has unknown flag bits 0x%02x", flags));
    }
    int n = column[2] & 0xff;
    if (n == 0 || 3 + n > column.length) {
      throw new InvalidFormatException("wrapped data key's key reference length " + n + " does not fit its "
          + column.length + " bytes");
    }
    if (3 + n == column.length) {
      throw new InvalidFormatException("wrapped data key has no wrapped key after its key reference");
    }
    KeyRef ref;
    try {
      ref = KeyRefTable.parse(column, 3, n);
    } catch (IllegalArgumentException e) {
      // Not chained: the parser's message quotes the bytes, and a bad length byte makes them run on
      // into the wrapped key.
      throw new InvalidFormatException("wrapped data key's key reference is malformed");
    }
    return new WrappedDataKey(ref, (flags & FLAG_ROW_BOUND) != 0, column, 3 + n);
  }

  /**
   * The key reference in column bytes that {@link #decode} may reject, if their version byte is 1 and
   * they still hold a whole, well-formed reference; otherwise null. Only for naming the key in an error
   * message: it says which key the row names, not that the row is sound.
   */
  public static @Nullable KeyRef readableKeyRef(byte[] column) {
    if (column.length < 4 || (column[0] & 0xff) != VERSION) {
      return null;
    }
    int n = column[2] & 0xff;
    if (n == 0 || 3 + n > column.length) {
      return null;
    }
    try {
      return KeyRefTable.parse(column, 3, n);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The reference of the master key that wrapped the data key. */
  public KeyRef keyRef() {
    return keyRef;
  }

  /** Whether the wrap is bound to the row id (bit 0 of the flags). */
  public boolean isRowBound() {
    return rowBound;
  }

  /**
   * Where the master key's wrapped bytes start in the column bytes this was decoded from ({@link #decodeOwned}):
   * they run from there to the end.
   */
  public int wrappedOffset() {
    return wrappedOffset;
  }

  /** The master key's wrapped bytes (a copy). */
  public byte[] wrappedKey() {
    return Arrays.copyOfRange(column, wrappedOffset, column.length);
  }

  @Override
  public String toString() {
    return "WrappedDataKey[v1, keyRef=" + keyRef + ", rowBound=" + rowBound + ", wrapped=" + (column.length - wrappedOffset) + " bytes]";
  }
}
