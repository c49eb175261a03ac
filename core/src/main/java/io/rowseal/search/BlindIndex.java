package io.rowseal.search;

import io.rowseal.SearchIndex;
import io.rowseal.Normalization;
import io.rowseal.EncryptedColumn;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.internal.ContextEncoding;
import io.rowseal.format.PlaintextCodec;
import io.rowseal.key.DataKey;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The blind-index value format, version 1 (docs/FORMAT.md §7):
 * <pre>
 * offset 0  1 byte   format version = 0x01
 * offset 1  4 bytes  index key version, big-endian unsigned (1..2^31-1)
 * offset 5  n bytes  HMAC-SHA-256(K_v, ctx("rowseal/index/1", table, column) ‖ encode(normalise(value)))
 *                    truncated to n = ceil(bits / 8) bytes, the unused low bits of the last byte zero
 * </pre>
 * {@code table} and {@code column} are the logical names; {@code encode} is the encoded plaintext (type
 * tag and body) of the normalised value. Equal normalised values of one column under one key version give
 * equal index values; anything else gives unrelated ones (up to truncation collisions). Stateless and
 * thread-safe.
 */
public final class BlindIndex {
  /** The format version byte. */
  public static final int FORMAT = 0x01;
  /** The domain label that starts the HMAC input. */
  public static final String DOMAIN = "rowseal/index/1";
  /** Bytes before the HMAC: format and key version. */
  public static final int HEADER = 5;

  // One Mac per thread, initialised with the last index key it was used with: the per-row cost is then the
  // HMAC itself, with no key copy, SecretKeySpec or init while a thread keeps computing under one key (which it
  // does for a whole statement or batch). The JCE Mac keeps its own copy of the last key until it is initialised
  // with another one (best effort, as for DataKey); the DataKey is compared by identity, and a cache reload
  // makes a new DataKey object, so a Mac is never reused across keys.
  private static final class ThreadMac {
    final Mac mac;
    @org.jspecify.annotations.Nullable DataKey key;

    ThreadMac() {
      try {
        mac = Mac.getInstance("HmacSHA256");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JVM has no HmacSHA256", e);
      }
    }
  }

  private static final ThreadLocal<ThreadMac> MACS = ThreadLocal.withInitial(ThreadMac::new);

  private BlindIndex() {}

  /**
   * The bytes the HMAC covers after the context: the encoded plaintext of {@code value} (of the column's
   * Java type), normalised first for a string column.
   */
  public static byte[] normalisedEncoding(EncryptedColumn column, Object value) {
    SearchIndex s = column.searchIndex();
    Normalization n = s == null ? Normalization.NONE : s.normalization();
    if (value instanceof String) {
      return PlaintextCodec.encode(n.apply((String) value));
    }
    return PlaintextCodec.encode(value);
  }

  /** {@code value} normalised for comparison: a string through the column's normalisation, else itself. */
  public static Object normalised(EncryptedColumn column, Object value) {
    SearchIndex s = column.searchIndex();
    if (s != null && value instanceof String) {
      return s.normalization().apply((String) value);
    }
    return value;
  }

  /**
   * The index value of {@code encoded} (see {@link #normalisedEncoding}) under {@code key}, version
   * {@code version}, for the column with logical names {@code table}.{@code column}, truncated to
   * {@code bits}.
   */
  public static byte[] compute(DataKey key, int version, String table, String column, int bits, byte[] encoded) {
    return compute(key, version, prefix(table, column), bits, encoded);
  }

  /** The bytes the HMAC starts with for the column with logical names {@code table}.{@code column}. */
  static byte[] prefix(String table, String column) {
    return ContextEncoding.encode(DOMAIN, table, column);
  }

  /** As {@link #compute(DataKey, int, String, String, int, byte[])}, with the column's {@link #prefix}. */
  static byte[] compute(DataKey key, int version, byte[] prefix, int bits, byte[] encoded) {
    if (version < 1) {
      throw new IllegalArgumentException("index key versions start at 1, was " + version);
    }
    if (bits < SearchIndex.MIN_BITS || bits > SearchIndex.FULL_BITS) {
      throw new IllegalArgumentException("bits must be in 8..256, was " + bits);
    }
    key.secretKey(); // throws if the key was destroyed
    ThreadMac t = MACS.get();
    byte[] mac;
    try {
      if (t.key != key) {
        t.key = null;
        byte[] raw = key.copyOfBytes();
        try {
          t.mac.init(new SecretKeySpec(raw, "HmacSHA256")); // the JCE keeps its own copy (best effort, see DataKey)
        } finally {
          Arrays.fill(raw, (byte) 0);
        }
        t.key = key;
      }
      t.mac.update(prefix);
      mac = t.mac.doFinal(encoded);
    } catch (GeneralSecurityException | RuntimeException e) {
      t.key = null;
      t.mac.reset();
      if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      throw new IllegalStateException("HMAC-SHA-256 failed", e);
    }
    int n = (bits + 7) / 8;
    byte[] out = new byte[HEADER + n];
    writeHeader(out, version);
    System.arraycopy(mac, 0, out, HEADER, n);
    int unused = n * 8 - bits;
    if (unused > 0) {
      out[HEADER + n - 1] &= (byte) (0xff << unused);
    }
    Arrays.fill(mac, (byte) 0);
    return out;
  }

  /** The smallest possible index value of {@code version}: its 5-byte header. */
  public static byte[] lowerBound(int version) {
    byte[] out = new byte[HEADER];
    writeHeader(out, version);
    return out;
  }

  /** The header of {@code version + 1}: every index value of {@code version} sorts below it (unsigned bytes). */
  public static byte[] upperBound(int version) {
    byte[] out = new byte[HEADER];
    writeHeader(out, version + 1);
    return out;
  }

  /**
   * The key version an index value names.
   *
   * @throws InvalidFormatException if it is too short or has another format byte
   */
  public static int version(byte[] indexValue) {
    if (indexValue.length < HEADER + 1 || (indexValue[0] & 0xff) != FORMAT) {
      throw new InvalidFormatException("not a version-1 blind index value (" + indexValue.length + " bytes)");
    }
    return ((indexValue[1] & 0xff) << 24) | ((indexValue[2] & 0xff) << 16) | ((indexValue[3] & 0xff) << 8)
        | (indexValue[4] & 0xff);
  }

  private static void writeHeader(byte[] out, int version) {
    out[0] = (byte) FORMAT;
    out[1] = (byte) (version >>> 24);
    out[2] = (byte) (version >>> 16);
    out[3] = (byte) (version >>> 8);
    out[4] = (byte) version;
  }
}
