package io.rowseal.jdbc;

import io.rowseal.RowSeal;
import io.rowseal.jdbc.internal.JdbcEngine;
import java.sql.Connection;
import java.util.Objects;
import java.util.Optional;

/**
 * Wraps individual JDBC connections so that their statements encrypt and decrypt RowSeal's configured
 * columns, for code that receives connections rather than a {@link javax.sql.DataSource}: a framework's
 * connection provider (the Hibernate integration uses this), a pool's connection customizer, a test.
 * Where a DataSource is at hand, {@link RowSealDataSource} is simpler (it is built on this class).
 *
 * <pre>{@code
 * RowSealConnections connections = RowSealConnections.create(rowSeal);
 * Connection c = connections.wrap(pool.getConnection());
 * }</pre>
 *
 * <p>One instance holds one bounded cache of statement plans (each distinct SQL text is parsed once), shared by
 * every connection it wraps; create one per {@link RowSeal} configuration and reuse it. Wrapped connections
 * behave as described in {@link RowSealDataSource}: the same rewriting, the same rejections (SQLState
 * {@code 0A000}) and the same decryption.
 *
 * <p>Thread-safe. Each wrapped connection follows JDBC's usual one-thread-at-a-time rule.
 */
public final class RowSealConnections {
  private final JdbcEngine engine;

  private RowSealConnections(JdbcEngine engine) {
    this.engine = engine;
  }

  /** Wraps connections for {@code rowSeal}'s tables with default settings. */
  public static RowSealConnections create(RowSeal rowSeal) {
    return builder(rowSeal).build();
  }

  /** A builder for non-default settings. */
  public static Builder builder(RowSeal rowSeal) {
    return new Builder(rowSeal);
  }

  /**
   * {@code connection}, wrapped: its statements encrypt, re-key and decrypt this configuration's tables.
   * Closing the returned connection closes {@code connection}. {@link Connection#unwrap} does not reach it
   * (the driver's connection would bypass RowSeal): keep your own reference for such work.
   *
   * @throws NullPointerException if {@code connection} is null
   * @throws IllegalArgumentException if {@code connection} already goes through RowSeal (see {@link #rowSealOf}):
   *     the pool is wrapped once
   */
  public Connection wrap(Connection connection) {
    return engine.wrap(Objects.requireNonNull(connection, "connection"));
  }

  /**
   * The configuration a connection encrypts with, if it goes through RowSeal: it was handed out by a
   * {@link RowSealDataSource} or a {@code RowSealConnections}, or it is a pool's proxy (HikariCP's, for one) of
   * such a connection. Integrations use this to find a pool that is already wrapped and not wrap it again.
   * Empty for any other connection.
   */
  public static Optional<RowSeal> rowSealOf(Connection connection) {
    return JdbcEngine.of(Objects.requireNonNull(connection, "connection")).map(JdbcEngine::rowSeal);
  }

  /** The configuration these connections encrypt with. */
  public RowSeal rowSeal() {
    return engine.rowSeal();
  }

  /**
   * Tells RowSeal that tables' columns changed outside its wrapped connections (a migration run on another
   * DataSource or by another process): cached statement plans, some of which expanded {@code SELECT *},
   * are dropped and made again. Schema changes run through a wrapped connection do this themselves.
   */
  public void schemaChanged() {
    engine.schemaChanged();
  }

  @Override
  public String toString() {
    return "RowSealConnections[" + engine.rowSeal() + "]";
  }

  /** Settings for {@link RowSealConnections}; {@link #build()} returns an immutable instance. Not thread-safe. */
  public static final class Builder {
    private final RowSeal rowSeal;
    private int planCacheSize = RowSealDataSource.DEFAULT_PLAN_CACHE_SIZE;
    private int decryptParallelism = 1;
    private io.rowseal.jdbc.internal.@org.jspecify.annotations.Nullable SchemaValidator validator;
    private javax.sql.@org.jspecify.annotations.Nullable DataSource indexKeyData;
    private io.rowseal.search.@org.jspecify.annotations.Nullable IndexKeyStore indexKeyStore;

    private Builder(RowSeal rowSeal) {
      this.rowSeal = Objects.requireNonNull(rowSeal, "rowSeal");
    }

    /**
     * As {@link RowSealDataSource.Builder#decryptParallelism}, but 1 unless set here: connections handed out by a
     * framework (the Hibernate integration) read results with whatever getters the framework chooses, which the
     * read-ahead path may refuse.
     */
    public Builder decryptParallelism(int threads) {
      this.decryptParallelism = io.rowseal.jdbc.internal.JdbcEngine.checkedParallelism(threads);
      return this;
    }

    /**
     * How many distinct SQL texts keep their parsed plan ({@value RowSealDataSource#DEFAULT_PLAN_CACHE_SIZE} by
     * default).
     *
     * @throws IllegalArgumentException if {@code planCacheSize} is not positive
     */
    public Builder planCacheSize(int planCacheSize) {
      if (planCacheSize <= 0) {
        throw new IllegalArgumentException("planCacheSize must be positive, was " + planCacheSize);
      }
      this.planCacheSize = planCacheSize;
      return this;
    }

    /** The schema check {@link RowSealDataSource} runs before the first statement on each table. */
    Builder schemaValidator(io.rowseal.jdbc.internal.SchemaValidator validator) {
      this.validator = validator;
      return this;
    }

    /** Where the search indexes' keys live (table {@code rowseal_index_key}) when no store is given. */
    public Builder indexKeysIn(javax.sql.@org.jspecify.annotations.Nullable DataSource raw) {
      this.indexKeyData = raw;
      return this;
    }

    /** The store of the search indexes' keys (else one over {@link #indexKeysIn}'s data source). */
    public Builder indexKeys(io.rowseal.search.@org.jspecify.annotations.Nullable IndexKeyStore store) {
      this.indexKeyStore = store;
      return this;
    }

    public RowSealConnections build() {
      return new RowSealConnections(new JdbcEngine(rowSeal, planCacheSize, validator, decryptParallelism,
          indexKeyData, indexKeyStore));
    }
  }
}
