package io.rowseal.jobs;

import io.rowseal.key.local.LocalKeystoreFile;

import io.rowseal.EncryptedTable;
import io.rowseal.errors.RowSealException;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.local.LocalKeystore;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a master key may be retired, and retires a local keystore key when it may. A key may
 * go only when no row needs it: {@link #check()} counts, per table, the rows whose companion names the
 * key (with {@link KeyStatus}), the rows whose companion cannot be read (they might name it: fail
 * closed), and the hierarchical KEK rows in {@code rowseal_kek} wrapped by it (when that table exists).
 * The active key is never retired. {@link #retireFrom(LocalKeystoreFile)} checks again and deletes the
 * entry only when the check is clean.
 *
 * <p>The check is a snapshot: a process that still has the key active (another host with an old
 * configuration) can wrap new rows after it. Retire only after every process uses the new active key,
 * run {@code rewrap} and then this. Build with {@link #builder(DataSource, KeyRef)}; not thread-safe.
 */
public final class KeyRetirement {
  /** The hierarchical mode's KEK table (its wrapped-KEK column in the companion format). */
  public static final String DEFAULT_KEK_TABLE = "rowseal_kek";
  /** The column of {@value #DEFAULT_KEK_TABLE} holding each KEK wrapped by a master key. */
  public static final String DEFAULT_KEK_COLUMN = "wrapped_kek";

  private final DataSource dataSource;
  private final KeyRef key;
  private final List<EncryptedTable> tables;
  private final @Nullable KeyRef active;
  private final String kekTable;
  private final String kekColumn;

  private KeyRetirement(Builder b) {
    this.dataSource = b.dataSource;
    this.key = b.key;
    this.tables = List.copyOf(b.tables);
    this.active = b.active;
    this.kekTable = b.kekTable;
    this.kekColumn = b.kekColumn;
  }

  public static Builder builder(DataSource dataSource, KeyRef key) {
    return new Builder(dataSource, key);
  }

  /**
   * Counts what still needs the key. Reads only companion columns (and the KEK table).
   *
   * @throws SQLException if a table cannot be read
   */
  public RetirementCheck check() throws SQLException {
    Map<String, Long> rows = new LinkedHashMap<>();
    Map<String, Long> unreadable = new LinkedHashMap<>();
    for (EncryptedTable table : tables) {
      Map<String, Long> counts = KeyStatus.count(dataSource, table);
      rows.put(table.name(), counts.getOrDefault(key.toString(), 0L));
      long bad = counts.getOrDefault(KeyStatus.UNREADABLE, 0L);
      if (bad > 0) {
        unreadable.put(table.name(), bad);
      }
    }
    List<String> problems = new ArrayList<>();
    Long kekRows = countKekRows(problems);
    if (kekRows != null) {
      rows.put(kekTable, kekRows);
    }
    boolean isActive = key.equals(active);
    return new RetirementCheck(key, rows, unreadable, kekRows != null, isActive, problems, false);
  }

  /**
   * Checks, and when nothing needs the key and it is not the active key, deletes its entry from the
   * keystore file. The returned check says whether it was retired and, if not, why.
   *
   * @throws IllegalArgumentException if the key is not a {@code local:} key or not in the file
   * @throws IllegalStateException if no active key was given to the builder
   * @throws SQLException if a table cannot be read (nothing is deleted)
   */
  public RetirementCheck retireFrom(LocalKeystoreFile keystore) throws SQLException {
    if (!LocalKeystore.SCHEME.equals(key.scheme())) {
      throw new IllegalArgumentException("key " + key + " is not a local keystore key (local:<alias>)");
    }
    if (active == null) {
      throw new IllegalStateException("the active key must be given (Builder.activeKey) before retiring a key");
    }
    String alias = key.toString().substring(LocalKeystore.SCHEME.length() + 1);
    if (keystore.entries().stream().noneMatch(e -> e.alias().equals(alias.toLowerCase(Locale.ROOT)))) {
      throw new IllegalArgumentException("keystore " + keystore.path() + " has no entry '" + alias + "'");
    }
    RetirementCheck check = check();
    if (!check.isSafe()) {
      return check;
    }
    keystore.removeKey(alias);
    return check.retired();
  }

  private @Nullable Long countKekRows(List<String> problems) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      String physical = findTable(c, kekTable);
      if (physical == null) {
        return null;
      }
      long n = 0;
      try (PreparedStatement ps = c.prepareStatement("SELECT " + kekColumn + " FROM " + physical);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byte[] wrapped = rs.getBytes(1);
          if (wrapped == null) {
            continue;
          }
          try {
            if (WrappedDataKey.decode(wrapped).keyRef().equals(key)) {
              n++;
            }
          } catch (RowSealException e) {
            n++; // unreadable: it might be wrapped by this key, so it counts (fail closed)
          }
        }
      } catch (SQLException e) {
        problems.add("table " + kekTable + " exists but its column " + kekColumn + " cannot be read ("
            + e.getSQLState() + "); it may hold KEKs wrapped by " + key);
      }
      return n;
    }
  }

  private static @Nullable String findTable(Connection c, String name) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    String schema = c.getSchema();
    for (String candidate : new String[] {name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)}) {
      try (ResultSet rs = meta.getTables(c.getCatalog(), schema, candidate, new String[] {"TABLE"})) {
        if (rs.next()) {
          return candidate;
        }
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "KeyRetirement[" + key + ", tables=" + tables.size() + "]";
  }

  /** What to check; {@link #build()} returns the retirement. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final KeyRef key;
    private final List<EncryptedTable> tables = new ArrayList<>();
    private @Nullable KeyRef active;
    private String kekTable = DEFAULT_KEK_TABLE;
    private String kekColumn = DEFAULT_KEK_COLUMN;

    private Builder(DataSource dataSource, KeyRef key) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.key = Objects.requireNonNull(key, "key");
    }

    /** Every table whose rows the key might wrap; all of the application's encrypted tables. */
    public Builder tables(List<EncryptedTable> tables) {
      this.tables.addAll(tables);
      return this;
    }

    /** The key that wraps new rows now; it is never retired. Required by {@link #retireFrom}. */
    public Builder activeKey(KeyRef active) {
      this.active = Objects.requireNonNull(active, "active");
      return this;
    }

    /** Where hierarchical KEKs live, when not {@value #DEFAULT_KEK_TABLE}.{@value #DEFAULT_KEK_COLUMN}. */
    public Builder kekTable(String table, String wrappedColumn) {
      this.kekTable = Objects.requireNonNull(table, "table");
      this.kekColumn = Objects.requireNonNull(wrappedColumn, "wrappedColumn");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalStateException if no table is given
     */
    public KeyRetirement build() {
      if (tables.isEmpty()) {
        throw new IllegalStateException("name the tables whose rows the key may wrap: a check of no table proves nothing");
      }
      return new KeyRetirement(this);
    }
  }
}
