package io.rowseal;

import io.rowseal.format.WrappedDataKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import io.rowseal.key.WrapContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * RowSeal's per-row envelope engine: gives each new row a fresh data key wrapped by the key ring's
 * active master key, and opens a stored row's data key from its companion column. The JDBC wrapper,
 * the Hibernate integration and the key jobs all go through it. Build with {@link #builder()};
 * immutable and thread-safe.
 *
 * <pre>{@code
 * RowSeal rowSeal = RowSeal.builder()
 *     .keyRing(LocalKeystore.open(path, KeystorePassword.fromEnvironment("ROWSEAL_KEYSTORE_PASSWORD")).keyRing("k1"))
 *     .table(cards)
 *     .build();
 * try (RowKey key = rowSeal.newRowKey(cards, RowId.of(42))) {
 *   byte[] companion = key.companion();
 *   byte[] number = key.encryptBinary(cards.column("card_number"), "4111111111111111");
 * }
 * }</pre>
 */
public final class RowSeal {
  private final KeyRing keyRing;
  private final Map<String, EncryptedTable> tables;

  private RowSeal(Builder b) {
    this.keyRing = b.keyRing;
    this.tables = Map.copyOf(b.tables);
  }

  public static Builder builder() {
    return new Builder();
  }

  public KeyRing keyRing() {
    return keyRing;
  }

  /** The configured tables. */
  public List<EncryptedTable> tables() {
    return List.copyOf(tables.values());
  }

  /**
   * The configured table with this physical name (case-insensitive).
   *
   * @throws IllegalArgumentException if no such table is configured
   */
  public EncryptedTable table(String name) {
    EncryptedTable t = tables.get(name.toLowerCase(Locale.ROOT));
    if (t == null) {
      throw new IllegalArgumentException("table " + name + " is not configured for RowSeal; configured: " + tables.keySet());
    }
    return t;
  }

  /**
   * A fresh random data key for a new row, wrapped by the active master key: row-bound when
   * {@code rowId} is known, unbound when it is {@link RowId#unbound()}.
   *
   * @throws KeyUnavailableException if the active master key cannot be reached; nothing may be written then
   */
  public RowKey newRowKey(EncryptedTable table, RowId rowId) {
    return wrapUnder(keyRing.active(), table, rowId, rowId, DataKey.generate());
  }

  /**
   * Opens a stored row's data key from its companion column bytes. {@code rowId} is the row's primary
   * key as read; for a row written unbound it is only used in error messages.
   *
   * @throws InvalidFormatException if the bytes are not a wrapped data key (or are too short)
   * @throws UnsupportedFormatVersionException if they carry an unknown format version
   * @throws KeyUnavailableException if the key ring has no key with the stored reference, or it is unreachable
   * @throws DecryptionFailedException if the wrapped key fails authentication for this table and row
   */
  public RowKey openRowKey(EncryptedTable table, RowId rowId, byte[] companion) {
    Objects.requireNonNull(companion, "companion");
    WrappedDataKey wrapped;
    try {
      wrapped = WrappedDataKey.decode(companion);
    } catch (RowSealException e) {
      throw Failures.withContext(e, "Cannot open " + where(table, rowId, WrappedDataKey.readableKeyRef(companion)));
    }
    KeyRef ref = wrapped.keyRef();
    if (wrapped.isRowBound() && !rowId.isBound()) {
      throw new DecryptionFailedException("Cannot open " + where(table, rowId, ref)
          + ": the wrapped data key is bound to its row, so the row's id is needed to open it");
    }
    RowId effective = wrapped.isRowBound() ? rowId : RowId.unbound();
    WrapContext context = wrapContext(table, effective);
    DataKey dataKey;
    try {
      MasterKey master = keyRing.find(ref);
      dataKey = master.unwrap(wrapped.wrappedKey(), context);
    } catch (RowSealException e) {
      throw Failures.withContext(e, "Cannot open " + where(table, rowId, ref));
    }
    return new RowKey(table, rowId, effective, ref, companion.clone(), dataKey);
  }

  /**
   * The same data key re-wrapped under the active master key (lazy rotation), or {@code key} itself if it
   * already is. Data columns sealed with {@code key} stay valid; only the companion changes.
   */
  public RowKey rewrap(RowKey key) {
    MasterKey active = keyRing.active();
    if (active.ref().equals(key.keyRef())) {
      return key;
    }
    byte[] bytes = key.dataKeyBytes();
    try {
      return wrapUnder(active, key.table(), key.rowId(), key.boundRowId(), DataKey.copyOf(bytes));
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The reference of the key that wraps new data keys now (the target of the re-wrap job). */
  public KeyRef activeKeyRef() {
    return keyRing.active().ref();
  }

  /**
   * A stored row's companion column re-wrapped under the active key: the same data key, so the row's
   * data columns stay valid. Where the active key can move the wrap itself (AWS KMS {@code ReEncrypt}),
   * the data key never enters this process; otherwise it is unwrapped and wrapped again here.
   *
   * @throws InvalidFormatException if {@code companion} is not a wrapped data key
   * @throws KeyUnavailableException if a key cannot be found or reached
   * @throws DecryptionFailedException if the wrapped key fails authentication for this table and row
   */
  public byte[] rewrapCompanion(EncryptedTable table, RowId rowId, byte[] companion) {
    WrappedDataKey wrapped;
    try {
      wrapped = WrappedDataKey.decode(companion);
    } catch (RowSealException e) {
      throw Failures.withContext(e, "Cannot open " + where(table, rowId, WrappedDataKey.readableKeyRef(companion)));
    }
    MasterKey active = keyRing.active();
    if (wrapped.keyRef().equals(active.ref())) {
      return companion.clone();
    }
    if (!wrapped.isRowBound() || rowId.isBound()) {
      boolean rowBound = wrapped.isRowBound();
      byte[] moved;
      try {
        moved = active.rewrapFrom(keyRing.find(wrapped.keyRef()), wrapped.wrappedKey(),
            wrapContext(table, rowBound ? rowId : RowId.unbound()));
      } catch (RowSealException e) {
        throw Failures.withContext(e, "Cannot re-wrap " + where(table, rowId, wrapped.keyRef()));
      }
      if (moved != null) {
        return WrappedDataKey.encode(active.ref(), rowBound, moved);
      }
    }
    try (RowKey opened = openRowKey(table, rowId, companion); RowKey moved = rewrap(opened)) {
      return moved.companion();
    }
  }

  private RowKey wrapUnder(MasterKey master, EncryptedTable table, RowId rowId, RowId boundRowId, DataKey dataKey) {
    byte[] wrapped;
    try {
      wrapped = master.wrap(dataKey, wrapContext(table, boundRowId));
    } catch (RowSealException e) {
      dataKey.destroy();
      throw Failures.withContext(e, "Cannot wrap " + where(table, rowId, master.ref()));
    }
    byte[] companion = WrappedDataKey.encode(master.ref(), boundRowId.isBound(), wrapped);
    return new RowKey(table, rowId, boundRowId, master.ref(), companion, dataKey);
  }

  private static WrapContext wrapContext(EncryptedTable table, RowId rowId) {
    return rowId.isBound()
        ? WrapContext.rowBound(table.logicalName(), rowId.value())
        : WrapContext.unbound(table.logicalName());
  }

  private static String where(EncryptedTable table, RowId rowId, KeyRef ref) {
    return "data key of " + table.name() + "." + table.companionColumn() + ", row " + rowId + ", wrapped by key "
        + (ref == null ? "(unreadable reference)" : ref);
  }

  @Override
  public String toString() {
    return "RowSeal[" + keyRing + ", tables=" + tables.keySet() + "]";
  }

  /** Collects the engine's configuration; {@link #build()} validates it. Not thread-safe. */
  public static final class Builder {
    private KeyRing keyRing;
    private final Map<String, EncryptedTable> tables = new LinkedHashMap<>();

    private Builder() {}

    /** The master keys: the active one wraps new data keys; all of them unwrap. Required. */
    public Builder keyRing(KeyRing keyRing) {
      this.keyRing = Objects.requireNonNull(keyRing, "keyRing");
      return this;
    }

    /** A table with encrypted columns. */
    public Builder table(EncryptedTable table) {
      String key = table.name().toLowerCase(Locale.ROOT);
      if (tables.containsKey(key)) {
        throw new IllegalArgumentException("table " + table.name() + " is configured twice");
      }
      tables.put(key, table);
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalStateException if no key ring is configured
     */
    public RowSeal build() {
      if (keyRing == null) {
        throw new IllegalStateException("keyRing is required: configure the master keys RowSeal wraps data keys with");
      }
      return new RowSeal(this);
    }
  }
}
