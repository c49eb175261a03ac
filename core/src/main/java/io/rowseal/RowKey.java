package io.rowseal;

import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.errors.RowSealException;
import io.rowseal.errors.TypeMismatchException;
import io.rowseal.errors.UnsupportedFormatVersionException;
import io.rowseal.format.PlaintextCodec;
import io.rowseal.format.ValueFormat;
import io.rowseal.internal.AesGcm;
import io.rowseal.internal.ByteWords;
import io.rowseal.internal.GcmProvider;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import org.jspecify.annotations.Nullable;

/**
 * One row's data key, open: encrypts the row's values and decrypts them, each bound to table, column
 * and (for a row-bound row) row id. Obtained from {@link RowSeal#newRowKey} or {@link RowSeal#openRowKey};
 * {@link #close()} zeroes the key bytes it holds. SQL NULL stays null and is never encrypted.
 * Thread-safe until closed. {@code toString()} names the table, row and key reference, nothing secret.
 *
 * <p>Every failure names the table, column, row id and key reference, and never the plaintext,
 * ciphertext or key bytes. Nothing here returns null for a non-null stored value, or a value it could
 * not authenticate.
 */
public final class RowKey implements AutoCloseable {
  private final EncryptedTable table;
  private final RowId rowId;
  private final RowId boundRowId;
  private final KeyRef keyRef;
  private final byte[] companion;
  private final DataKey dataKey;
  private final GcmProvider crypto;
  /** The worker of the thread that made or opened this key, where the values are usually sealed or opened. */
  private final AesGcm.Worker worker;

  RowKey(EncryptedTable table, RowId rowId, RowId boundRowId, KeyRef keyRef, byte[] companion, DataKey dataKey,
      GcmProvider crypto, AesGcm.Worker worker) {
    this.table = table;
    this.rowId = rowId;
    this.boundRowId = boundRowId;
    this.keyRef = keyRef;
    this.companion = companion;
    this.dataKey = dataKey;
    this.crypto = crypto;
    this.worker = worker;
  }

  /** The calling thread's worker: usually the one this key was made on, with no thread-local lookup. */
  private AesGcm.Worker worker() {
    AesGcm.Worker w = worker;
    return w.isCurrent() ? w : AesGcm.worker();
  }

  public EncryptedTable table() {
    return table;
  }

  /** The row's id as given when the key was made or opened. */
  public RowId rowId() {
    return rowId;
  }

  /** Whether the key and values are bound to the row id (false for rows written before their id was known). */
  public boolean isRowBound() {
    return boundRowId.isBound();
  }

  /** The reference of the master key that wrapped this data key. */
  public KeyRef keyRef() {
    return keyRef;
  }

  /** The companion column's bytes: the wrapped data key with its header (a copy). */
  public byte[] companion() {
    return companion.clone();
  }

  /**
   * Encrypts {@code value} for {@code column} in the column's storage form: a {@code byte[]} for
   * {@link StorageForm#BINARY}, a {@code String} for {@link StorageForm#TEXT}; null for null.
   */
  public @Nullable Object encrypt(EncryptedColumn column, @Nullable Object value) {
    if (value == null) {
      return null;
    }
    byte[] binary = encryptBinary(column, value);
    return column.storage() == StorageForm.TEXT ? ValueFormat.toText(binary) : binary;
  }

  /**
   * Encrypts a non-null value to the binary form, whatever the column's storage form.
   *
   * @throws IllegalArgumentException if the value's type is not the column's, or a string holds an
   *     unpaired surrogate
   */
  public byte[] encryptBinary(EncryptedColumn column, Object value) {
    checkColumn(column);
    if (!column.valueClass().isInstance(value)) {
      throw new IllegalArgumentException("Cannot encrypt " + column.table().name() + "." + column.name() + ", row "
          + rowId + ": expected a " + column.javaType().getName() + ", got a " + value.getClass().getName());
    }
    AesGcm.Worker w = worker();
    byte[] buffer = w.plaintextBuffer(0);
    int length = 0;
    try {
      length = PlaintextCodec.encodeInto(column.valueType(), value, buffer, w.charBuffer());
      if (length < 0) {
        buffer = new byte[-length];
        length = PlaintextCodec.encodeInto(column.valueType(), value, buffer);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot encrypt " + column.table().name() + "." + column.name() + ", row "
          + rowId + ": " + e.getMessage());
    }
    try {
      return ValueFormat.seal(w, crypto, dataKey.secretKey(), column.aadPrefix(), boundRowId.aadPart(), buffer, 0,
          length);
    } finally {
      ByteWords.zero(buffer, 0, length);
    }
  }

  /**
   * Decrypts a stored value ({@code byte[]} binary form or {@code String} text form; null for null) to
   * {@code type}.
   *
   * @throws DecryptionFailedException if it fails authentication
   * @throws InvalidFormatException if it is not in a RowSeal value format
   * @throws UnsupportedFormatVersionException if it carries an unknown format version
   * @throws TypeMismatchException if it was written as another type than {@code type}
   */
  public <T> @Nullable T decrypt(EncryptedColumn column, @Nullable Object stored, Class<T> type) {
    if (stored == null) {
      return null;
    }
    checkColumn(column);
    byte[] buffer = null;
    int length = 0; // zeroed whether or not the JCE wrote before failing
    try {
      byte[] binary = binaryForm(stored);
      length = ValueFormat.plaintextLength(binary);
      AesGcm.Worker w = worker();
      buffer = w.plaintextBuffer(length);
      ValueFormat.openInto(w, crypto, dataKey.secretKey(), column.aadPrefix(), boundRowId.aadPart(), binary, buffer);
      return PlaintextCodec.decode(buffer, 0, length, type);
    } catch (RowSealException e) {
      throw Failures.withContext(e, "Cannot decrypt " + where(column));
    } finally {
      if (buffer != null) {
        ByteWords.zero(buffer, 0, length);
      }
    }
  }

  /** Decrypts a stored value to the column's Java type. */
  public @Nullable Object decrypt(EncryptedColumn column, @Nullable Object stored) {
    return decrypt(column, stored, column.javaType());
  }

  private static byte[] binaryForm(Object stored) {
    if (stored instanceof byte[]) {
      return (byte[]) stored;
    } else if (stored instanceof String) {
      return ValueFormat.fromText((String) stored);
    }
    throw new InvalidFormatException("stored value is a " + stored.getClass().getName()
        + ", expected byte[] (binary form) or String (text form)");
  }

  private void checkColumn(EncryptedColumn column) {
    if (column.table() != table) {
      throw new IllegalArgumentException("column " + column + " belongs to table " + column.table().name()
          + ", but this key is for table " + table.name());
    }
  }

  private String where(EncryptedColumn column) {
    return table.name() + "." + column.name() + ", row " + rowId + (isRowBound() ? "" : " (written unbound)")
        + ", wrapped by key " + keyRef;
  }

  RowId boundRowId() {
    return boundRowId;
  }

  byte[] dataKeyBytes() {
    return dataKey.copyOfBytes();
  }

  /** Zeroes the data key bytes this object holds; it must not be used afterwards. */
  @Override
  public void close() {
    dataKey.destroy();
  }

  @Override
  public String toString() {
    return "RowKey[table=" + table.name() + ", row=" + rowId + ", wrappedBy=" + keyRef + "]";
  }
}
