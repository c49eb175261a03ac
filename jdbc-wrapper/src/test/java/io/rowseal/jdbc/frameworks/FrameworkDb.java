package io.rowseal.jdbc.frameworks;

import io.rowseal.testsupport.TestDatabases;
import java.util.Locale;
import javax.sql.DataSource;

/** The databases the framework tests run on, with the few DDL and naming facts that differ. */
enum FrameworkDb {
  POSTGRES, MARIADB, H2;

  /**
   * A raw (unwrapped) DataSource on a namespace of its own (a new PostgreSQL schema or MariaDB database, dropped
   * when the JVM exits, or a fresh in-memory H2): schema validation reads the whole current schema, so fixtures
   * must not share one with other tests.
   */
  DataSource raw() {
    switch (this) {
      case POSTGRES:
        return TestDatabases.postgresSchemaDroppedAtExit("frameworks");
      case MARIADB:
        return TestDatabases.mariadbDatabaseDroppedAtExit("frameworks");
      default:
        return TestDatabases.h2(TestDatabases.uniqueName("frameworks"));
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
