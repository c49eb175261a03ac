package io.rowseal.jdbc.internal;

// Generated once from the java.sql interfaces of JDK 17 (plain delegates, no reflection at run time); edit freely.
/** A {@link java.sql.ResultSetMetaData} that forwards every call to its delegate. */
@SuppressWarnings({"deprecation", "unchecked"})
abstract class DelegatingResultSetMetaData implements java.sql.ResultSetMetaData {
  protected final java.sql.ResultSetMetaData delegate;

  DelegatingResultSetMetaData(java.sql.ResultSetMetaData delegate) {
    this.delegate = delegate;
  }

  /** This object, else the delegate itself (as {@link #isWrapperFor} promises), else what the delegate unwraps to. */
  @Override
  public <T> T unwrap(java.lang.Class<T> iface) throws java.sql.SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    // a pool's proxy does not unwrap to its own class, so check the delegate itself first
    return iface.isInstance(delegate) ? iface.cast(delegate) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(java.lang.Class<?> iface) throws java.sql.SQLException {
    return iface.isInstance(this) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
  }

  @Override
  public java.lang.String getCatalogName(int p0) throws java.sql.SQLException {
    return delegate.getCatalogName(p0);
  }

  @Override
  public java.lang.String getColumnClassName(int p0) throws java.sql.SQLException {
    return delegate.getColumnClassName(p0);
  }

  @Override
  public int getColumnCount() throws java.sql.SQLException {
    return delegate.getColumnCount();
  }

  @Override
  public int getColumnDisplaySize(int p0) throws java.sql.SQLException {
    return delegate.getColumnDisplaySize(p0);
  }

  @Override
  public java.lang.String getColumnLabel(int p0) throws java.sql.SQLException {
    return delegate.getColumnLabel(p0);
  }

  @Override
  public java.lang.String getColumnName(int p0) throws java.sql.SQLException {
    return delegate.getColumnName(p0);
  }

  @Override
  public int getColumnType(int p0) throws java.sql.SQLException {
    return delegate.getColumnType(p0);
  }

  @Override
  public java.lang.String getColumnTypeName(int p0) throws java.sql.SQLException {
    return delegate.getColumnTypeName(p0);
  }

  @Override
  public int getPrecision(int p0) throws java.sql.SQLException {
    return delegate.getPrecision(p0);
  }

  @Override
  public int getScale(int p0) throws java.sql.SQLException {
    return delegate.getScale(p0);
  }

  @Override
  public java.lang.String getSchemaName(int p0) throws java.sql.SQLException {
    return delegate.getSchemaName(p0);
  }

  @Override
  public java.lang.String getTableName(int p0) throws java.sql.SQLException {
    return delegate.getTableName(p0);
  }

  @Override
  public boolean isAutoIncrement(int p0) throws java.sql.SQLException {
    return delegate.isAutoIncrement(p0);
  }

  @Override
  public boolean isCaseSensitive(int p0) throws java.sql.SQLException {
    return delegate.isCaseSensitive(p0);
  }

  @Override
  public boolean isCurrency(int p0) throws java.sql.SQLException {
    return delegate.isCurrency(p0);
  }

  @Override
  public boolean isDefinitelyWritable(int p0) throws java.sql.SQLException {
    return delegate.isDefinitelyWritable(p0);
  }

  @Override
  public int isNullable(int p0) throws java.sql.SQLException {
    return delegate.isNullable(p0);
  }

  @Override
  public boolean isReadOnly(int p0) throws java.sql.SQLException {
    return delegate.isReadOnly(p0);
  }

  @Override
  public boolean isSearchable(int p0) throws java.sql.SQLException {
    return delegate.isSearchable(p0);
  }

  @Override
  public boolean isSigned(int p0) throws java.sql.SQLException {
    return delegate.isSigned(p0);
  }

  @Override
  public boolean isWritable(int p0) throws java.sql.SQLException {
    return delegate.isWritable(p0);
  }
}
