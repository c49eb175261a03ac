package io.rowseal.testsupport;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource whose every new connection first runs one statement (PostgreSQL {@code set search_path},
 * MariaDB {@code use}), so a test gets a schema of its own on a shared server: tables with fixed names,
 * such as {@code rowseal_kek}, then never collide between tests.
 */
final class ScopedDataSource implements DataSource {
  private final DataSource target;
  private final String init;

  ScopedDataSource(DataSource target, String init) {
    this.target = target;
    this.init = init;
  }

  /** The server's DataSource this one scopes. */
  DataSource target() {
    return target;
  }

  /** The statement each new connection runs first. */
  String init() {
    return init;
  }

  private Connection scoped(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(init);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return scoped(target.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return scoped(target.getConnection(username, password));
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return target.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || target.isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "ScopedDataSource[" + init + "]";
  }
}
