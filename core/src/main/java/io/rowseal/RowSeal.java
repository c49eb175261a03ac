package io.rowseal;

import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.errors.RowSealException;
import io.rowseal.errors.UnsupportedFormatVersionException;
import io.micrometer.core.instrument.MeterRegistry;
import io.rowseal.internal.ContextEncoding;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.internal.AesGcm;
import io.rowseal.internal.ByteKey;
import io.rowseal.internal.GcmProvider;
import io.rowseal.internal.keys.KeyCache;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyProvider;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import io.rowseal.key.WrapContext;
import io.rowseal.key.kek.KekStore;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>Modes: <b>direct</b> (the default) wraps each data key with the key ring's active master key;
 * <b>hierarchical</b> ({@link Builder#hierarchical(KekStore)}) wraps data keys with a KEK kept in table
 * {@code rowseal_kek}, itself wrapped by the master key, so a KMS is called about once per KEK per cache
 * lifetime instead of once per row. Data keys unwrapped by a master key outside this process (a KMS) are
 * cached ({@link Builder#dataKeyCache}); keys unwrapped in process (keystore entries, KEKs) are not,
 * since unwrapping them costs less than a cache lookup.
 *
 * <p>AES-GCM runs on the {@link CryptoProvider} chosen at build time ({@link Builder#cryptoProvider}); the
 * engine logs it once at INFO when built and, with a meter registry, publishes gauge
 * {@code rowseal.crypto.provider} (value 1) tagged {@code provider=jdk|accp}.
 */
public final class RowSeal {
  private static final Logger LOG = LoggerFactory.getLogger(RowSeal.class);
  /** The highest {@link Builder#decryptParallelism}: more threads than that only queue behind the driver. */
  public static final int MAX_DECRYPT_PARALLELISM = 64;
  /** How long a process caches blind-index key phases unless configured: 30 s. */
  public static final java.time.Duration DEFAULT_SEARCH_STATE_TTL = java.time.Duration.ofSeconds(30);

  private final KeyRing keyRing;
  private final KeyProvider keys;
  private final @Nullable KeyCache<ByteKey> dataKeys;
  private final Builder settings;
  private final Map<String, EncryptedTable> tables;
  private final boolean schemaValidation;
  private final Set<String> unmanagedTables;
  private final GcmProvider crypto;
  private final int decryptParallelism;
  private final java.time.Duration searchStateTtl;
  private final boolean opensKeysInProcess;

  private RowSeal(Builder b, GcmProvider crypto) {
    this.keyRing = b.keyRing;
    this.keys = b.kekStore == null ? b.keyRing : b.kekStore.over(b.keyRing, b.registry);
    this.dataKeys = b.dataKeyCacheSize == 0 ? null
        : new KeyCache<>("rowseal.dek", b.dataKeyCacheTtl, b.dataKeyCacheSize, b.registry);
    this.settings = b.copy();
    this.tables = Map.copyOf(b.tables);
    this.schemaValidation = b.schemaValidation;
    this.unmanagedTables = Set.copyOf(b.unmanagedTables);
    this.crypto = crypto;
    this.decryptParallelism = b.decryptParallelism;
    this.searchStateTtl = b.searchStateTtl;
    this.opensKeysInProcess = keys == keyRing
        && keyRing.refs().stream().allMatch(ref -> keyRing.find(ref).isInProcess());
    LOG.info("RowSeal - AES-GCM provider {} ({}), requested {}", crypto, crypto.implementation(),
        b.cryptoProvider.name().toLowerCase(Locale.ROOT));
    if (b.registry != null) {
      io.micrometer.core.instrument.Gauge.builder("rowseal.crypto.provider", () -> 1)
          .description("The AES-GCM implementation RowSeal uses (value 1, provider in the tag)")
          .tag("provider", crypto.toString())
          .register(b.registry);
    }
  }

  /**
   * Whether opening a row's data key always stays in this process: direct mode, and every master key of the ring a
   * keystore key. It then costs microseconds and never waits on a KMS or a database, so the JDBC wrapper's
   * read-ahead lets the application's thread decrypt rows queued for its workers while it would otherwise wait.
   */
  public boolean opensKeysInProcess() {
    return opensKeysInProcess;
  }

  /** The AES-GCM implementation this engine resolved at build time: {@code JDK} or {@code ACCP}, never {@code AUTO}. */
  public CryptoProvider cryptoProvider() {
    return CryptoProvider.valueOf(crypto.kind().name());
  }

  /**
   * How many threads the JDBC wrapper decrypts a forward-only, read-only result on ({@link
   * Builder#decryptParallelism}); 1 means on the application's thread, as it reads.
   */
  public int decryptParallelism() {
    return decryptParallelism;
  }

  /**
   * How long a process caches the phases of its blind-index keys ({@link Builder#searchStateTtl}); the
   * re-index job waits at least this long between phases.
   */
  public java.time.Duration searchStateTtl() {
    return searchStateTtl;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The master keys (in hierarchical mode, the keys that wrap the KEKs). */
  public KeyRing keyRing() {
    return keyRing;
  }

  /**
   * A builder holding this engine's key settings (key ring, mode, caches, metrics) and schema-validation
   * settings, and no tables, to
   * derive an engine for other tables. The new engine has caches of its own.
   */
  public Builder toBuilder() {
    Builder b = settings.copy();
    b.tables.clear();
    return b;
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
   * Whether the JDBC wrapper and the Hibernate integration check the database schema against this
   * configuration before the application's first statement (see {@link Builder#schemaValidation}).
   */
  public boolean schemaValidation() {
    return schemaValidation;
  }

  /**
   * Tables, lower-cased, that have a column named like a companion column but are deliberately left
   * unencrypted (see {@link Builder#unmanagedTables}); empty by default.
   */
  public Set<String> unmanagedTables() {
    return unmanagedTables;
  }

  /**
   * A fresh random data key for a new row, wrapped by the active master key: row-bound when
   * {@code rowId} is known, unbound when it is {@link RowId#unbound()}.
   *
   * @throws KeyUnavailableException if the active master key cannot be reached; nothing may be written then
   */
  public RowKey newRowKey(EncryptedTable table, RowId rowId) {
    MasterKey active;
    try {
      active = keys.active();
    } catch (RowSealException e) {
      throw Failures.withContext(e, "Cannot make a data key for " + table.name() + "." + table.companionColumn()
          + ", row " + rowId);
    }
    AesGcm.Worker worker = AesGcm.worker();
    return wrapUnder(worker, active, table, rowId, rowId, DataKey.generate(worker.random()));
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
    byte[] ownCompanion = companion.clone(); // shared by the parsed header and the RowKey, never modified
    WrappedDataKey wrapped;
    try {
      wrapped = WrappedDataKey.decodeOwned(ownCompanion);
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
    AesGcm.Worker worker = AesGcm.worker();
    GcmProvider previous = worker.use(crypto);
    try {
      MasterKey master = keys.find(ref);
      if (master instanceof AesGcmMasterKey) { // a keystore key: unwrapped in place, on this thread's worker
        int off = wrapped.wrappedOffset();
        dataKey = ((AesGcmMasterKey) master).unwrapFrom(ownCompanion, off, ownCompanion.length - off, context, worker);
      } else if (dataKeys == null || master.isInProcess()) {
        dataKey = master.unwrap(wrapped.wrappedKey(), context);
      } else {
        dataKey = dataKeys.copy(cacheKey(context, companion), k -> master.unwrap(wrapped.wrappedKey(), context));
      }
    } catch (RowSealException e) {
      throw Failures.withContext(e, "Cannot open " + where(table, rowId, ref));
    } finally {
      worker.use(previous);
    }
    return new RowKey(table, rowId, effective, ref, ownCompanion, dataKey, crypto, worker);
  }

  /**
   * The same data key re-wrapped under the active master key (lazy rotation), or {@code key} itself if it
   * already is. Data columns sealed with {@code key} stay valid; only the companion changes.
   */
  public RowKey rewrap(RowKey key) {
    MasterKey active = keys.active(); // once: in hierarchical mode each call takes a wrap from the KEK's budget
    if (key.keyRef().equals(active.ref())) {
      return key;
    }
    byte[] bytes = key.dataKeyBytes();
    try {
      return wrapUnder(AesGcm.worker(), active, key.table(), key.rowId(), key.boundRowId(), DataKey.copyOf(bytes));
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The reference of the key that wraps new data keys now (the target of the re-wrap job). */
  public KeyRef activeKeyRef() {
    return keys.active().ref();
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
    MasterKey active = keys.active();
    if (wrapped.keyRef().equals(active.ref())) {
      return companion.clone();
    }
    if (!wrapped.isRowBound() || rowId.isBound()) {
      boolean rowBound = wrapped.isRowBound();
      byte[] moved;
      GcmProvider previous = AesGcm.use(crypto);
      try {
        moved = active.rewrapFrom(keys.find(wrapped.keyRef()), wrapped.wrappedKey(),
            wrapContext(table, rowBound ? rowId : RowId.unbound()));
      } catch (RowSealException e) {
        throw Failures.withContext(e, "Cannot re-wrap " + where(table, rowId, wrapped.keyRef()));
      } finally {
        AesGcm.use(previous);
      }
      if (moved != null) {
        return WrappedDataKey.encode(active.ref(), rowBound, moved);
      }
    }
    try (RowKey opened = openRowKey(table, rowId, companion); RowKey moved = rewrap(opened)) {
      return moved.companion();
    }
  }

  /** Wraps {@code dataKey} under {@code master} on {@code worker}, the calling thread's, into a new row key. */
  private RowKey wrapUnder(AesGcm.Worker worker, MasterKey master, EncryptedTable table, RowId rowId, RowId boundRowId,
      DataKey dataKey) {
    byte[] companion;
    GcmProvider previous = worker.use(crypto);
    try {
      WrapContext context = wrapContext(table, boundRowId);
      if (master instanceof AesGcmMasterKey) { // a keystore key: wrapped straight into the companion's bytes
        companion = WrappedDataKey.withRoomFor(master.ref(), boundRowId.isBound(), AesGcmMasterKey.WRAPPED_LENGTH);
        ((AesGcmMasterKey) master).wrapInto(dataKey, context, worker, companion,
            companion.length - AesGcmMasterKey.WRAPPED_LENGTH);
      } else {
        companion = WrappedDataKey.encode(master.ref(), boundRowId.isBound(), master.wrap(dataKey, context));
      }
    } catch (RowSealException e) {
      dataKey.destroy();
      throw Failures.withContext(e, "Cannot wrap " + where(table, rowId, master.ref()));
    } finally {
      worker.use(previous);
    }
    if (dataKeys != null && !master.isInProcess()) {
      dataKeys.put(cacheKey(wrapContext(table, boundRowId), companion), dataKey);
    }
    return new RowKey(table, rowId, boundRowId, master.ref(), companion, dataKey, crypto, worker);
  }

  // The wrap is valid only for its context, so the context is part of the key: a companion copied to
  // another row must miss and fail to unwrap there, not hit.
  private static ByteKey cacheKey(WrapContext context, byte[] companion) {
    return ByteKey.of(ContextEncoding.encode(context.table(), context.rowId()), companion);
  }

  private static WrapContext wrapContext(EncryptedTable table, RowId rowId) {
    return rowId.isBound()
        ? WrapContext.rowBound(table.logicalName(), rowId.encoded())
        : WrapContext.unbound(table.logicalName());
  }

  private static String where(EncryptedTable table, RowId rowId, KeyRef ref) {
    return "data key of " + table.name() + "." + table.companionColumn() + ", row " + rowId + ", wrapped by key "
        + (ref == null ? "(unreadable reference)" : ref);
  }

  @Override
  public String toString() {
    return "RowSeal[" + (keys == keyRing ? "direct, " + keyRing : "hierarchical, " + keys) + ", tables=" + tables.keySet()
        + ", crypto=" + crypto + "]";
  }

  /** Collects the engine's configuration; {@link #build()} validates it. Not thread-safe. */
  public static final class Builder {
    private KeyRing keyRing;
    private @Nullable KekStore kekStore;
    private Duration dataKeyCacheTtl = Duration.ofMinutes(5);
    private long dataKeyCacheSize = 10_000;
    private @Nullable MeterRegistry registry;
    private final Map<String, EncryptedTable> tables = new LinkedHashMap<>();
    private boolean schemaValidation = true;
    private final Set<String> unmanagedTables = new LinkedHashSet<>();
    private CryptoProvider cryptoProvider = CryptoProvider.AUTO;
    private int decryptParallelism = 1;
    private java.time.Duration searchStateTtl = DEFAULT_SEARCH_STATE_TTL;

    private Builder() {}


    private Builder copy() {
      Builder b = new Builder();
      b.keyRing = keyRing;
      b.kekStore = kekStore;
      b.dataKeyCacheTtl = dataKeyCacheTtl;
      b.dataKeyCacheSize = dataKeyCacheSize;
      b.registry = registry;
      b.tables.putAll(tables);
      b.schemaValidation = schemaValidation;
      b.unmanagedTables.addAll(unmanagedTables);
      b.cryptoProvider = cryptoProvider;
      b.decryptParallelism = decryptParallelism;
      b.searchStateTtl = searchStateTtl;
      return b;
    }

    /**
     * Whether the schema is checked before the application's first statement (on by default): every
     * configured table, id, encrypted and companion column must exist with a type that can hold what
     * RowSeal writes, no id column may be {@code CHAR(n)}, and no table outside the configuration may
     * have a column named like a companion column. The JDBC wrapper checks on its first connection, the
     * Hibernate integration when the SessionFactory starts. Turn it off only where the schema is checked
     * another way.
     */
    public Builder schemaValidation(boolean enabled) {
      this.schemaValidation = enabled;
      return this;
    }

    /**
     * Tables that have a column named like a companion column ({@value EncryptedTable#DEFAULT_COMPANION_COLUMN}
     * or a configured companion name) but are deliberately not encrypted by RowSeal, so that schema
     * validation lets them pass. Replaces any list set before; names are compared case-insensitively.
     *
     * @throws IllegalArgumentException if a name is empty
     */
    public Builder unmanagedTables(Collection<String> names) {
      Set<String> lowered = new LinkedHashSet<>();
      for (String n : names) {
        Objects.requireNonNull(n, "unmanaged table name");
        if (n.isBlank()) {
          throw new IllegalArgumentException("unmanagedTables: a table name is empty");
        }
        lowered.add(n.trim().toLowerCase(Locale.ROOT));
      }
      unmanagedTables.clear();
      unmanagedTables.addAll(lowered);
      return this;
    }

    /**
     * Hierarchical mode: data keys are wrapped by KEKs from {@code store}, which the key ring's master
     * keys wrap. Rows written in direct mode stay readable.
     */
    public Builder hierarchical(KekStore store) {
      this.kekStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Caches data keys unwrapped by master keys outside this process (AWS KMS) for {@code timeToLive},
     * at most {@code maximumSize} of them (5 minutes and 10 000 by default). Concurrent reads of one
     * uncached row make one KMS call. Evicted keys are zeroed.
     */
    public Builder dataKeyCache(Duration timeToLive, long maximumSize) {
      if (timeToLive.isNegative() || timeToLive.isZero()) {
        throw new IllegalArgumentException("dataKeyCache timeToLive must be positive, was " + timeToLive);
      }
      if (maximumSize <= 0) {
        throw new IllegalArgumentException("dataKeyCache maximumSize must be positive, was " + maximumSize
            + " (use noDataKeyCache() to turn it off)");
      }
      this.dataKeyCacheTtl = timeToLive;
      this.dataKeyCacheSize = maximumSize;
      return this;
    }

    /** No cache of unwrapped data keys: every row read from a KMS-wrapped key makes a KMS call. */
    public Builder noDataKeyCache() {
      this.dataKeyCacheSize = 0;
      return this;
    }

    /**
     * Where the key caches report hits, misses, evictions and size (Micrometer's cache metrics, caches
     * {@code rowseal.dek} and {@code rowseal.kek}). None by default.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Which AES-GCM implementation seals and opens values and in-process key wraps ({@link CryptoProvider#AUTO}
     * by default: ACCP on JDK 20 and older when it loads, else the JDK's). {@link #build()} fails when
     * {@link CryptoProvider#ACCP} is asked for and cannot be used; {@code AUTO} never fails.
     */
    public Builder cryptoProvider(CryptoProvider provider) {
      this.cryptoProvider = Objects.requireNonNull(provider, "cryptoProvider");
      return this;
    }

    /**
     * How long each process caches the phases of its blind-index keys (30 s by default); every process of
     * an application must use the same value, and the re-index job waits at least this long between phases.
     */
    public Builder searchStateTtl(java.time.Duration ttl) {
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("searchStateTtl must not be negative, was " + ttl);
      }
      this.searchStateTtl = ttl;
      return this;
    }

    /**
     * How many threads the JDBC wrapper decrypts large results on (1, the default: on the application's
     * thread as it reads each column). Above 1, a forward-only, read-only result set reads rows ahead from
     * the driver and decrypts every encrypted column of them on a shared pool of this many threads while
     * the application consumes them in order (see {@code RowSealDataSource.Builder#decryptParallelism}).
     *
     * @throws IllegalArgumentException if {@code threads} is not 1..{@value #MAX_DECRYPT_PARALLELISM}
     */
    public Builder decryptParallelism(int threads) {
      if (threads < 1 || threads > MAX_DECRYPT_PARALLELISM) {
        throw new IllegalArgumentException("decryptParallelism must be 1.." + MAX_DECRYPT_PARALLELISM + ", was " + threads);
      }
      this.decryptParallelism = threads;
      return this;
    }

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
     * @throws IllegalStateException if no key ring is configured, a table is both configured and
     *     listed as unmanaged, or {@link CryptoProvider#ACCP} was asked for and cannot be used
     */
    public RowSeal build() {
      if (keyRing == null) {
        throw new IllegalStateException("keyRing is required: configure the master keys RowSeal wraps data keys with");
      }
      for (String unmanaged : unmanagedTables) {
        if (tables.containsKey(unmanaged)) {
          throw new IllegalStateException("table " + tables.get(unmanaged).name() + " is configured with encrypted"
              + " columns and also listed in unmanagedTables; remove it from one of them");
        }
      }
      return new RowSeal(this, GcmProvider.resolve(GcmProvider.Kind.valueOf(cryptoProvider.name())));
    }
  }
}
