package io.rowseal.search;

import io.rowseal.SearchIndex;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.rowseal.EncryptedColumn;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.errors.RowSealException;
import io.rowseal.internal.ContextEncoding;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.internal.ByteKey;
import io.rowseal.internal.Hex;
import io.rowseal.internal.keys.KeyCache;
import io.rowseal.internal.keys.SharedKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import io.rowseal.key.WrapContext;
import io.rowseal.key.kek.KekStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/*
 * Rotation of an index key, and why a UNIQUE constraint on a full-length index holds throughout.
 *
 * Each searchable column has an index column A and a rotation column B. Every process reads the
 * versions from rowseal_index_key through a cache that is at most stateTtl old (a stale entry is
 * reloaded before use), so once a change has been committed for longer than stateTtl every process
 * acts on it. The rotation job makes each step only when the previous one is older than stateTtl
 * (plus a margin for a statement already bound); so at any moment the writers of all processes are in
 * at most two adjacent phases. Phases, with what writers write and what lookups match:
 *
 *   0  v1 ACTIVE in A                         write A=h1, B untouched      lookup A
 *   1  v2 PENDING in B  (startRotation)       write A=h1, B=NULL           lookup A
 *   2  v2 ACTIVE        (activate)            write A=h1, B=h2             lookup A or B
 *      reindex fills B for every row (compare-and-set on the row's value)
 *   3  v1 READ_ONLY     (stopWriting)         write A=NULL, B=h2           lookup A or B
 *      reindex clears A for every row
 *   4  v1 RETIRED       (retire)              write A=NULL, B=h2           lookup B
 *   the next rotation starts at phase 1 with the roles of A and B swapped.
 *
 * Adjacent phases always have a column both write with the same version (0/1: A, 1/2: A, 2/3: B,
 * 3/4: B), and every existing row holds the correct value in that column (A: every writer in phases
 * 0..2 writes it; B: the reindex filled it before phase 3 and every writer from phase 2 on writes it).
 * A writer sets every column in use (a value or NULL), so no row ever holds a stale index value: a
 * UNIQUE constraint on A and one on B therefore see every duplicate pair of rows (no violation lost),
 * and only duplicates (none invented). Phase 1 exists so that B holds no stale value when phase 2
 * starts: writers of phase 0 do not know B. The argument in full is in docs/FORMAT.md §7.4.
 */

/**
 * The index keys of searchable columns: 256-bit random keys, one per (table, column, version), wrapped by
 * the key ring's active master key (bound to table, column and version) and stored in the table
 * {@value #TABLE}, created by RowSeal's Flyway migrations ({@link #migrate()}). Unwrapped keys are cached
 * (bounded, time-limited, zeroed on eviction); the version states are cached for at most
 * {@link Builder#stateTtl}. The first use of a searchable column creates its version 1, active, in its
 * index column. Rotation moves through the phases {@link #startRotation}, {@link #activate},
 * {@link #stopWriting} and {@link #retire} (see docs/FORMAT.md §7.4); master-key rotation re-wraps the
 * key rows only ({@link #rewrapKeys}). Thread-safe; never prints key material.
 */
public final class IndexKeyStore {
  /** The table holding the wrapped index keys. */
  public static final String TABLE = "rowseal_index_key";
  private static final String COLUMNS =
      "table_name, column_name, key_version, index_column, state, wrapped_key, created_at_ms, changed_at_ms";

  private final DataSource dataSource;
  private final KeyRing keyRing;
  private final Duration stateTtl;
  private final Ticker ticker;
  private final Clock clock;
  private final KeyCache<ByteKey> keys;
  // keyed by the configured column object (identity): no per-call key to build on the per-row path
  private final Map<EncryptedColumn, Loaded> states = new ConcurrentHashMap<>();

  private IndexKeyStore(Builder b) {
    this.dataSource = b.dataSource;
    this.keyRing = b.keyRing;
    this.stateTtl = b.stateTtl;
    this.ticker = b.ticker;
    this.clock = b.clock;
    this.keys = new KeyCache<>("rowseal.index", b.cacheTtl, b.cacheSize, b.registry, b.ticker,
        com.github.benmanes.caffeine.cache.Scheduler.systemScheduler());
  }

  /**
   * The store an engine configured as {@code rowSeal} uses in {@code dataSource}: its key ring and its
   * {@link io.rowseal.RowSeal#searchStateTtl() state TTL}.
   */
  public static IndexKeyStore of(DataSource dataSource, io.rowseal.RowSeal rowSeal) {
    return builder(dataSource, rowSeal.keyRing()).stateTtl(rowSeal.searchStateTtl()).build();
  }

  /** A store of index keys in {@code dataSource}'s {@value #TABLE}, wrapped by {@code keyRing}'s active key. */
  public static Builder builder(DataSource dataSource, KeyRing keyRing) {
    return new Builder(dataSource, keyRing);
  }

  /** How long a process may act on the index-key states it read: phases must be further apart than this. */
  public Duration stateTtl() {
    return stateTtl;
  }

  /**
   * Creates or upgrades RowSeal's tables ({@value #TABLE} and {@code rowseal_kek}) with Flyway, as
   * {@link KekStore#migrate()} does.
   */
  public void migrate() {
    KekStore.builder(dataSource).build().migrate();
  }

  // ---------------------------------------------------------------- views

  /**
   * The current view of {@code column}'s index (at most {@link #stateTtl()} old); creates version 1 on the
   * column's first use.
   *
   * @throws IllegalArgumentException if the column has no search index
   * @throws KeyUnavailableException if {@value #TABLE} cannot be read or written
   */
  public IndexView view(EncryptedColumn column) {
    Loaded loaded = states.get(column);
    if (loaded == null) {
      requireSearchable(column);
    }
    long now = ticker.read();
    if (loaded == null || now - loaded.readAtNanos >= stateTtl.toNanos()) {
      List<IndexKeyVersion> versions = versions(column);
      if (versions.isEmpty()) {
        createFirst(column);
        versions = versions(column);
      }
      loaded = new Loaded(new IndexView(this, column, versions), now);
      states.put(column, loaded);
    }
    return loaded.view;
  }

  /** Forgets every cached state, so that the next {@link #view} reads {@value #TABLE} again. */
  public void refresh() {
    states.clear();
  }

  /**
   * Every version of {@code column}'s index key, oldest first, read now.
   *
   * @throws KeyUnavailableException if {@value #TABLE} cannot be read, or names a physical column that is
   *     neither the column's index column nor its rotation column
   */
  public List<IndexKeyVersion> versions(EncryptedColumn column) {
    requireSearchable(column);
    List<IndexKeyVersion> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE
            + " WHERE table_name = ? AND column_name = ? ORDER BY key_version")) {
      ps.setString(1, column.table().logicalName());
      ps.setString(2, column.logicalName());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          IndexKeyVersion.State state;
          try {
            state = IndexKeyVersion.State.valueOf(rs.getString(5).toUpperCase(Locale.ROOT).replace('-', '_'));
          } catch (IllegalArgumentException e) {
            throw new KeyUnavailableException(TABLE + " has an unknown state '" + rs.getString(5) + "' for "
                + where(column) + " version " + rs.getInt(3) + "; fix the row");
          }
          String physical = rs.getString(4);
          SearchIndex s = column.searchIndex();
          if (!physical.equalsIgnoreCase(s.column()) && !physical.equalsIgnoreCase(s.rotationColumn())) {
            throw new KeyUnavailableException(TABLE + " places version " + rs.getInt(3) + " of " + where(column)
                + " in column " + physical + ", which is neither its index column " + s.column()
                + " nor its rotation column " + s.rotationColumn() + "; configure the column names it was written with");
          }
          out.add(new IndexKeyVersion(column.table().logicalName(), column.logicalName(), rs.getInt(3), physical,
              state, rs.getLong(7), rs.getLong(8), rs.getBytes(6)));
        }
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
    } catch (SQLException e) {
      throw unreachable(e);
    }
    checkInvariants(column, out);
    return out;
  }

  private static void checkInvariants(EncryptedColumn column, List<IndexKeyVersion> versions) {
    Map<String, IndexKeyVersion> live = new LinkedHashMap<>();
    for (IndexKeyVersion v : versions) {
      if (v.state() == IndexKeyVersion.State.RETIRED) {
        continue;
      }
      IndexKeyVersion other = live.put(v.physicalColumn().toLowerCase(Locale.ROOT), v);
      if (other != null) {
        throw new KeyUnavailableException(TABLE + " has two live versions (" + other.version() + ", " + v.version()
            + ") of " + where(column) + " in column " + v.physicalColumn() + "; retire one");
      }
    }
  }

  private void createFirst(EncryptedColumn column) {
    try {
      insert(column, 1, column.searchIndex().column(), IndexKeyVersion.State.ACTIVE);
    } catch (SQLException e) {
      // another process created it first (primary key): read theirs; any other failure shows on reading
    }
  }

  // ---------------------------------------------------------------- rotation phases

  /**
   * Phase 1: adds the next version, {@link IndexKeyVersion.State#PENDING}, in whichever of the index and
   * rotation columns holds no live version.
   *
   * @return the new version
   * @throws IllegalStateException if a rotation is already running (more than one live version)
   */
  public IndexKeyVersion startRotation(EncryptedColumn column) {
    List<IndexKeyVersion> versions = view(column).versions();
    List<IndexKeyVersion> live = new ArrayList<>();
    int max = 0;
    for (IndexKeyVersion v : versions) {
      max = Math.max(max, v.version());
      if (v.state() != IndexKeyVersion.State.RETIRED) {
        live.add(v);
      }
    }
    if (live.size() != 1 || live.get(0).state() != IndexKeyVersion.State.ACTIVE) {
      throw new IllegalStateException("a rotation of " + where(column) + "'s index key is running already (" + live
          + "); finish it first");
    }
    SearchIndex s = column.searchIndex();
    String free = live.get(0).physicalColumn().equalsIgnoreCase(s.column()) ? s.rotationColumn() : s.column();
    try {
      insert(column, max + 1, free, IndexKeyVersion.State.PENDING);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot add version " + (max + 1) + " of " + where(column)
          + " (another process added it first?): SQLState " + e.getSQLState(), e);
    }
    refresh();
    return find(column, max + 1);
  }

  /** Phase 2: a {@code PENDING} version becomes {@code ACTIVE} (written beside the old one, looked up). */
  public void activate(EncryptedColumn column, int version) {
    transition(column, version, IndexKeyVersion.State.PENDING, IndexKeyVersion.State.ACTIVE);
  }

  /**
   * Phase 3: an {@code ACTIVE} version becomes {@code READ_ONLY}; another version must be active.
   *
   * @throws IllegalStateException if it is the only active version
   */
  public void stopWriting(EncryptedColumn column, int version) {
    boolean otherActive = false;
    for (IndexKeyVersion v : versions(column)) {
      otherActive |= v.version() != version && v.state() == IndexKeyVersion.State.ACTIVE;
    }
    if (!otherActive) {
      throw new IllegalStateException("version " + version + " is the only active index key of " + where(column)
          + "; activate its successor first");
    }
    transition(column, version, IndexKeyVersion.State.ACTIVE, IndexKeyVersion.State.READ_ONLY);
  }

  /** Phase 4: a {@code READ_ONLY} version, whose column the re-index job has cleared, becomes {@code RETIRED}. */
  public void retire(EncryptedColumn column, int version) {
    transition(column, version, IndexKeyVersion.State.READ_ONLY, IndexKeyVersion.State.RETIRED);
  }

  private void transition(EncryptedColumn column, int version, IndexKeyVersion.State from, IndexKeyVersion.State to) {
    int n = update("UPDATE " + TABLE + " SET state = ?, changed_at_ms = ? WHERE table_name = ? AND column_name = ?"
        + " AND key_version = ? AND state = ?", name(to), clock.millis(), column.table().logicalName(),
        column.logicalName(), version, name(from));
    if (n != 1) {
      throw new IllegalStateException("version " + version + " of " + where(column) + "'s index key is not " + name(from)
          + " (found " + find(column, version).state() + "); cannot make it " + name(to));
    }
    refresh();
  }

  private IndexKeyVersion find(EncryptedColumn column, int version) {
    for (IndexKeyVersion v : versions(column)) {
      if (v.version() == version) {
        return v;
      }
    }
    throw new IllegalStateException("no version " + version + " of " + where(column) + "'s index key in " + TABLE);
  }

  // ---------------------------------------------------------------- master-key rotation

  /**
   * Re-wraps every index key row not under {@code masters}' active key (master-key rotation: no index value
   * changes). Each row is written with a compare-and-set on its old wrap, so concurrent and killed runs are
   * safe; run again to finish.
   *
   * @return the number of rows re-wrapped
   * @throws KeyUnavailableException if a master key cannot be reached or the table cannot be read
   */
  public int rewrapKeys(KeyRing masters) {
    MasterKey active = masters.active();
    List<Object[]> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT table_name, column_name, key_version, wrapped_key FROM " + TABLE);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBytes(4)});
      }
    } catch (SQLException e) {
      throw unreachable(e);
    }
    int moved = 0;
    for (Object[] r : rows) {
      byte[] old = (byte[]) r[3];
      WrappedDataKey wrapped = WrappedDataKey.decode(old);
      if (wrapped.keyRef().equals(active.ref())) {
        continue;
      }
      WrapContext context = context((String) r[0], (String) r[1], (Integer) r[2]);
      MasterKey source = masters.find(wrapped.keyRef());
      byte[] fresh = active.rewrapFrom(source, wrapped.wrappedKey(), context);
      if (fresh == null) {
        DataKey key = source.unwrap(wrapped.wrappedKey(), context);
        try {
          fresh = active.wrap(key, context);
        } finally {
          key.destroy();
        }
      }
      moved += update("UPDATE " + TABLE + " SET wrapped_key = ? WHERE table_name = ? AND column_name = ? AND key_version = ?"
          + " AND wrapped_key = ?", WrappedDataKey.encode(active.ref(), true, fresh), r[0], r[1], r[2], old);
    }
    return moved;
  }

  /** Index key rows per reference of the master key that wraps them, sorted. */
  public Map<String, Long> status() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT wrapped_key FROM " + TABLE);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String ref;
        try {
          ref = WrappedDataKey.decode(rs.getBytes(1)).keyRef().toString();
        } catch (RowSealException e) {
          ref = "(unreadable)";
        }
        counts.merge(ref, 1L, Long::sum);
      }
    } catch (SQLException e) {
      throw unreachable(e);
    }
    return counts;
  }

  // ---------------------------------------------------------------- rows per version

  /**
   * How many rows of {@code column}'s table hold an index value of each version recorded for it, counted
   * in the version's physical column through {@code data} (the application's database; the index's
   * B-tree answers the range). A version whose column does not exist yet counts 0.
   *
   * @throws SQLException if the table cannot be read
   */
  public Map<IndexKeyVersion, Long> rowsPerVersion(Connection data, EncryptedColumn column) throws SQLException {
    Map<IndexKeyVersion, Long> out = new LinkedHashMap<>();
    for (IndexKeyVersion v : versions(column)) {
      String sql = "SELECT COUNT(*) FROM " + column.table().name() + " WHERE " + v.physicalColumn() + " >= ? AND "
          + v.physicalColumn() + " < ?";
      long n;
      try (PreparedStatement ps = data.prepareStatement(sql)) {
        ps.setBytes(1, BlindIndex.lowerBound(v.version()));
        ps.setBytes(2, BlindIndex.upperBound(v.version()));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          n = rs.getLong(1);
        }
      } catch (SQLException e) {
        if (v.state() == IndexKeyVersion.State.PENDING && !column.searchIndex().column().equalsIgnoreCase(v.physicalColumn())) {
          n = 0; // the rotation column may not exist before the first rotation writes it
        } else {
          throw e;
        }
      }
      out.put(v, n);
    }
    return out;
  }

  // ---------------------------------------------------------------- keys

  /** The index value of {@code encoded} under {@code version}'s key. */
  byte[] compute(EncryptedColumn column, IndexKeyVersion version, byte[] encoded) {
    SharedKey shared = keys.acquire(version.cacheKey, k -> unwrap(version, version.context));
    try {
      return BlindIndex.compute(shared.key(), version.version(), version.macPrefix, column.searchIndex().bits(),
          encoded);
    } finally {
      shared.release();
    }
  }

  private DataKey unwrap(IndexKeyVersion version, WrapContext context) {
    try {
      WrappedDataKey wrapped = WrappedDataKey.decode(version.wrappedKey);
      return keyRing.find(wrapped.keyRef()).unwrap(wrapped.wrappedKey(), context);
    } catch (RowSealException e) {
      throw new KeyUnavailableException("Cannot unwrap index key version " + version.version() + " of "
          + version.table() + "." + version.column() + " from " + TABLE + ": " + e.getMessage(), e);
    }
  }

  /**
   * The wrap context of an index key: row-bound in {@value #TABLE} to the hex of ctx(table, column,
   * version), so a wrapped key moved to another column or version fails to unwrap.
   */
  static WrapContext context(String table, String column, int version) {
    return WrapContext.rowBound(TABLE, Hex.encode(ContextEncoding.encode(table, column, Integer.toString(version))));
  }

  private void insert(EncryptedColumn column, int version, String physical, IndexKeyVersion.State state)
      throws SQLException {
    String table = column.table().logicalName();
    String col = column.logicalName();
    MasterKey active = keyRing.active();
    DataKey key = DataKey.generate();
    byte[] wrapped;
    try {
      wrapped = WrappedDataKey.encode(active.ref(), true, active.wrap(key, context(table, col, version)));
    } finally {
      key.destroy();
    }
    long now = clock.millis();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, table);
      ps.setString(2, col);
      ps.setInt(3, version);
      ps.setString(4, physical);
      ps.setString(5, name(state));
      ps.setBytes(6, wrapped);
      ps.setLong(7, now);
      ps.setLong(8, now);
      ps.executeUpdate();
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
  }

  private int update(String sql, Object... params) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      int n = ps.executeUpdate();
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return n;
    } catch (SQLException e) {
      throw unreachable(e);
    }
  }

  private static String name(IndexKeyVersion.State state) {
    return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static void requireSearchable(EncryptedColumn column) {
    if (column.searchIndex() == null) {
      throw new IllegalArgumentException(column + " has no search index");
    }
  }

  private static String where(EncryptedColumn column) {
    return column.table().name() + "." + column.name();
  }

  private static KeyUnavailableException unreachable(SQLException e) {
    return new KeyUnavailableException("cannot read or write the index key table " + TABLE + " (SQLState "
        + e.getSQLState() + "); check that it exists (IndexKeyStore.migrate()) and the database is reachable", e);
  }

  @Override
  public String toString() {
    return "IndexKeyStore[" + TABLE + ", stateTtl=" + stateTtl + ", cached keys=" + keys.size() + "]";
  }

  private static final class Loaded {
    final IndexView view;
    final long readAtNanos;

    Loaded(IndexView view, long readAtNanos) {
      this.view = view;
      this.readAtNanos = readAtNanos;
    }
  }

  /** The store's settings. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final KeyRing keyRing;
    private Duration stateTtl = Duration.ofSeconds(30);
    private Duration cacheTtl = Duration.ofMinutes(10);
    private long cacheSize = 1_000;
    private @Nullable MeterRegistry registry;
    private Ticker ticker = Ticker.systemTicker();
    private Clock clock = Clock.systemUTC();

    private Builder(DataSource dataSource, KeyRing keyRing) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.keyRing = Objects.requireNonNull(keyRing, "keyRing");
    }

    /** How long index-key states are cached per process (30 s by default); rotation phases wait longer than this. */
    public Builder stateTtl(Duration ttl) {
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("index key stateTtl must not be negative, was " + ttl);
      }
      this.stateTtl = ttl;
      return this;
    }

    /** Unwrapped index keys are cached this long and at most this many (10 minutes, 1 000 by default). */
    public Builder keyCache(Duration timeToLive, long maximumSize) {
      if (timeToLive.isNegative() || timeToLive.isZero()) {
        throw new IllegalArgumentException("index key cache timeToLive must be positive, was " + timeToLive);
      }
      if (maximumSize <= 0) {
        throw new IllegalArgumentException("index key cache maximumSize must be positive, was " + maximumSize);
      }
      this.cacheTtl = timeToLive;
      this.cacheSize = maximumSize;
      return this;
    }

    /** Where the key cache reports its metrics (cache name {@code rowseal.index}). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The time source for the state and key caches (tests pass a fake). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The clock for the recorded creation and change times. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public IndexKeyStore build() {
      return new IndexKeyStore(this);
    }
  }
}
