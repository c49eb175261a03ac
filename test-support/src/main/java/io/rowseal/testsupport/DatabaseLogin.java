package io.rowseal.testsupport;

import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * How {@link TestDatabases} reached a server: its kind, JDBC URL, user and password, so that another JVM (a
 * crash test's child, see {@link ChildDatabase}) can open a DataSource to the same server. Immutable;
 * {@link #toString()} never shows the password.
 */
final class DatabaseLogin {
  final DatabaseKind kind;
  final String url;
  final String user; // null: whatever the URL says
  final String password; // null: whatever the URL says

  DatabaseLogin(DatabaseKind kind, String url, String user, String password) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.url = Objects.requireNonNull(url, "url");
    this.user = user;
    this.password = password;
  }

  /** A new DataSource to the server, as {@link DatabaseKind#dataSource} builds it. */
  DataSource dataSource() {
    try {
      return kind.dataSource(url, user, password);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot build a " + kind.displayName + " DataSource for "
          + DatabaseResolver.redact(url) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "DatabaseLogin[" + kind.displayName + " " + DatabaseResolver.redact(url) + ", user "
        + (user == null ? "from URL" : user) + "]";
  }
}
