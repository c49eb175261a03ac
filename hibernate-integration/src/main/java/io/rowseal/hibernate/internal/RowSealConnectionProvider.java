package io.rowseal.hibernate.internal;

import io.rowseal.RowSeal;
import io.rowseal.jdbc.RowSealConnections;
import io.rowseal.jdbc.RowSealDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.dialect.Dialect;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.jdbc.connections.spi.DatabaseConnectionInfo;
import org.hibernate.engine.jdbc.env.spi.ExtractedDatabaseMetaData;
import org.hibernate.service.spi.Configurable;
import org.hibernate.service.spi.ServiceRegistryAwareService;
import org.hibernate.service.spi.ServiceRegistryImplementor;
import org.hibernate.service.spi.Startable;
import org.hibernate.service.spi.Stoppable;

/**
 * Hibernate's own connection provider, with every connection it hands out wrapped by RowSeal's JDBC
 * engine once the engine is bound (see {@link EngineBinding}). Hibernate's lifecycle calls (configure,
 * service injection, start, stop) are forwarded to the wrapped provider, which Hibernate would otherwise
 * never see. Thread-safe if the wrapped provider is.
 *
 * <p>Hibernate closes a connection through {@link #closeConnection}, and a pool expects back the very
 * object it handed out, so the provider remembers which raw connection each wrapper stands for.
 */
final class RowSealConnectionProvider
    implements ConnectionProvider, Configurable, ServiceRegistryAwareService, Startable, Stoppable {
  private final ConnectionProvider delegate;
  private final EngineBinding binding;
  private final Map<Connection, Connection> rawByWrapper = new ConcurrentHashMap<>();

  RowSealConnectionProvider(ConnectionProvider delegate, EngineBinding binding) {
    this.delegate = delegate;
    this.binding = binding;
  }

  /** The wrapped provider: its connections bypass RowSeal (used for boot-time metadata checks only). */
  ConnectionProvider delegate() {
    return delegate;
  }

  /**
   * The RowSeal configuration of a pool that is already wrapped, if the wrapped provider's connections go through
   * RowSeal: its DataSource is a {@link RowSealDataSource} (or unwraps to one), or, for any other provider, a
   * connection it hands out is a RowSeal connection. Then Hibernate's connections are used as they are. Call
   * after Hibernate has configured the provider (the DataSource is set in {@code configure}).
   */
  Optional<RowSeal> upstream() throws SQLException {
    if (delegate.isUnwrappableAs(DataSource.class)) {
      DataSource dataSource = delegate.unwrap(DataSource.class);
      if (dataSource instanceof RowSealDataSource) {
        return Optional.of(((RowSealDataSource) dataSource).rowSeal());
      }
      if (dataSource != null && dataSource.isWrapperFor(RowSealDataSource.class)) {
        return Optional.of(dataSource.unwrap(RowSealDataSource.class).rowSeal());
      }
    }
    Connection probe = delegate.getConnection();
    try {
      return RowSealConnections.rowSealOf(probe);
    } finally {
      delegate.closeConnection(probe);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getReadOnlyConnection() throws SQLException {
    return wrap(delegate.getReadOnlyConnection());
  }

  @Override
  public void closeConnection(Connection connection) throws SQLException {
    Connection raw = rawByWrapper.remove(connection);
    delegate.closeConnection(raw != null ? raw : connection);
  }

  @Override
  public void closeReadOnlyConnection(Connection connection) throws SQLException {
    Connection raw = rawByWrapper.remove(connection);
    delegate.closeReadOnlyConnection(raw != null ? raw : connection);
  }

  private Connection wrap(Connection raw) {
    RowSealConnections connections = binding.engine();
    if (connections == null) {
      return raw;
    }
    Connection wrapped = connections.wrap(raw);
    rawByWrapper.put(wrapped, raw);
    return wrapped;
  }

  @Override
  public boolean supportsAggressiveRelease() {
    return delegate.supportsAggressiveRelease();
  }

  @Override
  public boolean handlesConnectionSchema() {
    return delegate.handlesConnectionSchema();
  }

  @Override
  public boolean handlesConnectionReadOnly() {
    return delegate.handlesConnectionReadOnly();
  }

  @Override
  public DatabaseConnectionInfo getDatabaseConnectionInfo(Dialect dialect) {
    return delegate.getDatabaseConnectionInfo(dialect);
  }

  @Override
  public DatabaseConnectionInfo getDatabaseConnectionInfo(Dialect dialect, ExtractedDatabaseMetaData metaData) {
    return delegate.getDatabaseConnectionInfo(dialect, metaData);
  }

  @Override
  public boolean isUnwrappableAs(Class<?> unwrapType) {
    return unwrapType.isInstance(this) || delegate.isUnwrappableAs(unwrapType);
  }

  @Override
  public <T> T unwrap(Class<T> unwrapType) {
    return unwrapType.isInstance(this) ? unwrapType.cast(this) : delegate.unwrap(unwrapType);
  }

  @Override
  public void configure(Map<String, Object> configurationValues) {
    if (delegate instanceof Configurable) {
      ((Configurable) delegate).configure(configurationValues);
    }
  }

  @Override
  public void injectServices(ServiceRegistryImplementor serviceRegistry) {
    if (delegate instanceof ServiceRegistryAwareService) {
      ((ServiceRegistryAwareService) delegate).injectServices(serviceRegistry);
    }
  }

  @Override
  public void start() {
    if (delegate instanceof Startable) {
      ((Startable) delegate).start();
    }
  }

  @Override
  public void stop() {
    if (delegate instanceof Stoppable) {
      ((Stoppable) delegate).stop();
    }
  }

  @Override
  public String toString() {
    return "RowSealConnectionProvider[" + delegate + "]";
  }
}
