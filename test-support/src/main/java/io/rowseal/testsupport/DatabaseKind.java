package io.rowseal.testsupport;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.containers.MariaDBContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The server databases {@link TestDatabases} knows how to find: how to build a DataSource, which
 * container image to use, which environment variables and local default to try. Immutable and
 * thread-safe.
 */
enum DatabaseKind {
  POSTGRES("PostgreSQL", "ROWSEAL_TEST_POSTGRES", "postgres:15-alpine",
      "jdbc:postgresql://127.0.0.1:5432/test", "postgres", "jdbc:postgresql://host:5432/db") {
    @Override
    DataSource dataSource(String url, String user, String password) {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl(url); // also applies user/password/other parameters present in the URL
      if (user != null) {
        ds.setUser(user);
      }
      if (password != null) {
        ds.setPassword(password);
      }
      if (!DatabaseResolver.hasParam(url, "connectTimeout")) {
        ds.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
      }
      return ds;
    }

    @Override
    JdbcDatabaseContainer<?> newContainer() {
      return new PostgreSQLContainer<>(DockerImageName.parse(image));
    }
  },

  MARIADB("MariaDB", "ROWSEAL_TEST_MARIADB", "mariadb:11",
      "jdbc:mariadb://127.0.0.1:3306/test", "root", "jdbc:mariadb://host:3306/db") {
    @Override
    DataSource dataSource(String url, String user, String password) throws SQLException {
      MariaDbDataSource ds = new MariaDbDataSource(url);
      if (user != null) {
        ds.setUser(user);
      }
      if (password != null) {
        ds.setPassword(password);
      }
      if (!DatabaseResolver.hasParam(url, "connectTimeout")) {
        ds.setLoginTimeout(CONNECT_TIMEOUT_SECONDS); // becomes connectTimeout in milliseconds
      }
      return ds;
    }

    @Override
    JdbcDatabaseContainer<?> newContainer() {
      return new MariaDBContainer<>(DockerImageName.parse(image));
    }
  };

  /** Connect timeout used for every candidate unless its URL sets one. */
  static final int CONNECT_TIMEOUT_SECONDS = 3;

  final String displayName;
  final String envPrefix;
  final String image;
  final String localUrl;
  final String defaultUser;
  final String exampleUrl;

  DatabaseKind(String displayName, String envPrefix, String image, String localUrl,
      String defaultUser, String exampleUrl) {
    this.displayName = displayName;
    this.envPrefix = envPrefix;
    this.image = image;
    this.localUrl = localUrl;
    this.defaultUser = defaultUser;
    this.exampleUrl = exampleUrl;
  }

  String urlVar() {
    return envPrefix + "_URL";
  }

  String userVar() {
    return envPrefix + "_USER";
  }

  String passwordVar() {
    return envPrefix + "_PASSWORD";
  }

  /**
   * Builds an (unchecked) DataSource. A {@code null} user or password means "leave whatever the URL
   * says".
   */
  abstract DataSource dataSource(String url, String user, String password) throws SQLException;

  /** A new, not yet started container for this database. */
  abstract JdbcDatabaseContainer<?> newContainer();

  /** Instructions for the failure message. */
  String howToProvide() {
    return "Provide one in any of these ways:"
        + "\n  1. start Docker, so Testcontainers can run " + image + ";"
        + "\n  2. set " + urlVar() + " to a JDBC URL (e.g. " + exampleUrl + "), optionally with "
        + userVar() + " / " + passwordVar() + " (default user " + defaultUser
        + ", empty password);"
        + "\n  3. run " + displayName + " on " + hostAndPort(localUrl) + " with a database 'test'"
        + " that user '" + defaultUser + "' can log into with an empty password.";
  }

  private static String hostAndPort(String url) {
    String rest = url.substring(url.indexOf("//") + 2);
    return rest.substring(0, rest.indexOf('/'));
  }
}
