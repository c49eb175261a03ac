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
    this(rowSeal, planCacheSize, validator, null);
  }

  /**
   * With {@code indexKeyData}, the search indexes' keys are kept there (table {@code rowseal_index_key}) unless
   * the RowSeal configuration has an {@link IndexKeyStore} of its own.
   */
  public JdbcEngine(RowSeal rowSeal, int planCacheSize, @org.jspecify.annotations.Nullable SchemaValidator validator,
      javax.sql.@org.jspecify.annotations.Nullable DataSource indexKeyData) {
    this.rowSeal = rowSeal;
    boolean searchable = rowSeal.tables().stream().anyMatch(t -> !t.searchableColumns().isEmpty());
    this.indexKeys = rowSeal.indexKeys() != null ? rowSeal.indexKeys()
        : searchable && indexKeyData != null ? IndexKeyStore.builder(indexKeyData, rowSeal.keyRing()).build() : null;
    this.planner = new SqlPlanner(rowSeal, new ColumnCatalog(), this::indexColumns);
    this.plans = Caffeine.newBuilder().maximumSize(planCacheSize).build();
    this.validator = validator;
  }

  public RowSeal rowSeal() {
    return rowSeal;
  }

  /**
   * The search indexes' keys.
   *
   * @throws io.rowseal.errors.KeyUnavailableException if the configuration has searchable columns but no store
   */
  IndexKeyStore indexKeys() {
    if (indexKeys == null) {
      throw new io.rowseal.errors.KeyUnavailableException("RowSeal has searchable columns but no index key store: configure"
          + " RowSeal.builder().indexKeys(IndexKeyStore.builder(dataSource, keyRing).build()), or wrap a DataSource"
          + " with RowSealDataSource");
    }
    return indexKeys;
  }

  /** The physical index columns writers of {@code column} set now (see {@link io.rowseal.search.IndexView}). */
  java.util.List<String> indexColumns(io.rowseal.EncryptedColumn column) {
    return indexKeys().view(column).physicalColumns();
  }

  /** The index columns of every searchable column of {@code tables}, as one text: a plan made under another is stale. */
  String searchShape(java.util.Set<io.rowseal.EncryptedTable> tables) {
    StringBuilder sb = new StringBuilder();
    for (io.rowseal.EncryptedTable t : tables) {
      for (io.rowseal.EncryptedColumn c : t.searchableColumns()) {
        sb.append(t.name()).append('.').append(c.name()).append(indexColumns(c)).append(';');
      }
    }
    return sb.toString();
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
    StatementPlan plan = plans.get(sql, text -> {
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
