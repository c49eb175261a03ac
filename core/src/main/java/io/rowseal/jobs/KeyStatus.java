package io.rowseal.jobs;

import io.rowseal.EncryptedTable;
import io.rowseal.errors.RowSealException;
import io.rowseal.format.WrappedDataKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * How many rows of a table each key reference wraps, read from the companion column (the source of
 * truth for rotation progress): a key may be retired only when it wraps no row. Rows with no companion
 * (every encrypted value NULL) are counted as {@link #NONE}, unreadable companions as {@link #UNREADABLE}.
 */
public final class KeyStatus {
  /** The count key for rows without a companion column value. */
  public static final String NONE = "(none)";
  /** The count key for companion values that are not a readable wrapped data key. */
  public static final String UNREADABLE = "(unreadable)";

  private KeyStatus() {}

  /** Rows per key reference, sorted by reference. Reads the whole companion column once. */
  public static Map<String, Long> count(DataSource dataSource, EncryptedTable table) throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false); // lets PostgreSQL stream with the fetch size instead of loading everything
      try (PreparedStatement ps = c.prepareStatement("SELECT " + table.companionColumn() + " FROM " + table.name())) {
        ps.setFetchSize(1000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            byte[] companion = rs.getBytes(1);
            String key;
            if (companion == null) {
              key = NONE;
            } else {
              try {
                key = WrappedDataKey.decode(companion).keyRef().toString();
              } catch (RowSealException e) {
                key = UNREADABLE;
              }
            }
            counts.merge(key, 1L, Long::sum);
          }
        }
        c.commit();
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
    return Collections.unmodifiableMap(counts);
  }
}
