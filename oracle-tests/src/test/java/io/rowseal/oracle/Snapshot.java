package io.rowseal.oracle;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every table and view of one copy as read over one connection: raw values (byte[] or String) and a
 * canonical, order-independent form for comparison.
 */
record Snapshot(Map<String, Table> tables) {

  record Table(String name, List<String> labels, List<Object[]> raw) {
    /** Rows rendered and sorted: the table's contents as a multiset. */
    List<String> canonical() {
      List<String> rows = new ArrayList<>();
      for (Object[] row : raw) {
        StringBuilder sb = new StringBuilder();
        for (Object v : row) {
          sb.append(Exec.canonical(v)).append(" | ");
        }
        rows.add(sb.toString());
      }
      rows.sort(null);
      return rows;
    }

    int column(String label) {
      for (int i = 0; i < labels.size(); i++) {
        if (labels.get(i).equalsIgnoreCase(label)) {
          return i;
        }
      }
      return -1;
    }
  }

  /** Every table as stored ({@code select *} over a raw connection). */
  static Snapshot raw(Connection c, OracleDb db, String schema) throws SQLException {
    Map<String, Table> tables = new TreeMap<>();
    for (String name : tableNames(c, db, schema)) {
      // qualified: a statement may have changed the session's schema (search_path, USE)
      tables.put(name, read(c, db == OracleDb.H2 ? name : schema + "." + name, name, null));
    }
    return new Snapshot(tables);
  }

  static List<String> tableNames(Connection c, OracleDb db, String schema) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(db.listTables(schema))) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  /** One table, all columns or the given ones. */
  static Table read(Connection c, String table, List<String> columns) throws SQLException {
    return read(c, table, table, columns);
  }

  private static Table read(Connection c, String from, String table, List<String> columns) throws SQLException {
    String sql = "select " + (columns == null ? "*" : String.join(", ", columns)) + " from " + from;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      List<String> labels = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        labels.add(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
      }
      List<Object[]> rows = new ArrayList<>();
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 1; i <= n; i++) {
          row[i - 1] = Exec.value(rs, i);
        }
        rows.add(row);
      }
      return new Table(table, labels, rows);
    }
  }

  /** Whether both hold the same tables with the same columns and the same rows (as multisets). */
  boolean sameAs(Snapshot other) {
    if (!tables.keySet().equals(other.tables.keySet())) {
      return false;
    }
    for (Map.Entry<String, Table> e : tables.entrySet()) {
      Table o = other.tables.get(e.getKey());
      if (!e.getValue().labels().equals(o.labels()) || !e.getValue().canonical().equals(o.canonical())) {
        return false;
      }
    }
    return true;
  }
}
