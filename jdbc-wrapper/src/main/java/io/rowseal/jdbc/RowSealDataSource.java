package io.rowseal.jdbc;

import io.rowseal.RowSeal;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
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

  @Override
  public Connection getConnection() throws SQLException {
    return connections.wrap(delegate.getConnection());
  }

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

    private Builder(DataSource dataSource, RowSeal rowSeal) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.rowSeal = Objects.requireNonNull(rowSeal, "rowSeal");
    }

    /** How many distinct SQL texts keep their parsed plan ({@value #DEFAULT_PLAN_CACHE_SIZE} by default). */
    public Builder planCacheSize(int planCacheSize) {
      if (planCacheSize <= 0) {
        throw new IllegalArgumentException("planCacheSize must be positive, was " + planCacheSize);
      }
      this.planCacheSize = planCacheSize;
      return this;
    }

    public RowSealDataSource build() {
      if (dataSource instanceof RowSealDataSource) {
        throw new IllegalArgumentException("this DataSource is already wrapped by RowSeal; wrap the pool once");
      }
      return new RowSealDataSource(dataSource,
          RowSealConnections.builder(rowSeal).planCacheSize(planCacheSize).build());
    }
  }
}
