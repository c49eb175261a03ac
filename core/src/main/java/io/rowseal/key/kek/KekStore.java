package io.rowseal.key.kek;

import io.micrometer.core.instrument.MeterRegistry;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.errors.RowSealException;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyProvider;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import io.rowseal.key.WrapContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Hierarchical mode's key-encryption keys (KEKs): random 256-bit keys generated here, wrapped by a
 * master key (usually AWS KMS) and stored in the table {@code rowseal_kek}; data keys are wrapped by the
 * active KEK in this process, so the master key is called about once per KEK per cache lifetime per
 * process, never per row. Build with {@link #builder(DataSource)}, then give it to
 * {@code RowSeal.builder().hierarchical(store)}. Thread-safe.
 *
 * <p>The table, created by {@link #migrate()} or by the user's Flyway from
 * {@code classpath:db/rowseal/<vendor>} (postgresql, mariadb, mysql, h2):
 * <pre>
 * rowseal_kek(id VARCHAR(36) PRIMARY KEY,   -- the KEK's UUID; rows reference it as kek:&lt;id&gt;
 *             wrapped_kek  bytes NOT NULL,  -- companion format: version, flags, master key reference, wrap
 *             created_at_ms BIGINT NOT NULL,-- epoch milliseconds, for rotation by age
 *             wraps_reserved BIGINT NOT NULL)-- data keys processes may wrap with it, reserved in blocks
 * </pre>
 * A KEK's wrap is row-bound to its id: {@code WrapContext.rowBound("rowseal_kek", id)}.
 *
 * <p>Rotation: a KEK wraps new data keys until it is older than {@link Builder#maxAge} or has wrapped
 * {@link Builder#maxWraps} data keys (counted across processes by reserving blocks in its row), or until
 * the key ring's active master key changes; then a new KEK is made. Rows under old KEKs stay readable;
 * the re-wrap job moves them with no master-key call per row. Rotating the master key re-wraps only
 * KEK rows: {@link #rewrapKeks(KeyRing)}.
 *
 * <p>The store reads {@code rowseal_kek} through its own connections on a KEK cache miss. Give it a
 * DataSource whose pool cannot be exhausted by the threads that wait for that read (a separate small
 * pool, or the application's pool sized above its busiest thread count).
 */
public final class KekStore {
  /** The table holding the KEKs. */
  public static final String TABLE = "rowseal_kek";
  /**
   * Where the Flyway migrations live: this, then {@code /postgresql}, {@code /mariadb}, {@code /mysql} or
   * {@code /h2} (Spring Boot's {@code {vendor}} names, so {@code classpath:db/rowseal/{vendor}} works there).
   */
  public static final String MIGRATIONS = "classpath:db/rowseal";
  /** The Flyway history table {@link #migrate()} uses, apart from the application's own. */
  public static final String HISTORY_TABLE = "rowseal_schema_history";

  private static final long MAX_BLOCK = 65_536;

  private final DataSource dataSource;
  final Duration maxAge;
  final long maxWraps;
  final Duration cacheTimeToLive;
  final long cacheMaximumSize;
  final Clock clock;

  private KekStore(Builder b) {
    this.dataSource = b.dataSource;
    this.maxAge = b.maxAge;
    this.maxWraps = b.maxWraps;
    this.cacheTimeToLive = b.cacheTimeToLive;
    this.cacheMaximumSize = b.cacheMaximumSize;
    this.clock = b.clock;
  }

  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * Creates or upgrades {@code rowseal_kek} with Flyway (an optional dependency: add
   * {@code org.flywaydb:flyway-core}, and {@code flyway-database-postgresql} or {@code flyway-mysql}),
   * recording it in {@value #HISTORY_TABLE} so it never mixes with the application's migrations.
   */
  public void migrate() {
    String location = MIGRATIONS + "/" + vendor();
    try {
      FlywayMigration.run(dataSource, location);
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException("KekStore.migrate() needs Flyway on the class path: add org.flywaydb:flyway-core"
          + " and flyway-database-postgresql or flyway-mysql (H2 needs only flyway-core), or create " + TABLE
          + " with your own migrations from " + location);
    }
  }

  /** Apart, so that Flyway (optional) is loaded only when migrate() runs. */
  private static final class FlywayMigration {
    static void run(DataSource dataSource, String location) {
      org.flywaydb.core.Flyway.configure()
          .dataSource(dataSource)
          .locations(location)
          .table(HISTORY_TABLE)
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    }
  }

  /**
   * The keys of hierarchical mode over {@code masters}: new data keys are wrapped by the active KEK,
   * references {@code kek:<id>} resolve through the KEK cache, any other reference through
   * {@code masters} (so rows written in direct mode stay readable). RowSeal calls this when built.
   *
   * @param registry where the KEK cache reports its metrics (cache name {@code rowseal.kek}), or null
   */
  public KeyProvider over(KeyRing masters, @Nullable MeterRegistry registry) {
    return new KekHierarchy(this, masters, registry);
  }

  /**
   * Re-wraps every KEK row that is not under {@code masters}' active key (master-key rotation: data rows
   * are not touched). Each row is written with a compare-and-set on its old wrap, so concurrent runs and
   * a killed run are safe; run again to finish.
   *
   * @return the number of KEK rows re-wrapped
   * @throws KeyUnavailableException if a master key cannot be reached or the table cannot be read
   */
  public int rewrapKeks(KeyRing masters) {
    MasterKey active = masters.active();
    int moved = 0;
    for (KekRecord r : all()) {
      WrappedDataKey wrapped = WrappedDataKey.decode(r.wrapped);
      if (wrapped.keyRef().equals(active.ref())) {
        continue;
      }
      WrapContext context = contextOf(r.id);
      MasterKey source = masters.find(wrapped.keyRef());
      byte[] fresh = active.rewrapFrom(source, wrapped.wrappedKey(), context);
      if (fresh == null) {
        DataKey kek = source.unwrap(wrapped.wrappedKey(), context);
        try {
          fresh = active.wrap(kek, context);
        } finally {
          kek.destroy();
        }
      }
      if (replaceWrap(r.id, r.wrapped, WrappedDataKey.encode(active.ref(), true, fresh))) {
        moved++;
      }
    }
    return moved;
  }

  /** KEK rows per reference of the master key that wraps them, sorted. */
  public Map<String, Long> status() {
    Map<String, Long> counts = new TreeMap<>();
    for (KekRecord r : all()) {
      String ref;
      try {
        ref = WrappedDataKey.decode(r.wrapped).keyRef().toString();
      } catch (RowSealException e) {
        ref = "(unreadable)";
      }
      counts.merge(ref, 1L, Long::sum);
    }
    return Collections.unmodifiableMap(counts);
  }

  private String vendor() {
    String product;
    try (Connection c = dataSource.getConnection()) {
      product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
    } catch (SQLException e) {
      throw unreachable(e);
    }
    for (String v : new String[] {"postgresql", "mariadb", "mysql", "h2"}) {
      if (product.contains(v)) {
        return v;
      }
    }
    throw new IllegalStateException("RowSeal ships rowseal_kek migrations for PostgreSQL, MariaDB, MySQL and H2,"
        + " not for " + product + "; create the table as KekStore's Javadoc shows");
  }

  static WrapContext contextOf(UUID id) {
    return WrapContext.rowBound(TABLE, id.toString());
  }

  long blockSize() {
    return Math.min(maxWraps, MAX_BLOCK);
  }

  // --- persistence: plain JDBC, portable across PostgreSQL, MariaDB and H2 ---

  List<KekRecord> all() {
    return query("SELECT id, wrapped_kek, created_at_ms, wraps_reserved FROM " + TABLE + " ORDER BY created_at_ms, id", null);
  }

  Optional<KekRecord> find(UUID id) {
    List<KekRecord> found = query("SELECT id, wrapped_kek, created_at_ms, wraps_reserved FROM " + TABLE + " WHERE id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** The most recently created KEKs, newest first (a handful: the candidates for the active one). */
  List<KekRecord> newest() {
    List<KekRecord> all = query("SELECT id, wrapped_kek, created_at_ms, wraps_reserved FROM " + TABLE
        + " WHERE created_at_ms >= ? ORDER BY created_at_ms DESC, id", clock.millis() - maxAge.toMillis());
    return all;
  }

  void insert(KekRecord r) {
    update("INSERT INTO " + TABLE + " (id, wrapped_kek, created_at_ms, wraps_reserved) VALUES (?, ?, ?, ?)",
        r.id.toString(), r.wrapped, r.createdAtMillis, r.wrapsReserved);
  }

  /** Reserves {@code block} more wraps of KEK {@code id} if that stays within the maximum; false if not. */
  boolean reserve(UUID id, long block) {
    return update("UPDATE " + TABLE + " SET wraps_reserved = wraps_reserved + ? WHERE id = ? AND wraps_reserved <= ?",
        block, id.toString(), maxWraps - block) == 1;
  }

  private boolean replaceWrap(UUID id, byte[] old, byte[] fresh) {
    return update("UPDATE " + TABLE + " SET wrapped_kek = ? WHERE id = ? AND wrapped_kek = ?", fresh, id.toString(), old) == 1;
  }

  private List<KekRecord> query(String sql, @Nullable Object param) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (param != null) {
        ps.setObject(1, param instanceof UUID ? param.toString() : param);
      }
      List<KekRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new KekRecord(UUID.fromString(rs.getString(1)), rs.getBytes(2), rs.getLong(3), rs.getLong(4)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw unreachable(e);
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

  private static KeyUnavailableException unreachable(SQLException e) {
    return new KeyUnavailableException("cannot read or write the KEK table " + TABLE + " (SQLState " + e.getSQLState()
        + "); check that it exists (KekStore.migrate()) and the database is reachable", e);
  }

  @Override
  public String toString() {
    return "KekStore[" + TABLE + ", maxAge=" + maxAge + ", maxWraps=" + maxWraps + "]";
  }

  /** The store's settings; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private Duration maxAge = Duration.ofDays(30);
    private long maxWraps = 1L << 30;
    private Duration cacheTimeToLive = Duration.ofMinutes(10);
    private long cacheMaximumSize = 1_000;
    private Clock clock = Clock.systemUTC();

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** A KEK stops wrapping new data keys this long after it was made (30 days by default). */
    public Builder maxAge(Duration maxAge) {
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("KEK maxAge must be positive, was " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * A KEK stops wrapping new data keys after this many wraps, across all processes (2^30 by default,
     * far below the 2^32 random-nonce limit of AES-GCM under one key).
     */
    public Builder maxWraps(long maxWraps) {
      if (maxWraps <= 0 || maxWraps > (1L << 32)) {
        throw new IllegalArgumentException("KEK maxWraps must be in 1..2^32, was " + maxWraps);
      }
      this.maxWraps = maxWraps;
      return this;
    }

    /** Unwrapped KEKs are cached this long and at most this many (10 minutes, 1 000 by default). */
    public Builder cache(Duration timeToLive, long maximumSize) {
      if (timeToLive.isNegative() || timeToLive.isZero()) {
        throw new IllegalArgumentException("KEK cache timeToLive must be positive, was " + timeToLive);
      }
      if (maximumSize <= 0) {
        throw new IllegalArgumentException("KEK cache maximumSize must be positive, was " + maximumSize);
      }
      this.cacheTimeToLive = timeToLive;
      this.cacheMaximumSize = maximumSize;
      return this;
    }

    /** The clock for KEK ages (tests). */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public KekStore build() {
      return new KekStore(this);
    }
  }
}
