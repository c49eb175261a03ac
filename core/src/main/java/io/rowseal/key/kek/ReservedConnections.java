package io.rowseal.key.kek;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/*
 * Why KekStore may own its connections. KEK reads (a cache miss on an old KEK) run on the caller's
 * thread, which often holds a connection of the application's pool already (a partial UPDATE reads the
 * row's key inside its transaction). If the KEK table were read through that same pool, a pool whose
 * every connection is held by such callers could never serve the KEK read: each caller waits for a
 * connection that only another waiting caller could return, until the pool's timeout. A handful of
 * connections that only KekStore uses cannot be starved that way. KEK traffic is a few statements per
 * KEK per cache lifetime, so two connections are plenty; they are opened on first use, checked before
 * reuse and closed with the store.
 */

/**
 * A very small pool of connections that only {@link KekStore} uses, opened from a JDBC URL through
 * {@link DriverManager}. Thread-safe. {@link #toString()} shows the URL without its parameters (which may
 * hold credentials).
 */
final class ReservedConnections implements DataSource, AutoCloseable {
  private final String url;
  private final Properties info;
  private final int size;
  private final Duration timeout;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  ReservedConnections(String url, Properties info, int size, Duration timeout) {
    if (!url.startsWith("jdbc:")) {
      throw new IllegalArgumentException("KekStore jdbcUrl must start with jdbc:, was " + masked(url));
    }
    this.url = url;
    this.info = (Properties) info.clone();
    this.size = size;
    this.timeout = timeout;
    this.permits = new Semaphore(size, true);
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (closed) {
      throw new SQLTransientConnectionException(this + " is closed", "08003");
    }
    boolean got;
    try {
      got = permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException("interrupted while waiting for one of " + this, "08001", e);
    }
    if (!got) {
      throw new SQLTransientConnectionException("all " + size + " of " + this + " stayed in use for "
          + timeout.toMillis() + " ms", "08001");
    }
    try {
      Connection c;
      while ((c = idle.pollFirst()) != null && !c.isValid(2)) {
        closeQuietly(c);
      }
      if (c == null) {
        c = DriverManager.getConnection(url, info);
      }
      return lease(c);
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /** A handle on {@code physical} whose {@code close()} gives it back (rolled back, auto-commit on). */
  private Connection lease(Connection physical) {
    InvocationHandler handler = new InvocationHandler() {
      private boolean returned;

      @Override
      public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
          case "close":
            if (!returned) {
              returned = true;
              giveBack(physical);
            }
            return null;
          case "isClosed":
            return returned || physical.isClosed();
          case "toString":
            return "KekStore connection";
          case "hashCode":
            return System.identityHashCode(proxy);
          case "equals":
            return proxy == args[0];
          default:
            if (returned) {
              throw new SQLException("connection already closed", "08003");
            }
            try {
              return method.invoke(physical, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
        }
      }
    };
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private void giveBack(Connection physical) {
    try {
      if (!physical.getAutoCommit()) {
        physical.rollback();
        physical.setAutoCommit(true);
      }
      if (closed) {
        physical.close();
      } else {
        idle.push(physical);
      }
    } catch (SQLException | RuntimeException e) {
      closeQuietly(physical); // broken: the next user opens a fresh one
    } finally {
      permits.release();
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException | RuntimeException ignored) {
      // already broken; nothing to keep
    }
  }

  /** Closes the idle connections; connections in use are closed when given back. */
  @Override
  public void close() {
    closed = true;
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      closeQuietly(c);
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("KekStore's connections use the credentials they were configured with");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // DriverManager logs on its own
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // the wait for a connection is bounded by this pool's own timeout
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no java.util.logging logger");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  /** The URL up to its parameters ({@code ?} or {@code ;}), which may hold a user or password. */
  static String masked(String url) {
    int cut = url.length();
    for (char c : new char[] {'?', ';'}) {
      int i = url.indexOf(c);
      if (i >= 0 && i < cut) {
        cut = i;
      }
    }
    int at = url.lastIndexOf('@', cut);
    String head = at >= 0 && url.indexOf("//") >= 0 && url.indexOf("//") < at ? url.substring(0, url.indexOf("//") + 2) + "***@" + url.substring(at + 1, cut) : url.substring(0, cut);
    return cut < url.length() ? head + "?..." : head;
  }

  @Override
  public String toString() {
    return "KekStore's own " + size + " connections to " + masked(url);
  }
}
