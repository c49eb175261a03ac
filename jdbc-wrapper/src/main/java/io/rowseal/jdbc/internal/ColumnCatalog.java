package io.rowseal.jdbc.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The column names of tables, read once from {@link DatabaseMetaData} and cached, so that
 * {@code SELECT *} over an encrypted table can be expanded to a known list of columns (the result
 * positions of encrypted columns must be known when the plan is made). Thread-safe.
 */
final class ColumnCatalog {
  private final ConcurrentMap<String, List<String>> columns = new ConcurrentHashMap<>();

  /** The table's columns in table order, or an empty list if the database does not know it. */
  List<String> columns(Connection connection, String table) {
    String key = table.toLowerCase(Locale.ROOT);
    List<String> cached = columns.get(key);
    if (cached != null) {
      return cached;
    }
    List<String> found = read(connection, table);
    if (!found.isEmpty()) {
      columns.put(key, found);
    }
    return found;
  }

  /** Forgets what it read (after DDL, for example). */
  void clear() {
    columns.clear();
  }

  private static List<String> read(Connection connection, String table) {
    try {
      DatabaseMetaData meta = connection.getMetaData();
      String catalog = connection.getCatalog();
      @Nullable String schema = null;
      try {
        schema = connection.getSchema();
      } catch (SQLException | AbstractMethodError e) {
        // an old driver: search every schema
      }
      // Unquoted names are stored lower-case by PostgreSQL, upper-case by H2 and as written by MariaDB.
      for (String candidate : new String[] {table, table.toLowerCase(Locale.ROOT), table.toUpperCase(Locale.ROOT)}) {
        List<String> names = columnsIn(meta, catalog, schema, candidate);
        if (names.isEmpty() && schema != null) {
          names = columnsIn(meta, catalog, null, candidate);
        }
        if (!names.isEmpty()) {
          return names;
        }
      }
      return List.of();
    } catch (SQLException e) {
      return List.of();
    }
  }

  private static List<String> columnsIn(DatabaseMetaData meta, @Nullable String catalog, @Nullable String schemaPattern,
      String table) throws SQLException {
    List<String> names = new ArrayList<>();
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
        names.add(at, rs.getString("COLUMN_NAME"));
      }
    }
    return List.copyOf(names);
  }
}
