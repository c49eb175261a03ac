package io.rowseal.jdbc.frameworks;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource placed above {@link io.rowseal.jdbc.RowSealDataSource} that records every SQL text a library
 * hands to JDBC: {@code Connection.prepareStatement/prepareCall} and the {@code execute*}/{@code addBatch}
 * methods of statements from {@code createStatement}. What it records is the library's SQL, before RowSeal
 * rewrites or refuses it. Test code: dynamic proxies are fine here. Thread-safe.
 */
final class RecordingDataSource implements DataSource {
  private static final Set<String> CONNECTION_SQL = Set.of("prepareStatement", "prepareCall");
  private static final Set<String> STATEMENT_SQL =
      Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch");

  private final DataSource target;
  private final List<String> recorded = new ArrayList<>();

  RecordingDataSource(DataSource target) {
    this.target = target;
  }

  /** Every SQL text recorded so far, in call order, repeats included. */
  synchronized List<String> recorded() {
    return List.copyOf(recorded);
  }

  private synchronized void record(String sql) {
    recorded.add(sql);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connection(target.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return connection(target.getConnection(username, password));
  }

  private Connection connection(Connection c) {
    return proxy(Connection.class, c, (proxy, m, args) -> {
      if (CONNECTION_SQL.contains(m.getName()) && args != null && args[0] instanceof String) {
        record((String) args[0]);
      }
      Object result = invoke(m, c, args);
      if (m.getName().equals("createStatement") && result instanceof Statement) {
        return statement((Statement) result);
      }
      return result;
    });
  }

  private Statement statement(Statement s) {
    return proxy(Statement.class, s, (proxy, m, args) -> {
      if (STATEMENT_SQL.contains(m.getName()) && args != null && args.length > 0 && args[0] instanceof String) {
        record((String) args[0]);
      }
      return invoke(m, s, args);
    });
  }

  private static <T> T proxy(Class<T> type, Object target, InvocationHandler handler) {
    return type.cast(Proxy.newProxyInstance(RecordingDataSource.class.getClassLoader(), new Class<?>[] {type},
        handler));
  }

  private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
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
    return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || target.isWrapperFor(iface);
  }
}
