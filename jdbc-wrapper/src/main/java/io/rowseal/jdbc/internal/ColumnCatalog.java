package io.rowseal.jdbc.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The columns of tables, read once from {@link DatabaseMetaData} and cached, so that {@code SELECT *}
 * over an encrypted table can be expanded to a known list of columns (the result positions of
 * encrypted columns must be known when the plan is made), and so that id columns whose values do not
 * read back as written (fixed-width {@code CHAR(n)}) are found before any row is written. Thread-safe.
 */
final class ColumnCatalog {
  private final ConcurrentMap<String, List<ColumnInfo>> columns = new ConcurrentHashMap<>();

  /** One column: its name as the database reports it, and its {@link Types} code. */
  static final class ColumnInfo {
    final String name;
    final int jdbcType;

    ColumnInfo(String name, int jdbcType) {
      this.name = name;
      this.jdbcType = jdbcType;
    }

    /** Whether values are blank-padded to a fixed width when read back ({@code CHAR(n)}, {@code NCHAR(n)}). */
    boolean isFixedWidthCharacter() {
      return jdbcType == Types.CHAR || jdbcType == Types.NCHAR;
    }
  }

  /** The table's column names in table order, or an empty list if the database does not know it. */
  List<String> columns(Connection connection, @Nullable String schema, String table) {
    List<String> names = new ArrayList<>();
    for (ColumnInfo c : info(connection, schema, table)) {
      names.add(c.name);
    }
    return names;
  }

  /** The table's columns with their types, in table order; empty if the database does not know the table. */
  List<ColumnInfo> info(Connection connection, @Nullable String schema, String table) {
    String key = (schema == null ? "" : schema.toLowerCase(Locale.ROOT) + ".") + table.toLowerCase(Locale.ROOT);
    List<ColumnInfo> cached = columns.get(key);
    if (cached != null) {
      return cached;
    }
    List<ColumnInfo> found = read(connection, schema, table);
    if (!found.isEmpty()) {
      columns.put(key, found);
    }
    return found;
  }

  /** Forgets what it read (after DDL, for example). */
  void clear() {
    columns.clear();
  }

  private static List<ColumnInfo> read(Connection connection, @Nullable String explicitSchema, String table) {
    try {
      DatabaseMetaData meta = connection.getMetaData();
      String catalog = connection.getCatalog();
      @Nullable String schema = explicitSchema;
      if (schema == null) {
        try {
          schema = connection.getSchema();
        } catch (SQLException | AbstractMethodError e) {
          // an old driver: search every schema
        }
      } else if (meta.supportsCatalogsInDataManipulation() && !meta.supportsSchemasInDataManipulation()) {
        catalog = explicitSchema; // MariaDB: db.table names a catalog
        schema = null;
      }
      // Unquoted names are stored lower-case by PostgreSQL, upper-case by H2 and as written by MariaDB.
      for (String candidate : new String[] {table, table.toLowerCase(Locale.ROOT), table.toUpperCase(Locale.ROOT)}) {
        for (String s : schema == null ? new String[] {null}
            : new String[] {schema, schema.toLowerCase(Locale.ROOT), schema.toUpperCase(Locale.ROOT)}) {
          List<ColumnInfo> found = columnsIn(meta, catalog, s, candidate);
          if (!found.isEmpty()) {
            return found;
          }
        }
        if (schema != null && explicitSchema == null) {
          List<ColumnInfo> found = columnsIn(meta, catalog, null, candidate);
          if (!found.isEmpty()) {
            return found;
          }
        }
      }
      return List.of();
    } catch (SQLException e) {
      return List.of();
    }
  }

  private static List<ColumnInfo> columnsIn(DatabaseMetaData meta, @Nullable String catalog,
      @Nullable String schemaPattern, String table) throws SQLException {
    List<ColumnInfo> found = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    try (ResultSet rs = meta.getColumns(catalog, schemaPattern, table, null)) {
      while (rs.next()) {
        String schema = rs.getString("TABLE_SCHEM");
        if (schema != null && (schema.equalsIgnoreCase("information_schema") || schema.equalsIgnoreCase("pg_catalog"))) {
          continue;
        }
        int position = rs.getInt("ORDINAL_POSITION");
        int at = 0;
        while (at < positions.size() && positions.get(at) < position) {
          at++;
        }
        positions.add(at, position);
        found.add(at, new ColumnInfo(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE")));
      }
    }
    return List.copyOf(found);
  }
}
