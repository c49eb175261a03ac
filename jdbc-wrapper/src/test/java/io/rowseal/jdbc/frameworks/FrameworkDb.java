package io.rowseal.jdbc.frameworks;

import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/** The databases the framework tests run on, with the few DDL and naming facts that differ. */
enum FrameworkDb {
  POSTGRES, MARIADB, H2;

  private static final List<Runnable> DROPS = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> DROPS.forEach(Runnable::run), "rowseal-test-schemas"));
  }

  /**
   * A raw (unwrapped) DataSource on a namespace of its own (a new PostgreSQL schema or MariaDB database, dropped
   * when the JVM exits, or a fresh in-memory H2): schema validation reads the whole current schema, so fixtures
   * must not share one with other tests.
   */
  DataSource raw() {
    String name = TestDatabases.uniqueName("frameworks");
    switch (this) {
      case POSTGRES:
        DROPS.add(() -> drop(TestDatabases.postgres(), "drop schema if exists " + name + " cascade"));
        return TestDatabases.postgresSchema(name);
      case MARIADB:
        DROPS.add(() -> drop(TestDatabases.mariadb(), "drop database if exists " + name));
        return TestDatabases.mariadbDatabase(name);
      default:
        return TestDatabases.h2(name);
    }
  }

  private static void drop(DataSource server, String sql) {
    try (Connection c = server.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      // best effort at JVM exit
    }
  }

  /** The column type for the binary value form and the companion column. */
  String binary() {
    return this == POSTGRES ? "bytea" : "varbinary(512)";
  }

  /**
   * An identifier as the catalog stores an unquoted one: H2 upper-cases, PostgreSQL and MariaDB keep
   * lower case. Code generators (jOOQ's) emit names in this case, quoted.
   */
  String stored(String unquoted) {
    return this == H2 ? unquoted.toUpperCase(Locale.ROOT) : unquoted;
  }

  /** The lower-case name used in file names. */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
