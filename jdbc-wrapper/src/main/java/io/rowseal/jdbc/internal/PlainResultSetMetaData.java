package io.rowseal.jdbc.internal;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * The metadata of a result set with no encrypted column, as the driver reports it; only {@link #unwrap} is
 * RowSeal's (it never reaches the driver). Not thread-safe, like the metadata it wraps.
 */
final class PlainResultSetMetaData extends DelegatingResultSetMetaData {
  PlainResultSetMetaData(ResultSetMetaData delegate) {
    super(delegate);
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return SurfaceRejections.unwrap(this, iface, "ResultSetMetaData");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
