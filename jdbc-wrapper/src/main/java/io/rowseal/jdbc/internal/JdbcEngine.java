package io.rowseal.jdbc.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.rowseal.RowSeal;
import io.rowseal.search.IndexKeyStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one wrapped data source shares across its connections: the {@link RowSeal} engine, the bounded
 * cache of statement plans (one parse per distinct SQL text) and the column catalog. Public only so
 * that {@code io.rowseal.jdbc} can reach it; not API. Thread-safe.
 */
public final class JdbcEngine {
  private final RowSeal rowSeal;
  private final SqlPlanner planner;
  private final Cache<String, StatementPlan> plans;
  private final LongAdder plansMade = new LongAdder();
  private final @org.jspecify.annotations.Nullable SchemaValidator validator;
  private final @org.jspecify.annotations.Nullable DecryptPool decryptPool;
  private final @org.jspecify.annotations.Nullable IndexKeyStore indexKeys;

  public JdbcEngine(RowSeal rowSeal, int planCacheSize) {
    this(rowSeal, planCacheSize, null);
  }

  /**
   * With {@code validator}, the first statement that reads or writes an encrypted table checks that table's
   * schema (and, once, that no unconfigured table has a companion column) before it runs: late enough that
   * migrations run through the same DataSource can create the tables first.
   */
  public JdbcEngine(RowSeal rowSeal, int planCacheSize, @org.jspecify.annotations.Nullable SchemaValidator validator) {
    this(rowSeal, planCacheSize, validator, 1, null, null);
  }

  /**
   * As {@link #JdbcEngine(RowSeal, int, SchemaValidator)}; with {@code decryptParallelism} above 1, forward-only
   * read-only results are read ahead and decrypted on a pool of that many threads.
   */
  public JdbcEngine(RowSeal rowSeal, int planCacheSize, @org.jspecify.annotations.Nullable SchemaValidator validator,
      int decryptParallelism) {
    this(rowSeal, planCacheSize, validator, decryptParallelism, null, null);
  }

  /**
   * The whole engine: the search indexes' keys come from {@code indexKeys}, else are kept in {@code indexKeyData}
   * (table {@code rowseal_index_key}) when the configuration has searchable columns.
   */
  public JdbcEngine(RowSeal rowSeal, int planCacheSize, @org.jspecify.annotations.Nullable SchemaValidator validator,
      int decryptParallelism, javax.sql.@org.jspecify.annotations.Nullable DataSource indexKeyData,
      @org.jspecify.annotations.Nullable IndexKeyStore indexKeys) {
    this.decryptPool = checkedParallelism(decryptParallelism) == 1 ? null : new DecryptPool(decryptParallelism);
    this.rowSeal = rowSeal;
    boolean searchable = rowSeal.tables().stream().anyMatch(t -> !t.searchableColumns().isEmpty());
    this.indexKeys = indexKeys != null ? indexKeys
        : searchable && indexKeyData != null ? IndexKeyStore.of(indexKeyData, rowSeal) : null;
    this.planner = new SqlPlanner(rowSeal, new ColumnCatalog(), this::indexColumns);
    this.plans = Caffeine.newBuilder().maximumSize(planCacheSize).build();
    this.validator = validator;
  }

  /**
   * {@code threads} if it is a valid decrypt-parallelism.
   *
   * @throws IllegalArgumentException if it is not 1..{@value RowSeal#MAX_DECRYPT_PARALLELISM}
   */
  public static int checkedParallelism(int threads) {
    if (threads < 1 || threads > RowSeal.MAX_DECRYPT_PARALLELISM) {
      throw new IllegalArgumentException("decryptParallelism must be 1.." + RowSeal.MAX_DECRYPT_PARALLELISM
          + ", was " + threads);
    }
    return threads;
  }

  public RowSeal rowSeal() {
    return rowSeal;
  }

  /** The threads that decrypt read-ahead rows, or null when results decrypt on the application's thread. */
  @org.jspecify.annotations.Nullable DecryptPool decryptPool() {
    return decryptPool;
  }

  /**
   * The search indexes' keys.
   *
   * @throws io.rowseal.errors.KeyUnavailableException if the configuration has searchable columns but no store
   */
  IndexKeyStore indexKeys() {
    if (indexKeys == null) {
      throw new io.rowseal.errors.KeyUnavailableException("RowSeal has searchable columns but no index key store:"
          + " wrap the DataSource with RowSealDataSource (optionally .indexKeys(IndexKeyStore.builder(dataSource,"
          + " keyRing).build()))");
    }
    return indexKeys;
  }

  /** The physical index columns writers of {@code column} set now (see {@link io.rowseal.search.IndexView}). */
  java.util.List<String> indexColumns(io.rowseal.EncryptedColumn column) {
    return indexKeys().view(column).physicalColumns();
  }

  /** The index columns of every searchable column of {@code tables}, as one text: a plan made under another is stale. */
  String searchShape(java.util.Set<io.rowseal.EncryptedTable> tables) {
    return SqlPlanner.shape(tables, this::indexColumns);
  }


  /**
   * {@code connection} wrapped so that its statements encrypt and decrypt.
   *
   * @throws IllegalArgumentException if {@code connection} already goes through RowSeal: a second layer would
   *     add the companion column twice and refuse every insert
   */
  public Connection wrap(Connection connection) {
    if (of(connection).isPresent()) {
      throw new IllegalArgumentException("this connection already goes through RowSeal (" + connection
          + "); wrap the pool once: a connection from a RowSealDataSource, or from a pool over one, is used as it is");
    }
    return new RowSealConnection(connection, this);
  }

  /**
   * The engine {@code connection} goes through: the connection is RowSeal's wrapper, or a pool's proxy that
   * unwraps to one. Empty for any other connection, and when asking the connection fails.
   */
  public static Optional<JdbcEngine> of(Connection connection) {
    if (connection instanceof RowSealConnection) {
      return Optional.of(((RowSealConnection) connection).engine());
    }
    try {
      // A pool's proxy (HikariCP's ProxyConnection) answers for the connection it holds.
      if (connection.isWrapperFor(RowSealConnection.class)) {
        return Optional.of(connection.unwrap(RowSealConnection.class).engine());
      }
    } catch (SQLException | RuntimeException e) {
      // A driver that cannot answer is not a RowSeal connection.
    }
    return Optional.empty();
  }

  /**
   * The plan for {@code sql}: cached, or made now with {@code connection} for metadata lookups.
   *
   * @throws SQLException with SQLState 0A000 if RowSeal rejects the statement
   */
  StatementPlan plan(String sql, Connection connection) throws SQLException {
    StatementPlan plan;
    try {
      plan = plans.get(sql, text -> {
        plansMade.increment();
        return planner.plan(text, connection);
      });
      if (plan.searchShape() != null && !plan.searchShape().equals(searchShape(plan.tables()))) {
        plans.invalidate(sql); // an index-key rotation started using a second column since the plan was made
        plan = plans.get(sql, text -> {
          plansMade.increment();
          return planner.plan(text, connection);
        });
      }
    } catch (io.rowseal.errors.RowSealException e) {
      throw SqlErrors.translate(e); // the index-key states could not be read: nothing ran, nothing is cached
    }
    if (plan instanceof RejectedPlan) {
      throw SqlErrors.translate(((RejectedPlan) plan).failure());
    }
    if (validator != null && !validator.isComplete() && !plan.tables().isEmpty() && !plan.isSchemaChange()) {
      validator.validate(connection, plan.tables());
    }
    return plan;
  }

  /**
   * After a schema change ran through a wrapped connection: drops every cached plan and column list, so
   * that {@code SELECT *} is expanded from the new columns. (A schema change made outside RowSeal needs
   * the application to call {@link io.rowseal.jdbc.RowSealDataSource}'s equivalent or to restart.)
   */
  public void schemaChanged() {
    planner.schemaChanged();
    plans.invalidateAll();
  }

  /** How many SQL texts have been parsed and planned so far (plan cache misses); a test hook. */
  public long plansMade() {
    return plansMade.sum();
  }
}
