package io.rowseal.jdbc.internal;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * Result-set metadata as the application should see it: the appended companion and id columns are
 * not there, and encrypted columns report their plaintext type rather than the stored binary or text.
 * Not thread-safe, like the metadata it wraps.
 */
final class DecryptedMetaData extends DelegatingResultSetMetaData {
  private final SelectPlan plan;

  DecryptedMetaData(ResultSetMetaData delegate, SelectPlan plan) {
    super(delegate);
    this.plan = plan;
  }

  private SelectPlan.EncryptedOutput encrypted(int column) throws SQLException {
    if (column < 1 || column > plan.visibleColumns()) {
      throw new SQLException("column index " + column + " is out of range 1.." + plan.visibleColumns(), "22023");
    }
    return plan.output(column);
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return SurfaceRejections.unwrap(this, iface, "ResultSetMetaData");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public int getColumnCount() {
    return plan.visibleColumns();
  }

  @Override
  public int getColumnType(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    return o == null ? delegate.getColumnType(column) : ValueConversions.jdbcType(o.column);
  }

  @Override
  public String getColumnTypeName(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    return o == null ? delegate.getColumnTypeName(column) : java.sql.JDBCType.valueOf(ValueConversions.jdbcType(o.column)).getName();
  }

  @Override
  public String getColumnClassName(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    return o == null ? delegate.getColumnClassName(column) : ValueConversions.javaClass(o.column).getName();
  }

  @Override
  public int getPrecision(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    return o == null ? delegate.getPrecision(column) : 0;
  }

  @Override
  public int getScale(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    return o == null ? delegate.getScale(column) : 0;
  }

  @Override
  public boolean isSearchable(int column) throws SQLException {
    SelectPlan.EncryptedOutput o = encrypted(column);
    return o == null && delegate.isSearchable(column);
  }

  @Override
  public String getColumnLabel(int column) throws SQLException {
    encrypted(column);
    return delegate.getColumnLabel(column);
  }

  @Override
  public String getColumnName(int column) throws SQLException {
    encrypted(column);
    return delegate.getColumnName(column);
  }
}
