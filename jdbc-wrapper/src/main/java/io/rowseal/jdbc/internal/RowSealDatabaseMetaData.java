package io.rowseal.jdbc.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Database metadata as the application should see it: {@link #getColumns} hides each configured table's
 * companion column, {@link #getConnection} is RowSeal's connection, and every listing goes through a
 * {@link GuardedResultSet}, so no driver object is reachable from here. Not thread-safe, like the metadata it
 * wraps.
 */
final class RowSealDatabaseMetaData extends DelegatingDatabaseMetaData {
  private final RowSealConnection connection;
  private final Set<String> companions;

  RowSealDatabaseMetaData(RowSealConnection connection, DatabaseMetaData delegate) {
    super(delegate);
    this.connection = connection;
    this.companions = SurfaceRejections.companions(connection.rowSeal().tables());
  }

  @Override
  public Connection getConnection() {
    return connection;
  }

  @Override
  public ResultSet getColumns(@Nullable String catalog, @Nullable String schemaPattern,
      @Nullable String tableNamePattern, @Nullable String columnNamePattern) throws SQLException {
    return new CompanionHidingColumns(
        delegate.getColumns(catalog, schemaPattern, tableNamePattern, columnNamePattern), companions);
  }

  @Override
  @Nullable ResultSet wrap(@Nullable ResultSet rs) {
    return rs == null ? null : new GuardedResultSet(rs, null, null, java.util.List.of());
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return SurfaceRejections.unwrap(this, iface, "DatabaseMetaData");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
