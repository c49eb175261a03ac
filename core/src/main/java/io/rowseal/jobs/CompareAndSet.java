package io.rowseal.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/*
 * The one write every key job makes:
 *
 *   UPDATE t SET c1 = ?, ... WHERE id = ? AND r1 = ? AND r2 IS NULL ...
 *
 * where r1, r2, ... are every column the action read, compared with the value read (IS NULL for a value
 * read as NULL, so no IS NOT DISTINCT FROM is needed). If the application changed any of them between
 * the job's read and this write, zero rows change and the row counts as changed meanwhile: the
 * application's write wins, never the job's. The statement's text depends on which columns are set and
 * which were read as NULL, so one prepared statement per shape is kept for the worker's life.
 *
 * MariaDB/MySQL compare text case-insensitively and ignore trailing spaces by default, so there a text
 * column is compared as CONVERT(c USING utf8mb4) COLLATE utf8mb4_bin = ? AND CHAR_LENGTH(c) = ?.
 * Binary columns compare byte for byte everywhere.
 */

/** Compare-and-set writes of one worker's pages. Not thread-safe: one per worker connection. */
final class CompareAndSet implements AutoCloseable {
  private final Connection connection;
  private final String table;
  private final List<String> ids;
  private final List<JobColumn> columns;
  private final boolean binaryTextCompare;
  private final Map<String, PreparedStatement> statements = new LinkedHashMap<>();

  CompareAndSet(Connection connection, String table, List<String> ids, List<JobColumn> columns) throws SQLException {
    this.connection = connection;
    this.table = table;
    this.ids = ids;
    this.columns = columns;
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    this.binaryTextCompare = product.contains("mariadb") || product.contains("mysql");
  }

  /** One row to write: its key, the values read and the new values ({@code set[i]}: column i is written). */
  static final class Write {
    final Object[] key;
    final @Nullable Object[] read;
    final boolean[] set;
    final @Nullable Object[] values;

    Write(Object[] key, @Nullable Object[] read, boolean[] set, @Nullable Object[] values) {
      this.key = key;
      this.read = read;
      this.set = set;
      this.values = values;
    }

    String shape() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < read.length; i++) {
        sb.append(set[i] ? 'S' : '-').append(read[i] == null ? 'N' : 'V');
      }
      return sb.toString();
    }
  }

  /**
   * Writes {@code rows} in the connection's current transaction (the caller commits) and returns, per
   * row in order, whether its compare held.
   */
  boolean[] write(List<Write> rows) throws SQLException {
    Map<String, List<Integer>> byShape = new LinkedHashMap<>();
    for (int r = 0; r < rows.size(); r++) {
      byShape.computeIfAbsent(rows.get(r).shape(), s -> new ArrayList<>()).add(r);
    }
    boolean[] held = new boolean[rows.size()];
    for (List<Integer> group : byShape.values()) {
      Write first = rows.get(group.get(0));
      PreparedStatement ps = statements.get(first.shape());
      if (ps == null) {
        ps = connection.prepareStatement(sql(first));
        statements.put(first.shape(), ps);
      }
      for (int r : group) {
        bind(ps, rows.get(r));
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int g = 0; g < group.size(); g++) {
        int n = g < counts.length ? counts[g] : Statement.SUCCESS_NO_INFO;
        Write w = rows.get(group.get(g));
        // the driver did not say whether this row's compare held: look, inside the same transaction
        held[group.get(g)] = n == Statement.SUCCESS_NO_INFO ? holds(w) : n > 0;
      }
    }
    return held;
  }

  private String sql(Write w) {
    StringBuilder sb = new StringBuilder("UPDATE ").append(table).append(" SET ");
    String sep = "";
    for (int i = 0; i < columns.size(); i++) {
      if (w.set[i]) {
        sb.append(sep).append(columns.get(i).name()).append(" = ?");
        sep = ", ";
      }
    }
    sb.append(" WHERE ");
    sep = "";
    for (String id : ids) {
      sb.append(sep).append(id).append(" = ?");
      sep = " AND ";
    }
    for (int i = 0; i < columns.size(); i++) {
      JobColumn c = columns.get(i);
      if (w.read[i] == null) {
        sb.append(" AND ").append(c.name()).append(" IS NULL");
      } else if (c.isText() && binaryTextCompare) {
        sb.append(" AND CONVERT(").append(c.name()).append(" USING utf8mb4) COLLATE utf8mb4_bin = ? AND CHAR_LENGTH(")
            .append(c.name()).append(") = ?");
      } else {
        sb.append(" AND ").append(c.name()).append(" = ?");
      }
    }
    return sb.toString();
  }

  private void bind(PreparedStatement ps, Write w) throws SQLException {
    int p = 1;
    for (int i = 0; i < columns.size(); i++) {
      if (w.set[i]) {
        p = bindValue(ps, p, columns.get(i), w.values[i]);
      }
    }
    for (Object part : w.key) {
      ps.setObject(p++, part);
    }
    for (int i = 0; i < columns.size(); i++) {
      Object old = w.read[i];
      if (old == null) {
        continue;
      }
      p = bindValue(ps, p, columns.get(i), old);
      if (columns.get(i).isText() && binaryTextCompare) {
        String s = (String) old;
        ps.setInt(p++, s.codePointCount(0, s.length()));
      }
    }
  }

  private static int bindValue(PreparedStatement ps, int p, JobColumn c, @Nullable Object value) throws SQLException {
    if (value == null) {
      ps.setNull(p, c.isText() ? Types.VARCHAR : Types.VARBINARY);
    } else if (c.isText()) {
      ps.setString(p, (String) value);
    } else {
      ps.setBytes(p, (byte[]) value);
    }
    return p + 1;
  }

  /** Whether the row now holds exactly the values written (fresh ciphertext is unique: each has a random nonce). */
  private boolean holds(Write w) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT ");
    List<Integer> written = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (w.set[i]) {
        sql.append(written.isEmpty() ? "" : ", ").append(columns.get(i).name());
        written.add(i);
      }
    }
    sql.append(" FROM ").append(table).append(" WHERE ");
    for (int i = 0; i < ids.size(); i++) {
      sql.append(i == 0 ? "" : " AND ").append(ids.get(i)).append(" = ?");
    }
    try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
      for (int i = 0; i < w.key.length; i++) {
        ps.setObject(i + 1, w.key[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        for (int k = 0; k < written.size(); k++) {
          int i = written.get(k);
          Object now = columns.get(i).isText() ? rs.getString(k + 1) : rs.getBytes(k + 1);
          boolean same = now instanceof byte[] && w.values[i] instanceof byte[]
              ? Arrays.equals((byte[]) now, (byte[]) w.values[i]) : Objects.equals(now, w.values[i]);
          if (!same) {
            return false;
          }
        }
        return true;
      }
    }
  }

  /** Closes every statement, whatever fails: the first failure is thrown with the later ones suppressed. */
  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    statements.clear();
    if (first != null) {
      throw first;
    }
  }
}
