package io.rowseal.search;

/**
 * One version of a searchable column's index key, as recorded in {@code rowseal_index_key}: which physical
 * column its index values live in and its phase. Holds no key material. Immutable.
 */
public final class IndexKeyVersion {
  /** The phase of an index key version; see {@link IndexKeyStore} for the rotation they make up. */
  public enum State {
    /** Announced: writers write NULL into its column (so that column holds no stale values); not looked up. */
    PENDING,
    /** Written on every insert and update, and looked up. */
    ACTIVE,
    /** Looked up only; writers write NULL into its column. */
    READ_ONLY,
    /** No longer used; its column is (being) cleared. Writers keep writing NULL into it. */
    RETIRED
  }

  private final String table;
  private final String column;
  private final int version;
  private final String physicalColumn;
  private final State state;
  private final long createdAtMillis;
  private final long changedAtMillis;
  final byte[] wrappedKey;
  /** Derived once, not per value: the key's wrap context, its key-cache key and the HMAC's first bytes. */
  final io.rowseal.key.WrapContext context;
  final io.rowseal.internal.ByteKey cacheKey;
  final byte[] macPrefix;

  IndexKeyVersion(String table, String column, int version, String physicalColumn, State state,
      long createdAtMillis, long changedAtMillis, byte[] wrappedKey) {
    this.context = IndexKeyStore.context(table, column, version);
    this.cacheKey = io.rowseal.internal.ByteKey.of(
        io.rowseal.internal.ContextEncoding.encode(context.table(), context.rowId()), wrappedKey);
    this.macPrefix = BlindIndex.prefix(table, column);
    this.table = table;
    this.column = column;
    this.version = version;
    this.physicalColumn = physicalColumn;
    this.state = state;
    this.createdAtMillis = createdAtMillis;
    this.changedAtMillis = changedAtMillis;
    this.wrappedKey = wrappedKey;
  }

  /** The logical table name. */
  public String table() {
    return table;
  }

  /** The logical column name. */
  public String column() {
    return column;
  }

  public int version() {
    return version;
  }

  /** The physical column holding this version's index values. */
  public String physicalColumn() {
    return physicalColumn;
  }

  public State state() {
    return state;
  }

  public long createdAtMillis() {
    return createdAtMillis;
  }

  /** When the state last changed (epoch milliseconds): phases must be at least the state TTL apart. */
  public long changedAtMillis() {
    return changedAtMillis;
  }

  @Override
  public String toString() {
    return "IndexKeyVersion[" + table + "." + column + " v" + version + " in " + physicalColumn + ", " + state + "]";
  }
}
