package io.rowseal.hibernate;

import io.rowseal.testsupport.TestDatabases;
import javax.sql.DataSource;

/** The databases the Hibernate tests run on; PostgreSQL gets a fresh schema per fixture. */
enum Db {
  H2, POSTGRES;

  /** A raw DataSource on an empty, isolated namespace. */
  DataSource isolated() {
    String name = TestDatabases.uniqueName("hib");
    return this == H2 ? TestDatabases.h2(name) : TestDatabases.postgresSchema(name);
  }
}
