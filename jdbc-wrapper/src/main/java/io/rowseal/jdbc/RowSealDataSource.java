package io.rowseal.jdbc;

import io.rowseal.RowSeal;
import io.rowseal.jdbc.internal.SchemaValidator;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that encrypts and decrypts RowSeal's configured columns for plain JDBC code
 * (and anything built on it: Spring's JdbcTemplate, MyBatis, jOOQ, Hibernate). Wrap the application's
 * existing pool, for example HikariCP:
 *
 * <pre>{@code
 * DataSource dataSource = RowSealDataSource.wrap(hikari, rowSeal);
 * }</pre>
 *
 * <p>Each distinct SQL text is parsed once and its plan cached (bounded). Statements that touch no
 * encrypted table run unchanged. Inserts get a fresh data key per row and the companion column;
 * updates of encrypted columns are re-encrypted row by row under the row's own data key; selects
 * decrypt encrypted columns wherever they appear in the projection. A statement that would need an
 * encrypted column's plaintext inside the database (a predicate, ORDER BY, GROUP BY, a function, an
 * {@code INSERT ... SELECT}) fails with a {@link java.sql.SQLFeatureNotSupportedException}, SQLState
 * {@code 0A000}, naming the table, the column and what to do instead; nothing is executed.
 *
 * <p><b>Schema validation</b> (on unless {@link Builder#schemaValidation} or {@code rowseal.schema-validation}
 * turns it off). Building opens no connection. The first statement that reads or writes an encrypted table checks,
 * through the unwrapped connection and before that statement runs, that the table fits (so migrations run through
 * this data source, Flyway's for example, can create the tables first): each configured table's id columns,
 * encrypted columns and companion column exist in the connection's current schema; binary storage
 * has a binary type and text storage a character type, wide enough for the values of the column's type; the
 * companion is binary and wide enough for a wrapped data key; no id column is {@code CHAR(n)}; and no table outside
 * the configuration has a column named like a companion column, unless listed in {@link Builder#unmanagedTables}.
 * (that last scan runs with the first check). A mismatch fails that statement with a
 * {@link java.sql.SQLFeatureNotSupportedException}, SQLState {@code 0A000}, listing each problem with table, column,
 * the type found and the DDL that fixes it; nothing runs. Each table is checked once per data source: what passed
 * is not read again, what failed is checked again by the next statement.
 *
 * <p>Thread-safe; connections, statements and result sets follow JDBC's usual one-thread-at-a-time
 * rule. {@link #unwrap} reaches the wrapped pool (and bypasses RowSeal, by design: it is the explicit
 * way to the undecorated DataSource). The connections, statements and result sets it hands out never
 * unwrap to the driver's objects (they refuse with SQLState {@code 0A000}).
 */
public final class RowSealDataSource implements DataSource {
  /** Statement plans kept per data source unless configured. */
  public static final int DEFAULT_PLAN_CACHE_SIZE = 4096;

  private final DataSource delegate;
  private final RowSealConnections connections;

  private RowSealDataSource(DataSource delegate, RowSealConnections connections) {
    this.delegate = delegate;
    this.connections = connections;
  }

  /** Wraps {@code dataSource} so that its connections encrypt and decrypt {@code rowSeal}'s tables. */
  public static RowSealDataSource wrap(DataSource dataSource, RowSeal rowSeal) {
    return builder(dataSource, rowSeal).build();
  }

  /** A builder for a wrapper with non-default settings. */
  public static Builder builder(DataSource dataSource, RowSeal rowSeal) {
    return new Builder(dataSource, rowSeal);
  }

  /** The engine configuration this data source encrypts with. */
  public RowSeal rowSeal() {
    return connections.rowSeal();
  }

  /**
   * Tells RowSeal that tables' columns changed outside this data source (a migration run on the raw pool or
   * by another process): cached statement plans, some of which expanded {@code SELECT *}, are made again.
   * Schema changes run through this data source do this themselves.
   */
  public void schemaChanged() {
    connections.schemaChanged();
  }

  /** A wrapped connection of the underlying DataSource. */
  @Override
  public Connection getConnection() throws SQLException {
    return connections.wrap(delegate.getConnection());
  }

  /** As {@link #getConnection()}, with the given credentials. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return connections.wrap(delegate.getConnection(username, password));
  }


  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    // the delegate itself, as isWrapperFor promises (a pool's proxy would not unwrap to its own class)
    return iface.isInstance(delegate) ? iface.cast(delegate) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "RowSealDataSource[" + connections.rowSeal() + ", delegate=" + delegate.getClass().getName() + "]";
  }

  /** Settings for {@link RowSealDataSource}; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final RowSeal rowSeal;
    private int planCacheSize = DEFAULT_PLAN_CACHE_SIZE;
    private int decryptParallelism;
    private boolean schemaValidation;
    private Set<String> unmanagedTables;
    private io.rowseal.search.@org.jspecify.annotations.Nullable IndexKeyStore indexKeys;

    private Builder(DataSource dataSource, RowSeal rowSeal) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.rowSeal = Objects.requireNonNull(rowSeal, "rowSeal");
      this.schemaValidation = rowSeal.schemaValidation();
      this.unmanagedTables = rowSeal.unmanagedTables();
      this.decryptParallelism = rowSeal.decryptParallelism();
    }

    /**
     * How many threads decrypt large results ({@link RowSeal#decryptParallelism()} by default, which is 1 unless
     * {@code rowseal.jdbc.decrypt-parallelism} says otherwise). With 1, each value is decrypted on the application's
     * thread when a getter reads it. Above 1, a forward-only, read-only result set reads rows ahead from the
     * driver, in chunks of 64, at most {@code (2 × threads + 1) × 64} rows ahead of the application, and
     * decrypts every encrypted column of them on this data source's pool of {@code threads} daemon threads while
     * the application reads them in order (and, when {@link RowSeal#opensKeysInProcess()}, on the application's
     * thread too, for chunks no worker has started while it waits). Then: an error decrypting a value is thrown
     * by that row's getter
     * (earlier rows read fine); every encrypted column of a row read ahead is decrypted, read or not; plaintext
     * columns are served from the driver's {@code getObject} and converted only where exact, other getters
     * (streams, LOBs, Calendar variants) and scrolling are refused with SQLState 0A000; {@code close()} stops the
     * work for that result. Scrollable and updatable result sets stay serial.
     *
     * @throws IllegalArgumentException if {@code threads} is not 1..{@value RowSeal#MAX_DECRYPT_PARALLELISM}
     */
    public Builder decryptParallelism(int threads) {
      this.decryptParallelism = io.rowseal.jdbc.internal.JdbcEngine.checkedParallelism(threads);
      return this;
    }

    /**
     * Whether the first statement on each encrypted table checks the schema against the configuration (by default as
     * {@link RowSeal#schemaValidation()} says, which is on unless configured off).
     */
    public Builder schemaValidation(boolean enabled) {
      this.schemaValidation = enabled;
      return this;
    }

    /**
     * Tables with a column named like a companion column that are deliberately not encrypted, so schema
     * validation lets them pass; replaces {@link RowSeal#unmanagedTables()} for this data source.
     *
     * @throws IllegalArgumentException if a name is empty
     */
    public Builder unmanagedTables(String... tables) {
      Set<String> names = new LinkedHashSet<>();
      for (String t : tables) {
        Objects.requireNonNull(t, "unmanaged table name");
        if (t.isBlank()) {
          throw new IllegalArgumentException("unmanagedTables: a table name is empty");
        }
        names.add(t.trim().toLowerCase(Locale.ROOT));
      }
      this.unmanagedTables = Set.copyOf(names);
      return this;
    }

    /** How many distinct SQL texts keep their parsed plan ({@value #DEFAULT_PLAN_CACHE_SIZE} by default). */
    public Builder planCacheSize(int planCacheSize) {
      if (planCacheSize <= 0) {
        throw new IllegalArgumentException("planCacheSize must be positive, was " + planCacheSize);
      }
      this.planCacheSize = planCacheSize;
      return this;
    }

    /**
     * Builds the data source; it opens no connection (the schema is checked by the first statement on each table).
     *
     * @throws IllegalArgumentException if the DataSource is already wrapped by RowSeal
     * @throws IllegalStateException if an unmanaged table is also a configured table
     */
    /**
     * Where the keys of the search indexes live (table {@code rowseal_index_key}, see
     * {@link io.rowseal.search.IndexKeyStore}); by default a store over the wrapped data source.
     */
    public Builder indexKeys(io.rowseal.search.IndexKeyStore store) {
      this.indexKeys = Objects.requireNonNull(store, "store");
      return this;
    }

    public RowSealDataSource build() {
      if (dataSource instanceof RowSealDataSource) {
        throw new IllegalArgumentException("this DataSource is already wrapped by RowSeal; wrap the pool once");
      }
      for (String t : unmanagedTables) {
        for (io.rowseal.EncryptedTable configured : rowSeal.tables()) {
          if (configured.name().equalsIgnoreCase(t)) {
            throw new IllegalStateException("table " + configured.name() + " is configured with encrypted columns"
                + " and also listed in unmanagedTables; remove it from one of them");
          }
        }
      }
      return new RowSealDataSource(dataSource, RowSealConnections.builder(rowSeal).planCacheSize(planCacheSize)
          .decryptParallelism(decryptParallelism)
          .schemaValidator(new SchemaValidator(rowSeal, schemaValidation, unmanagedTables)).indexKeysIn(dataSource)
          .indexKeys(indexKeys).build());
    }
  }
}
