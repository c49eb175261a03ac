package io.rowseal.oracle;

import io.rowseal.oracle.OracleCase.Api;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Runs one statement through one JDBC API and captures everything it returned, normalised for comparison. */
final class Exec {
  static final int QUERY_TIMEOUT_SECONDS = 30;
  private static final int MAX_RESULTS = 64;

  private Exec() {}

  /** One result of a statement: an update count or a result set. */
  sealed interface Result permits Count, Rows {}

  record Count(long count) implements Result {
    @Override
    public String toString() {
      return "count " + count;
    }
  }

  /**
   * @param labels column labels
   * @param names column names from the metadata (to look for the companion column)
   */
  record Rows(List<String> labels, List<String> names, List<List<String>> rows) implements Result {
    @Override
    public String toString() {
      return labels + " " + rows;
    }
  }

  static List<Result> run(Connection c, Api api, String sql, List<Object> params, List<List<Object>> batch,
      String[] update) throws SQLException {
    switch (api) {
      case STMT:
        try (Statement s = c.createStatement()) {
          s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
          return drain(s, s.execute(params.isEmpty() ? sql : Sql.inline(sql, params)));
        }
      case PREP:
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
          bind(ps, params);
          return drain(ps, ps.execute());
        }
      case CALL:
        try (CallableStatement cs = c.prepareCall(sql)) {
          cs.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
          bind(cs, params);
          return drain(cs, cs.execute());
        }
      case BATCH:
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
          for (List<Object> group : batch) {
            bind(ps, group);
            ps.addBatch();
          }
          return counts(ps.executeBatch());
        }
      case SBATCH:
        try (Statement s = c.createStatement()) {
          s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
          for (String part : sql.split("\n;;\n")) {
            s.addBatch(part.strip());
          }
          return counts(s.executeBatch());
        }
      case UPDRS:
        try (Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE)) {
          s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
          long n = 0;
          try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
              rs.updateString(update[0], update[1]);
              rs.updateRow();
              n++;
            }
          }
          return List.of(new Count(n));
        }
      default:
        throw new AssertionError(api);
    }
  }

  private static List<Result> counts(int[] counts) {
    List<Result> out = new ArrayList<>();
    for (int n : counts) {
      out.add(new Count(n));
    }
    return out;
  }

  static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      if (p == null) {
        ps.setNull(i + 1, Types.NULL);
      } else if (p instanceof Long l) {
        ps.setLong(i + 1, l);
      } else {
        ps.setString(i + 1, (String) p);
      }
    }
  }

  private static List<Result> drain(Statement s, boolean isResultSet) throws SQLException {
    List<Result> out = new ArrayList<>();
    boolean rs = isResultSet;
    for (int i = 0; i < MAX_RESULTS; i++) {
      if (rs) {
        try (ResultSet r = s.getResultSet()) {
          out.add(rows(r));
        }
      } else {
        long count = s.getUpdateCount();
        if (count == -1) {
          break;
        }
        out.add(new Count(count));
      }
      rs = s.getMoreResults();
    }
    return out;
  }

  static Rows rows(ResultSet r) throws SQLException {
    ResultSetMetaData md = r.getMetaData();
    int n = md.getColumnCount();
    List<String> labels = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      labels.add(md.getColumnLabel(i));
      names.add(md.getColumnName(i));
    }
    List<List<String>> rows = new ArrayList<>();
    while (r.next()) {
      List<String> row = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        row.add(canonical(value(r, i)));
      }
      rows.add(row);
    }
    return new Rows(labels, names, rows);
  }

  /** A column value as null, {@code byte[]} or a String (numbers normalised, arrays and LOBs rendered). */
  static Object value(ResultSet r, int i) throws SQLException {
    Object o = r.getObject(i);
    if (o == null) {
      return null;
    }
    if (o instanceof byte[] b) {
      return b;
    }
    if (o instanceof Number n) {
      try {
        return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
      } catch (NumberFormatException e) {
        return n.toString();
      }
    }
    if (o instanceof Boolean b) {
      return b.toString();
    }
    if (o instanceof Array a) {
      Object arr = a.getArray();
      return arr instanceof Object[] objects ? Arrays.deepToString(objects) : String.valueOf(arr);
    }
    if (o instanceof Clob clob) {
      return clob.getSubString(1, (int) clob.length());
    }
    if (o instanceof String s) {
      return s;
    }
    String s = r.getString(i);
    return s == null ? o.toString() : s;
  }

  static String canonical(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof byte[] b) {
      return "0x" + HexFormat.of().formatHex(b);
    }
    return v.toString();
  }
}
