package io.rowseal.format;

import io.rowseal.internal.ContextEncoding;
import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.errors.UnsupportedFormatVersionException;
import io.rowseal.internal.AesGcm;
import io.rowseal.internal.GcmProvider;
import io.rowseal.internal.Randomness;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * The encrypted value, version 1.
 *
 * <pre>
 * binary form:  0x01 | nonce (12 bytes, random per value) | AES-256-GCM(DEK, encoded plaintext) | tag (16)
 * AAD:          ctx("rowseal/value/1", table, column, rowId)      rowId = "" for an unbound row
 * text form:    "rs1:" + standard padded Base64 (RFC 4648 section 4) of the binary form, decoded strictly
 * </pre>
 *
 * <p>The AAD is passed split in two, {@link #aadPrefix(String, String)} (per column, computed once) and
 * {@link #aadRowPart(String)} (per row), because {@code ctx} of a concatenation is the concatenation of
 * the parts' encodings. Errors carry no location; {@link io.rowseal.RowKey} adds table, column, row and
 * key reference. Stateless and thread-safe.
 */
public final class ValueFormat {
  /** The format version byte. */
  public static final int VERSION = 0x01;
  /** The text form's prefix. */
  public static final String TEXT_PREFIX = "rs1:";
  /** Length of a value whose encoded plaintext is empty: version, nonce and tag. */
  public static final int OVERHEAD = 1 + AesGcm.NONCE_LENGTH + AesGcm.TAG_LENGTH;
  private static final String AAD_LABEL = "rowseal/value/1";

  private ValueFormat() {}

  /** {@code ctx("rowseal/value/1", table, column)}: the AAD's per-column part. */
  public static byte[] aadPrefix(String table, String column) {
    return ContextEncoding.encode(AAD_LABEL, table, column);
  }

  /** {@code ctx(rowId)}: the AAD's per-row part ({@code ""} for an unbound row). */
  public static byte[] aadRowPart(String rowId) {
    return ContextEncoding.encode(rowId);
  }

  /** Seals an encoded plaintext under a fresh random nonce; returns the binary form. */
  public static byte[] seal(SecretKey dek, byte[] aadPrefix, byte[] aadRowPart, byte[] encoded) {
    byte[] out = new byte[OVERHEAD + encoded.length];
    out[0] = VERSION;
    Randomness.nextBytes(out, 1, AesGcm.NONCE_LENGTH);
    AesGcm.seal(dek, out, 1, aadPrefix, aadRowPart, encoded, 0, encoded.length, out, 1 + AesGcm.NONCE_LENGTH);
    return out;
  }

  /** Seals the encoded plaintext in {@code encoded[off, off+len)} under a fresh random nonce; returns the binary form. */
  public static byte[] seal(SecretKey dek, byte[] aadPrefix, byte[] aadRowPart, byte[] encoded, int off, int len) {
    byte[] out = new byte[OVERHEAD + len];
    out[0] = VERSION;
    Randomness.nextBytes(out, 1, AesGcm.NONCE_LENGTH);
    AesGcm.seal(dek, out, 1, aadPrefix, aadRowPart, encoded, off, len, out, 1 + AesGcm.NONCE_LENGTH);
    return out;
  }

  /**
   * As {@link #seal(SecretKey, byte[], byte[], byte[], int, int)}, on {@code worker} (the calling thread's) with
   * provider {@code provider}: for a row's hot path, which holds both.
   */
  public static byte[] seal(AesGcm.Worker worker, GcmProvider provider, SecretKey dek, byte[] aadPrefix,
      byte[] aadRowPart, byte[] encoded, int off, int len) {
    byte[] out = new byte[OVERHEAD + len];
    out[0] = VERSION;
    worker.random().nextNonce(out, 1, AesGcm.NONCE_LENGTH);
    worker.seal(provider, AesGcm.Role.DATA, dek, out, 1, aadPrefix, aadRowPart, encoded, off, len, out,
        1 + AesGcm.NONCE_LENGTH);
    return out;
  }

  /** Seals under the given nonce. Only for known-answer vectors: a nonce must never repeat under one key. */
  static byte[] sealWithNonce(SecretKey dek, byte[] aadPrefix, byte[] aadRowPart, byte[] encoded, byte[] nonce) {
    if (nonce.length != AesGcm.NONCE_LENGTH) {
      throw new IllegalArgumentException("nonce must be 12 bytes, was " + nonce.length);
    }
    byte[] out = new byte[OVERHEAD + encoded.length];
    out[0] = VERSION;
    System.arraycopy(nonce, 0, out, 1, AesGcm.NONCE_LENGTH);
    AesGcm.seal(dek, out, 1, aadPrefix, aadRowPart, encoded, 0, encoded.length, out, 1 + AesGcm.NONCE_LENGTH);
    return out;
  }

  /**
   * Authenticates and decrypts the binary form; returns the encoded plaintext.
   *
   * @throws InvalidFormatException if it is too short to be a value
   * @throws UnsupportedFormatVersionException if its version byte is not 1
   * @throws DecryptionFailedException if authentication fails
   */
  public static byte[] open(SecretKey dek, byte[] aadPrefix, byte[] aadRowPart, byte[] binary) {
    checkHeader(binary);
    try {
      return AesGcm.open(dek, binary, 1, aadPrefix, aadRowPart, binary, 1 + AesGcm.NONCE_LENGTH,
          binary.length - 1 - AesGcm.NONCE_LENGTH);
    } catch (AEADBadTagException e) {
      throw new DecryptionFailedException("value failed authentication");
    }
  }

  /** The length of the encoded plaintext in {@code binary}, once its header is checked as {@link #open} checks it. */
  public static int plaintextLength(byte[] binary) {
    checkHeader(binary);
    return binary.length - OVERHEAD;
  }

  /**
   * As {@link #open(SecretKey, byte[], byte[], byte[])}, writing the encoded plaintext to {@code out}
   * from offset 0 (room for {@link #plaintextLength} bytes needed); returns its length. Nothing is
   * written when authentication fails.
   */
  public static int openInto(SecretKey dek, byte[] aadPrefix, byte[] aadRowPart, byte[] binary, byte[] out) {
    checkHeader(binary);
    try {
      return AesGcm.open(AesGcm.Role.DATA, dek, binary, 1, aadPrefix, aadRowPart, binary, 1 + AesGcm.NONCE_LENGTH,
          binary.length - 1 - AesGcm.NONCE_LENGTH, out, 0);
    } catch (AEADBadTagException e) {
      throw new DecryptionFailedException("value failed authentication");
    }
  }

  /**
   * As {@link #openInto(SecretKey, byte[], byte[], byte[], byte[])}, on {@code worker} (the calling thread's)
   * with provider {@code provider}.
   */
  public static int openInto(AesGcm.Worker worker, GcmProvider provider, SecretKey dek, byte[] aadPrefix,
      byte[] aadRowPart, byte[] binary, byte[] out) {
    checkHeader(binary);
    try {
      return worker.open(provider, AesGcm.Role.DATA, dek, binary, 1, aadPrefix, aadRowPart, binary,
          1 + AesGcm.NONCE_LENGTH, binary.length - 1 - AesGcm.NONCE_LENGTH, out, 0);
    } catch (AEADBadTagException e) {
      throw new DecryptionFailedException("value failed authentication");
    }
  }

  private static void checkHeader(byte[] binary) {
    if (binary.length == 0) {
      throw new InvalidFormatException("encrypted value is empty");
    }
    if ((binary[0] & 0xff) != VERSION) {
      throw new UnsupportedFormatVersionException(String.format(
          "encrypted value has format version 0x%02x; this RowSeal reads version 0x01", binary[0] & 0xff));
    }
    if (binary.length < OVERHEAD) {
      throw new InvalidFormatException("encrypted value is " + binary.length + " bytes, shorter than the "
          + OVERHEAD + " of version, nonce and tag");
    }
  }

  /** The text form of a binary form. */
  public static String toText(byte[] binary) {
    byte[] b64 = Base64.getEncoder().encode(binary);
    byte[] out = new byte[4 + b64.length];
    out[0] = 'r';
    out[1] = 's';
    out[2] = '1';
    out[3] = ':';
    System.arraycopy(b64, 0, out, 4, b64.length);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /**
   * The binary form of a text form, decoded strictly: the {@code rs1:} prefix, only the standard
   * alphabet, padding present and correct, no line breaks or spaces, no non-zero trailing bits.
   *
   * @throws InvalidFormatException if the text is not exactly such a form
   */
  public static byte[] fromText(String text) {
    if (!text.startsWith(TEXT_PREFIX)) {
      throw new InvalidFormatException("text value does not start with " + TEXT_PREFIX
          + " (is the column holding plaintext, or another format?)");
    }
    int len = text.length() - TEXT_PREFIX.length();
    if (len == 0 || len % 4 != 0) {
      throw new InvalidFormatException("text value's Base64 has " + len + " characters, not a positive multiple of 4");
    }
    byte[] binary;
    try {
      binary = Base64.getDecoder().decode(text.substring(TEXT_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new InvalidFormatException("text value is not standard Base64");
    }
    // The JDK decoder accepts non-zero trailing bits ("QR==" for "QQ=="); re-encoding rejects them.
    byte[] again = Base64.getEncoder().encode(binary);
    if (!Arrays.equals(again, 0, again.length, text.substring(TEXT_PREFIX.length()).getBytes(StandardCharsets.ISO_8859_1), 0, len)) {
      throw new InvalidFormatException("text value is not canonical Base64");
    }
    return binary;
  }
}
