package io.rowseal.key;

import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.internal.ContextEncoding;
import io.rowseal.internal.AesGcm;
import javax.crypto.AEADBadTagException;

/**
 * A master key whose 256-bit AES key is in this process: a local keystore entry ({@code local:<alias>})
 * or an unwrapped hierarchical KEK ({@code kek:<uuid>}). Both wrap the same way:
 *
 * <pre>
 * wrapped = nonce (12 bytes, random) | AES-256-GCM(key, DEK) | tag (16)        = 60 bytes
 * AAD     = ctx("rowseal/dek/1", keyRef, table, rowId)          rowId = "" when not row-bound
 * </pre>
 *
 * Binding the key reference into the AAD means a wrapped key relabelled to another reference fails even
 * if both references resolve to the same bytes. Thread-safe; {@code toString()} shows only the reference.
 */
public final class AesGcmMasterKey implements MasterKey {
  /** Length of the wrapped bytes. */
  public static final int WRAPPED_LENGTH = AesGcm.NONCE_LENGTH + DataKey.LENGTH + AesGcm.TAG_LENGTH;
  private static final String AAD_LABEL = "rowseal/dek/1";

  private final KeyRef ref;
  private final DataKey key;
  private final byte[] aadPrefix;
  private TablePrefix lastTable;

  private AesGcmMasterKey(KeyRef ref, DataKey key) {
    this.ref = ref;
    this.key = key;
    this.aadPrefix = ContextEncoding.encode(AAD_LABEL, ref.toString());
  }

  /** A master key named {@code ref} that wraps with {@code key} (shared, not copied). */
  public static AesGcmMasterKey of(KeyRef ref, DataKey key) {
    return new AesGcmMasterKey(ref, key);
  }

  /**
   * A master key named {@code ref} holding a copy of the 32 bytes {@code key}; the caller should zero
   * its array.
   */
  public static AesGcmMasterKey of(KeyRef ref, byte[] key) {
    return new AesGcmMasterKey(ref, DataKey.copyOf(key));
  }

  @Override
  public KeyRef ref() {
    return ref;
  }

  /** True: the key is in memory, unwrapping is one AES-GCM decryption. */
  @Override
  public boolean isInProcess() {
    return true;
  }

  @Override
  public byte[] wrap(DataKey dataKey, WrapContext context) {
    return wrapWithNonce(dataKey, context, null);
  }

  /**
   * As {@link #wrap}, on {@code worker} (the calling thread's), writing the {@link #WRAPPED_LENGTH} wrapped bytes
   * into {@code out} at {@code off}: for a caller that builds the companion column's bytes around them and already
   * holds the worker, so a row makes one array and one thread-local lookup fewer.
   */
  public void wrapInto(DataKey dataKey, WrapContext context, AesGcm.Worker worker, byte[] out, int off) {
    worker.random().nextNonce(out, off, AesGcm.NONCE_LENGTH);
    sealAt(dataKey, context, worker, out, off);
  }

  /**
   * Wraps under the given nonce. Only for known-answer vectors: a nonce must never repeat under one key.
   */
  byte[] wrapWithNonce(DataKey dataKey, WrapContext context, byte @org.jspecify.annotations.Nullable [] nonce) {
    byte[] out = new byte[WRAPPED_LENGTH];
    AesGcm.Worker worker = AesGcm.worker();
    if (nonce == null) {
      worker.random().nextNonce(out, 0, AesGcm.NONCE_LENGTH);
    } else {
      if (nonce.length != AesGcm.NONCE_LENGTH) {
        throw new IllegalArgumentException("nonce must be 12 bytes, was " + nonce.length);
      }
      System.arraycopy(nonce, 0, out, 0, AesGcm.NONCE_LENGTH);
    }
    sealAt(dataKey, context, worker, out, 0);
    return out;
  }

  /** Seals the data key into {@code out[off + 12, off + 60)} under the nonce at {@code out[off, off + 12)}. */
  private void sealAt(DataKey dataKey, WrapContext context, AesGcm.Worker worker, byte[] out, int off) {
    byte[] plain = dataKey.bytesForWrapping();
    worker.seal(worker.provider(), AesGcm.Role.KEY_WRAPPING, key.secretKey(), out, off, prefixFor(context),
        rowPart(context), plain, 0, plain.length, out, off + AesGcm.NONCE_LENGTH);
  }

  @Override
  public DataKey unwrap(byte[] wrappedKey, WrapContext context) {
    return unwrapFrom(wrappedKey, 0, wrappedKey.length, context, AesGcm.worker());
  }

  /**
   * As {@link #unwrap}, for the wrapped bytes {@code in[off, off + len)} (a companion column's tail, not copied out),
   * on {@code worker} (the calling thread's): for a caller that already holds both.
   */
  public DataKey unwrapFrom(byte[] in, int off, int len, WrapContext context, AesGcm.Worker worker) {
    if (len != WRAPPED_LENGTH) {
      throw new InvalidFormatException("wrapped key is " + len + " bytes; a " + ref.scheme() + " wrap is "
          + WRAPPED_LENGTH);
    }
    byte[] plain;
    try {
      plain = worker.open(worker.provider(), AesGcm.Role.KEY_WRAPPING, key.secretKey(), in, off, prefixFor(context),
          rowPart(context), in, off + AesGcm.NONCE_LENGTH, len - AesGcm.NONCE_LENGTH);
    } catch (AEADBadTagException e) {
      throw new DecryptionFailedException("wrapped key failed authentication");
    }
    return DataKey.adopt(plain); // the JDK's fresh output array; the DataKey zeroes it when destroyed
  }

  /**
   * The AAD's two parts for {@code context}: {@code ctx(label, keyRef) ‖ ctx(table)}, and {@code ctx(rowId)}.
   * The first is kept for the table last used (rows of one table come one after another), so a row only
   * encodes its id.
   */
  private byte[] prefixFor(WrapContext context) {
    TablePrefix last = lastTable;
    String table = context.table();
    if (last != null && (last.table == table || last.table.equals(table))) {
      return last.aad;
    }
    byte[] aad = ContextEncoding.concat(aadPrefix, ContextEncoding.encode(table));
    lastTable = new TablePrefix(table, aad);
    return aad;
  }

  private static byte[] rowPart(WrapContext context) {
    return context.rowIdContext();
  }

  /** An immutable pair; the field holding it is racy on purpose (a stale or lost one only costs an encoding). */
  private static final class TablePrefix {
    final String table;
    final byte[] aad;

    TablePrefix(String table, byte[] aad) {
      this.table = table;
      this.aad = aad;
    }
  }

  @Override
  public String toString() {
    return "AesGcmMasterKey[" + ref + "]";
  }
}
