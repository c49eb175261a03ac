package io.rowseal.oracle;

import java.util.Locale;

/** The databases the oracle runs on, with the few DDL words and catalog queries that differ. */
enum OracleDb {
  PG, MARIA, H2;

  /** The corpus spelling: {@code pg}, {@code maria}, {@code h2}. */
  String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  static OracleDb ofKey(String key) {
    for (OracleDb db : values()) {
      if (db.key().equals(key.trim().toLowerCase(Locale.ROOT))) {
        return db;
      }
    }
    throw new IllegalArgumentException("unknown database '" + key + "'; use pg, maria or h2");
  }

  /** The column type of the binary value form and the companion column. */
  String binary() {
    return this == PG ? "bytea" : "varbinary(512)";
  }

  /** The query listing the tables and views of the current schema / database, lower-cased, one column. */
  String listTables(String schema) {
    switch (this) {
      case PG: // pg_class rather than information_schema: the oracle lists tables several times per statement
        return "select lower(c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            + " where n.nspname = '" + schema + "' and c.relkind in ('r', 'v', 'm', 'p', 'f')";
      case MARIA:
        return "select lower(table_name) from information_schema.tables where table_schema = '" + schema + "'";
      default:
        return "select lower(table_name) from information_schema.tables where table_schema = 'PUBLIC'";
    }
  }
}
