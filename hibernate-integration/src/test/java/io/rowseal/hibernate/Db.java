package io.rowseal.hibernate;

import io.rowseal.testsupport.TestDatabases;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** The databases the Hibernate tests run on; PostgreSQL gets a fresh schema per fixture. */
enum Db {
  H2, POSTGRES;

  /** A raw DataSource on an empty, isolated namespace. */
  DataSource isolated() throws SQLException {
    if (this == H2) {
      return TestDatabases.h2(TestDatabases.uniqueName("hib"));
    }
    String schema = TestDatabases.uniqueName("hib");
    DataSource server = TestDatabases.postgres();
    try (Connection c = server.getConnection(); Statement s = c.createStatement()) {
      s.execute("create schema " + schema);
    }
    return new SchemaDataSource(server, schema);
  }

  /** Connections whose search path is one schema (so entity tables need no qualification). */
  static final class SchemaDataSource implements DataSource {
    final DataSource delegate;
    final String schema;

    SchemaDataSource(DataSource delegate, String schema) {
      this.delegate = delegate;
      this.schema = schema;
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = delegate.getConnection();
      try (Statement s = c.createStatement()) {
        s.execute("set search_path to " + schema);
      }
      return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException();
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
      return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return delegate.isWrapperFor(iface);
    }
  }
}
