package io.rowseal.jobs;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Keyset pagination over a table's primary key, shared by the key jobs: the SQL of the first page and of
 * every next one ({@code WHERE <conditions> AND (id1, id2) > (?, ?) ORDER BY id1, id2 FETCH FIRST n ROWS
 * ONLY}, a plain {@code id > ?} for a single-column key), binding the last key read, and reading a row's
 * key. The select must list the id columns first. Row-value comparison works on PostgreSQL, MariaDB and H2.
 */
final class KeysetPages {
  private final int idCount;
  final String firstSql;
  final String nextSql;

  /**
   * @param select {@code SELECT <id columns>, … FROM <table>}
   * @param conditions extra conditions ANDed into the WHERE clause (their parameters come first), or ""
   */
  KeysetPages(List<String> ids, String select, String conditions, int batchSize) {
    this.idCount = ids.size();
    String columns = String.join(", ", ids);
    String after = ids.size() == 1 ? columns + " > ?" : "(" + columns + ") > (" + "?, ".repeat(ids.size() - 1) + "?)";
    String order = " ORDER BY " + columns + " FETCH FIRST " + batchSize + " ROWS ONLY";
    this.firstSql = select + (conditions.isEmpty() ? "" : " WHERE " + conditions) + order;
    this.nextSql = select + " WHERE " + (conditions.isEmpty() ? "" : conditions + " AND ") + after + order;
  }

  /** Binds the last key read to a next-page statement from parameter {@code p} on; returns the next index. */
  int bindAfter(PreparedStatement nextPage, int p, Object[] last) throws SQLException {
    for (Object part : last) {
      nextPage.setObject(p++, part);
    }
    return p;
  }

  /** The current row's key, from its first columns. */
  Object[] key(ResultSet rs) throws SQLException {
    Object[] key = new Object[idCount];
    for (int i = 0; i < idCount; i++) {
      key[i] = rs.getObject(i + 1);
    }
    return key;
  }
}
