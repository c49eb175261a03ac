package io.rowseal.key.kek;

import io.micrometer.core.instrument.MeterRegistry;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.errors.RowSealException;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.internal.SqlErrors;
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
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executor;
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
 * the key ring's active master key changes; then the next KEK, made ahead in the background, takes over.
 * No writer waits for the master key (KMS) meanwhile: while the next KEK cannot be made, writers go on
 * under the current one up to {@link #HARD_MAX_WRAPS} wraps (see {@link Builder#maxWraps}). Rows under old
 * KEKs stay readable; the re-wrap job moves them with no master-key call per row. Rotating the master key
 * re-wraps only KEK rows: {@link #rewrapKeks(KeyRing)}.
 *
 * <p>Connections: the store reads {@code rowseal_kek} on a KEK cache miss, on the thread that needs the
 * KEK, which may hold a connection of the application's pool already. Build it with connections of its
 * own ({@link #builder(String, Properties)}) so that pool cannot starve it; see
 * {@link #builder(DataSource)} for what happens on the application's pool. A connection that cannot be
 * had fails with a {@link KeyUnavailableException} saying so, not blaming the table.
 */
public final class KekStore implements AutoCloseable {
  /** The table holding the KEKs. */
  public static final String TABLE = "rowseal_kek";
  /**
   * Where the Flyway migrations live: this, then {@code /postgresql}, {@code /mariadb}, {@code /mysql} or
   * {@code /h2} (Spring Boot's {@code {vendor}} names, so {@code classpath:db/rowseal/{vendor}} works there).
   */
  public static final String MIGRATIONS = "classpath:db/rowseal";
  /** The Flyway history table {@link #migrate()} uses, apart from the application's own. */
  public static final String HISTORY_TABLE = "rowseal_schema_history";

  /**
   * The most data keys one KEK ever wraps, across all processes: 2^31. Each wrap draws a random 96-bit
   * AES-GCM nonce under the KEK; NIST SP 800-38D caps random-nonce use of one key at 2^32 invocations (a
   * nonce collision, which would break GCM's authenticity, then stays below about 2^-33). 2^31 keeps a
   * safety factor of 2 (collision probability about n^2 / 2^97 = 2^-35). {@link Builder#maxWraps} is the
   * soft limit a healthy system rotates at; this hard limit only bounds how long writers may go on under
   * the current KEK while no new one can be made (a KMS outage at rotation time).
   */
  public static final long HARD_MAX_WRAPS = 1L << 31;

  private static final long MAX_BLOCK = 65_536;

  private final DataSource dataSource;
  /** Set by {@link Builder#migrateOnFirstUse()} until the first connection has run {@link #migrate()}. */
  private volatile boolean migrateFirst;
  private boolean migrating; // guarded by this
  final Duration maxAge;
  final long maxWraps;
  final long hardMaxWraps;
  final Executor refreshExecutor;
  final Duration reservationWait;
  final Duration cacheTimeToLive;
  final long cacheMaximumSize;
  final Clock clock;

  private KekStore(Builder b) {
    this.dataSource = b.dataSource;
    this.migrateFirst = b.migrateOnFirstUse;
    this.maxAge = b.maxAge;
    this.maxWraps = b.maxWraps;
    this.hardMaxWraps = b.hardMaxWraps;
    this.refreshExecutor = b.refreshExecutor;
    this.reservationWait = b.reservationWait;
    this.cacheTimeToLive = b.cacheTimeToLive;
    this.cacheMaximumSize = b.cacheMaximumSize;
    this.clock = b.clock;
  }

  /**
   * A store that reads and writes {@code rowseal_kek} through {@code dataSource}. If that is the
   * application's pool, a KEK read on a cache miss (and the first KEK of a process) borrows a second
   * connection while the caller may hold one: with every connection held by such callers it waits for
   * the pool's connection timeout and then fails with a {@link KeyUnavailableException} that says the pool
   * is exhausted. Rotating to a new KEK never makes a writer borrow a connection: it runs in the
   * background while writers go on under the current KEK. Only if a whole block of reserved wraps is used
   * before the background thread got a connection do writers wait for that reservation, for at most two
   * seconds, and then fail with a {@link KeyUnavailableException} (retry), giving back the connections they
   * hold so the reservation can have one. Prefer {@link #builder(String, Properties)}.
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * A store with connections of its own (two, opened through {@link java.sql.DriverManager} on first use,
   * checked before reuse), so the application's pool can never starve a KEK read: the recommended set-up.
   * {@code connectionProperties} are the driver's ({@code user}, {@code password}, ...). Close the store
   * to close them.
   *
   * @throws IllegalArgumentException if {@code jdbcUrl} is not a {@code jdbc:} URL
   */
  public static Builder builder(String jdbcUrl, Properties connectionProperties) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(connectionProperties, "connectionProperties");
    return new Builder(new ReservedConnections(jdbcUrl, connectionProperties, 2, Duration.ofSeconds(10)));
  }

  /** Closes the connections the store opened itself ({@link #builder(String, Properties)}); else nothing. */
  @Override
  public void close() {
    if (dataSource instanceof ReservedConnections) {
      ((ReservedConnections) dataSource).close();
    }
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
    try (Connection c = connection()) {
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

  /** Reserves {@code block} more wraps of KEK {@code id} if that stays within {@code limit}; false if not. */
  boolean reserve(UUID id, long block, long limit) {
    return update("UPDATE " + TABLE + " SET wraps_reserved = wraps_reserved + ? WHERE id = ? AND wraps_reserved <= ?",
        block, id.toString(), limit - block) == 1;
  }

  private boolean replaceWrap(UUID id, byte[] old, byte[] fresh) {
    return update("UPDATE " + TABLE + " SET wrapped_kek = ? WHERE id = ? AND wrapped_kek = ?", fresh, id.toString(), old) == 1;
  }

  private List<KekRecord> query(String sql, @Nullable Object param) {
    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
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
    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
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

  /**
   * A connection from the store's DataSource. Its failure is told apart from a failing statement: an
   * exhausted pool or an unreachable database is not a missing table.
   */
  private Connection connection() throws NoConnection {
    if (migrateFirst) {
      migrateOnce();
    }
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw new NoConnection(e);
    }
  }

  private synchronized void migrateOnce() {
    if (migrateFirst && !migrating) { // migrate() itself asks for a connection (the vendor) on this thread
      migrating = true;
      try {
        migrate(); // a failure leaves the flag set: the next use tries again
        migrateFirst = false;
      } finally {
        migrating = false;
      }
    }
  }

  /** Getting a connection failed (not a statement); carries the driver's or pool's exception. */
  private static final class NoConnection extends SQLException {
    private static final long serialVersionUID = 1L;

    NoConnection(SQLException cause) {
      super(cause.getClass().getSimpleName(), cause.getSQLState(), cause.getErrorCode(), cause);
    }
  }

  // Driver messages may quote the statement's values (wrapped KEKs), so only the exception's class,
  // SQLState and vendor code are told; the driver's exception is not chained, since its message would
  // bring the values back (see io.rowseal.internal.SqlErrors). A pool's timeout message holds none.
  private KeyUnavailableException unreachable(SQLException e) {
    if (e instanceof NoConnection) {
      SQLException cause = (SQLException) e.getCause();
      return new KeyUnavailableException("cannot get a database connection for the KEK table " + TABLE + " from "
          + dataSourceName() + " (" + cause.getClass().getSimpleName() + ", SQLState " + cause.getSQLState() + ": "
          + SqlErrors.redact(cause.getMessage()) + "): the pool is exhausted or the database is unreachable. KEK reads and writes need a connection while"
          + " the caller may hold one: give KekStore its own connections (KekStore.builder(jdbcUrl, properties))"
          + " or size the application's pool above its busiest thread count", SqlErrors.withoutValues(TABLE, cause));
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String what = state.equals("42P01") || state.equals("42S02") || e.getErrorCode() == 1146 || e.getErrorCode() == 42102
        ? "the KEK table " + TABLE + " does not exist; create it with KekStore.migrate() or the migrations in "
            + MIGRATIONS
        : "a statement on the KEK table " + TABLE + " failed; check that the table exists (KekStore.migrate()) and the"
            + " database user may read and write it";
    return new KeyUnavailableException(what + " (" + e.getClass().getSimpleName() + ", SQLState " + e.getSQLState()
        + ", vendor code " + e.getErrorCode() + ")", SqlErrors.withoutValues(TABLE, e));
  }

  private String dataSourceName() {
    return dataSource instanceof ReservedConnections ? dataSource.toString()
        : "the DataSource it was given (" + dataSource.getClass().getName() + ")";
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
    private long hardMaxWraps = HARD_MAX_WRAPS;
    private Executor refreshExecutor = Builder::startRefreshThread;
    private Duration reservationWait = Duration.ofSeconds(2);
    private Duration cacheTimeToLive = Duration.ofMinutes(10);
    private long cacheMaximumSize = 1_000;
    private Clock clock = Clock.systemUTC();
    private boolean migrateOnFirstUse;

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
     * The soft limit: a KEK is replaced after this many wraps, counted across all processes (2^30 by
     * default, at most {@link #HARD_MAX_WRAPS} = 2^31). The next KEK is made ahead, in the background, when
     * the active one has a quarter of a reservation block (at most 16 384 wraps) left, and taken over when
     * this limit is reached. If it is not ready by then (the master key is slow or unreachable), writers go
     * on under the current KEK, past this limit, up to the hard limit {@link #HARD_MAX_WRAPS}; only there
     * do new rows fail until the master key answers.
     */
    public Builder maxWraps(long maxWraps) {
      if (maxWraps <= 0 || maxWraps > HARD_MAX_WRAPS) {
        throw new IllegalArgumentException("KEK maxWraps must be in 1..2^31 (" + HARD_MAX_WRAPS + "), was " + maxWraps);
      }
      this.maxWraps = maxWraps;
      return this;
    }

    /** A lower hard limit than {@link #HARD_MAX_WRAPS} (tests: reach it quickly); at least maxWraps when built. */
    Builder hardMaxWraps(long hardMaxWraps) {
      if (hardMaxWraps <= 0 || hardMaxWraps > HARD_MAX_WRAPS) {
        throw new IllegalArgumentException("KEK hardMaxWraps must be in 1..2^31, was " + hardMaxWraps);
      }
      this.hardMaxWraps = hardMaxWraps;
      return this;
    }

    /**
     * Where the next KEK is prepared (tests: {@code Runnable::run} to prepare it on the writer's thread).
     * By default each preparation gets a daemon thread of its own: they are rare (one per reservation
     * block), and a pool would be one more thing to shut down.
     */
    Builder refreshExecutor(Executor executor) {
      this.refreshExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * How long writers wait for more wraps of the current KEK when the reserved ones are used up before the
     * background reserved more and no next KEK is ready (2 seconds by default); then the write fails with a
     * {@link KeyUnavailableException}. Bounded because the writer may hold a connection of the pool that the
     * reservation is waiting for.
     */
    Builder reservationWait(Duration wait) {
      if (wait.isNegative() || wait.isZero()) {
        throw new IllegalArgumentException("KEK reservationWait must be positive, was " + wait);
      }
      this.reservationWait = wait;
      return this;
    }

    private static void startRefreshThread(Runnable task) {
      Thread t = new Thread(task, "rowseal-kek-refresh");
      t.setDaemon(true);
      t.start();
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

    /**
     * Runs {@link #migrate()} just before the store first reads or writes {@code rowseal_kek}, not when it is
     * built: an application's own Flyway, started after RowSeal is built, then still finds its schema empty.
     */
    public Builder migrateOnFirstUse() {
      this.migrateOnFirstUse = true;
      return this;
    }

    /** The clock for KEK ages (tests). */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalStateException if maxWraps is above the hard limit
     */
    public KekStore build() {
      if (maxWraps > hardMaxWraps) {
        throw new IllegalStateException("KEK maxWraps (" + maxWraps + ") is above the hard limit (" + hardMaxWraps + ")");
      }
      return new KekStore(this);
    }
  }
}
