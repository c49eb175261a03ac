package io.rowseal.jdbc.internal;

// Generated once from the java.sql interfaces of JDK 17 (plain delegates, no reflection at run time); edit freely.
/** A {@link java.sql.Connection} that forwards every call to its delegate; RowSeal's connection overrides what it intercepts. */
@SuppressWarnings({"deprecation", "unchecked"})
abstract class DelegatingConnection implements java.sql.Connection {
  protected final java.sql.Connection delegate;

  DelegatingConnection(java.sql.Connection delegate) {
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
  public void abort(java.util.concurrent.Executor p0) throws java.sql.SQLException {
    delegate.abort(p0);
  }

  @Override
  public void beginRequest() throws java.sql.SQLException {
    delegate.beginRequest();
  }

  @Override
  public void clearWarnings() throws java.sql.SQLException {
    delegate.clearWarnings();
  }

  @Override
  public void close() throws java.sql.SQLException {
    delegate.close();
  }

  @Override
  public void commit() throws java.sql.SQLException {
    delegate.commit();
  }

  @Override
  public java.sql.Array createArrayOf(java.lang.String p0, java.lang.Object[] p1) throws java.sql.SQLException {
    return delegate.createArrayOf(p0, p1);
  }

  @Override
  public java.sql.Blob createBlob() throws java.sql.SQLException {
    return delegate.createBlob();
  }

  @Override
  public java.sql.Clob createClob() throws java.sql.SQLException {
    return delegate.createClob();
  }

  @Override
  public java.sql.NClob createNClob() throws java.sql.SQLException {
    return delegate.createNClob();
  }

  @Override
  public java.sql.SQLXML createSQLXML() throws java.sql.SQLException {
    return delegate.createSQLXML();
  }

  @Override
  public java.sql.Statement createStatement() throws java.sql.SQLException {
    return delegate.createStatement();
  }

  @Override
  public java.sql.Statement createStatement(int p0, int p1, int p2) throws java.sql.SQLException {
    return delegate.createStatement(p0, p1, p2);
  }

  @Override
  public java.sql.Statement createStatement(int p0, int p1) throws java.sql.SQLException {
    return delegate.createStatement(p0, p1);
  }

  @Override
  public java.sql.Struct createStruct(java.lang.String p0, java.lang.Object[] p1) throws java.sql.SQLException {
    return delegate.createStruct(p0, p1);
  }

  @Override
  public void endRequest() throws java.sql.SQLException {
    delegate.endRequest();
  }

  @Override
  public boolean getAutoCommit() throws java.sql.SQLException {
    return delegate.getAutoCommit();
  }

  @Override
  public java.lang.String getCatalog() throws java.sql.SQLException {
    return delegate.getCatalog();
  }

  @Override
  public java.util.Properties getClientInfo() throws java.sql.SQLException {
    return delegate.getClientInfo();
  }

  @Override
  public java.lang.String getClientInfo(java.lang.String p0) throws java.sql.SQLException {
    return delegate.getClientInfo(p0);
  }

  @Override
  public int getHoldability() throws java.sql.SQLException {
    return delegate.getHoldability();
  }

  @Override
  public java.sql.DatabaseMetaData getMetaData() throws java.sql.SQLException {
    return delegate.getMetaData();
  }

  @Override
  public int getNetworkTimeout() throws java.sql.SQLException {
    return delegate.getNetworkTimeout();
  }

  @Override
  public java.lang.String getSchema() throws java.sql.SQLException {
    return delegate.getSchema();
  }

  @Override
  public int getTransactionIsolation() throws java.sql.SQLException {
    return delegate.getTransactionIsolation();
  }

  @Override
  public java.util.Map<java.lang.String, java.lang.Class<?>> getTypeMap() throws java.sql.SQLException {
    return delegate.getTypeMap();
  }

  @Override
  public java.sql.SQLWarning getWarnings() throws java.sql.SQLException {
    return delegate.getWarnings();
  }

  @Override
  public boolean isClosed() throws java.sql.SQLException {
    return delegate.isClosed();
  }

  @Override
  public boolean isReadOnly() throws java.sql.SQLException {
    return delegate.isReadOnly();
  }

  @Override
  public boolean isValid(int p0) throws java.sql.SQLException {
    return delegate.isValid(p0);
  }

  @Override
  public java.lang.String nativeSQL(java.lang.String p0) throws java.sql.SQLException {
    return delegate.nativeSQL(p0);
  }

  @Override
  public java.sql.CallableStatement prepareCall(java.lang.String p0, int p1, int p2, int p3) throws java.sql.SQLException {
    return delegate.prepareCall(p0, p1, p2, p3);
  }

  @Override
  public java.sql.CallableStatement prepareCall(java.lang.String p0, int p1, int p2) throws java.sql.SQLException {
    return delegate.prepareCall(p0, p1, p2);
  }

  @Override
  public java.sql.CallableStatement prepareCall(java.lang.String p0) throws java.sql.SQLException {
    return delegate.prepareCall(p0);
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(java.lang.String p0, int[] p1) throws java.sql.SQLException {
    return delegate.prepareStatement(p0, p1);
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(java.lang.String p0, java.lang.String[] p1) throws java.sql.SQLException {
    return delegate.prepareStatement(p0, p1);
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(java.lang.String p0, int p1, int p2, int p3) throws java.sql.SQLException {
    return delegate.prepareStatement(p0, p1, p2, p3);
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(java.lang.String p0, int p1, int p2) throws java.sql.SQLException {
    return delegate.prepareStatement(p0, p1, p2);
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(java.lang.String p0, int p1) throws java.sql.SQLException {
    return delegate.prepareStatement(p0, p1);
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(java.lang.String p0) throws java.sql.SQLException {
    return delegate.prepareStatement(p0);
  }

  @Override
  public void releaseSavepoint(java.sql.Savepoint p0) throws java.sql.SQLException {
    delegate.releaseSavepoint(p0);
  }

  @Override
  public void rollback() throws java.sql.SQLException {
    delegate.rollback();
  }

  @Override
  public void rollback(java.sql.Savepoint p0) throws java.sql.SQLException {
    delegate.rollback(p0);
  }

  @Override
  public void setAutoCommit(boolean p0) throws java.sql.SQLException {
    delegate.setAutoCommit(p0);
  }

  @Override
  public void setCatalog(java.lang.String p0) throws java.sql.SQLException {
    delegate.setCatalog(p0);
  }

  @Override
  public void setClientInfo(java.lang.String p0, java.lang.String p1) throws java.sql.SQLClientInfoException {
    delegate.setClientInfo(p0, p1);
  }

  @Override
  public void setClientInfo(java.util.Properties p0) throws java.sql.SQLClientInfoException {
    delegate.setClientInfo(p0);
  }

  @Override
  public void setHoldability(int p0) throws java.sql.SQLException {
    delegate.setHoldability(p0);
  }

  @Override
  public void setNetworkTimeout(java.util.concurrent.Executor p0, int p1) throws java.sql.SQLException {
    delegate.setNetworkTimeout(p0, p1);
  }

  @Override
  public void setReadOnly(boolean p0) throws java.sql.SQLException {
    delegate.setReadOnly(p0);
  }

  @Override
  public java.sql.Savepoint setSavepoint() throws java.sql.SQLException {
    return delegate.setSavepoint();
  }

  @Override
  public java.sql.Savepoint setSavepoint(java.lang.String p0) throws java.sql.SQLException {
    return delegate.setSavepoint(p0);
  }

  @Override
  public void setSchema(java.lang.String p0) throws java.sql.SQLException {
    delegate.setSchema(p0);
  }

  @Override
  public void setShardingKey(java.sql.ShardingKey p0, java.sql.ShardingKey p1) throws java.sql.SQLException {
    delegate.setShardingKey(p0, p1);
  }

  @Override
  public void setShardingKey(java.sql.ShardingKey p0) throws java.sql.SQLException {
    delegate.setShardingKey(p0);
  }

  @Override
  public boolean setShardingKeyIfValid(java.sql.ShardingKey p0, int p1) throws java.sql.SQLException {
    return delegate.setShardingKeyIfValid(p0, p1);
  }

  @Override
  public boolean setShardingKeyIfValid(java.sql.ShardingKey p0, java.sql.ShardingKey p1, int p2) throws java.sql.SQLException {
    return delegate.setShardingKeyIfValid(p0, p1, p2);
  }

  @Override
  public void setTransactionIsolation(int p0) throws java.sql.SQLException {
    delegate.setTransactionIsolation(p0);
  }

  @Override
  public void setTypeMap(java.util.Map<java.lang.String, java.lang.Class<?>> p0) throws java.sql.SQLException {
    delegate.setTypeMap(p0);
  }
}
