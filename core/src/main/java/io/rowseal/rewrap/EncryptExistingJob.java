package io.rowseal.rewrap;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.PlaintextAdoption;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.errors.RowSealException;
import io.rowseal.internal.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/*
 * How the job stays safe when killed or run beside the application.
 *
 * It walks the rows that have no companion yet and hold at least one non-NULL encrypted column, in
 * primary-key order, a page at a time (keyset pagination: WHERE id > last id). For each it reads the
 * plaintext values, makes a fresh row-bound data key, encrypts every non-NULL value to the text form
 * and writes them with a compare-and-set on the companion and on every value it read:
 *
 *   UPDATE t SET c1 = ?, c2 = ?, companion = ?
 *    WHERE id = ? AND companion IS NULL AND c1 = ? AND c2 IS NULL ...
 *
 * (c IS NULL for a value read as NULL, so no IS NOT DISTINCT FROM is needed). A row is therefore
 * always entirely plaintext without a companion, or entirely encrypted with one: readers in adoption
 * mode read both. If the application wrote the row in between (through RowSeal, which sets the
 * companion, or past it, changing a value), the compare fails, zero rows change and the row is
 * skipped. Each page commits on its own. Progress lives only in the data (which rows have a
 * companion), so a killed job is simply run again. No transaction is open while keys are made (a KMS
 * call per row in direct mode): a page is read and its read transaction ended, then encrypted, then
 * written in a transaction of its own.
 */

/**
 * Encrypts the existing plaintext rows of a table being adopted (see
 * {@link io.rowseal.PlaintextAdoption} for the DDL to run first and
 * {@link EncryptedTable.Builder#adoptingPlaintext(boolean)} for the read mode the application needs
 * meanwhile). Idempotent and resumable; safe to run while the application reads and writes. Build with
 * {@link #builder(DataSource, RowSeal, EncryptedTable)}; {@link #run()} may be called more than once.
 * Not thread-safe (run one job per table per process; several processes may split a table by id range
 * with {@link Builder#idRange}).
 *
 * <p>Rows whose values cannot be encrypted in place (a value not of the column's type, a text form wider
 * than the column, a value already in RowSeal's text form) are left as they are and listed in the
 * report; nothing is ever truncated.
 */
public final class EncryptExistingJob {
  private final DataSource dataSource;
  private final RowSeal rowSeal;
  private final EncryptedTable table;
  private final int batchSize;
  private final @Nullable Object fromId;
  private final @Nullable Object toId;
  private final @Nullable ProgressListener listener;
  private final boolean dryRun;
  private final @Nullable Runnable beforeWrite;

  private EncryptExistingJob(Builder b) {
    this.dataSource = b.dataSource;
    this.rowSeal = b.rowSeal;
    this.table = b.table;
    this.batchSize = b.batchSize;
    this.fromId = b.fromId;
    this.toId = b.toId;
    this.listener = b.listener;
    this.dryRun = b.dryRun;
    this.beforeWrite = b.beforeWrite;
  }

  public static Builder builder(DataSource dataSource, RowSeal rowSeal, EncryptedTable table) {
    return new Builder(dataSource, rowSeal, table);
  }

  /** Told after each page; for progress bars and logs. */
  @FunctionalInterface
  public interface ProgressListener {
    void pageDone(EncryptExistingReport soFar);
  }

  /**
   * Runs the job to the end of the table (or id range).
   *
   * @throws SQLException if the database fails; pages already committed stay done, so run again
   * @throws io.rowseal.errors.KeyUnavailableException if the active master key cannot wrap; nothing of that page is written
   */
  public EncryptExistingReport run() throws SQLException {
    List<EncryptedColumn> columns = table.columns();
    String id = table.idColumns().get(0);
    String companion = table.companionColumn();
    StringBuilder select = new StringBuilder("SELECT ").append(id);
    StringBuilder anyValue = new StringBuilder();
    for (EncryptedColumn c : columns) {
      select.append(", ").append(c.name());
      anyValue.append(anyValue.length() == 0 ? "" : " OR ").append(c.name()).append(" IS NOT NULL");
    }
    select.append(" FROM ").append(table.name());
    KeysetPages pages = new KeysetPages(table.idColumns(), select.toString(), companion + " IS NULL AND (" + anyValue + ")"
        + (fromId != null ? " AND " + id + " >= ?" : "") + (toId != null ? " AND " + id + " <= ?" : ""), batchSize);

    EncryptExistingReport.Counter counter = new EncryptExistingReport.Counter(table.name(), dryRun);
    try {
      run(pages, columns.size(), counter);
    } catch (SQLException e) {
      throw SqlErrors.withoutValues("encrypt-existing of " + table.name() + " failed; pages already committed stay"
          + " done, run it again to finish", e);
    }
    return counter.report();
  }

  private void run(KeysetPages pages, int columnCount, EncryptExistingReport.Counter counter) throws SQLException {
    Object[] last = null;
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      boolean binaryCompare = isMySqlFamily(c);
      Map<Integer, PreparedStatement> writes = new LinkedHashMap<>();
      Throwable failure = null;
      try (PreparedStatement firstPage = c.prepareStatement(pages.firstSql);
          PreparedStatement nextPage = c.prepareStatement(pages.nextSql)) {
        int[] widths = null;
        while (true) {
          PreparedStatement page = last == null ? firstPage : nextPage;
          int p = 1;
          if (fromId != null) {
            page.setObject(p++, fromId);
          }
          if (toId != null) {
            page.setObject(p++, toId);
          }
          if (last != null) {
            pages.bindAfter(page, p, last);
          }
          List<Object> ids = new ArrayList<>();
          List<String[]> plaintexts = new ArrayList<>();
          try (ResultSet rs = page.executeQuery()) {
            if (widths == null) {
              widths = widths(rs.getMetaData(), columnCount);
            }
            while (rs.next()) {
              last = pages.key(rs);
              ids.add(last[0]);
              String[] plaintext = new String[columnCount];
              for (int i = 0; i < plaintext.length; i++) {
                plaintext[i] = rs.getString(i + 2);
              }
              plaintexts.add(plaintext);
            }
          }
          // End the read transaction before making keys: wrapping may call a KMS once per row, and a
          // transaction held open across those calls holds its snapshot (and, on some databases, locks)
          // for as long as the KMS takes. The compare-and-set below makes the write safe without it.
          c.commit();
          List<Row> encrypted = new ArrayList<>();
          for (int r = 0; r < ids.size(); r++) {
            counter.scanned++;
            Row row = encrypt(ids.get(r), plaintexts.get(r), widths, counter);
            if (row != null) {
              encrypted.add(row);
            }
          }
          if (dryRun) {
            counter.encrypted += encrypted.size();
          } else if (!encrypted.isEmpty()) {
            if (beforeWrite != null) {
              beforeWrite.run();
            }
            write(c, writes, encrypted, binaryCompare, counter);
            c.commit();
          }
          if (listener != null) {
            listener.pageDone(counter.report());
          }
          if (ids.size() < batchSize) {
            break;
          }
        }
      } catch (SQLException | RuntimeException | Error e) {
        failure = e;
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        SQLException closing = closeAll(writes.values(), c, autoCommit);
        if (closing != null) {
          if (failure == null) {
            throw closing;
          }
          failure.addSuppressed(closing);
        }
      }
    }
  }

  /**
   * Closes every statement and restores auto-commit, whatever fails on the way: the first failure is
   * returned with the later ones suppressed in it, or null.
   */
  private static @Nullable SQLException closeAll(Iterable<PreparedStatement> statements, Connection c,
      boolean autoCommit) {
    SQLException first = null;
    for (PreparedStatement ps : statements) {
      try {
        ps.close();
      } catch (SQLException e) {
        first = addTo(first, e);
      }
    }
    try {
      c.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      first = addTo(first, e);
    }
    return first;
  }

  private static SQLException addTo(@Nullable SQLException first, SQLException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  /** A plaintext row read and encrypted, ready for its compare-and-set. */
  private static final class Row {
    final Object id;
    final String[] plaintext;
    final String[] sealed;
    final byte[] companion;

    Row(Object id, String[] plaintext, String[] sealed, byte[] companion) {
      this.id = id;
      this.plaintext = plaintext;
      this.sealed = sealed;
      this.companion = companion;
    }

    /** Bit i set when encrypted column i was read as NULL: selects the compare-and-set's text. */
    int nullMask() {
      int mask = 0;
      for (int i = 0; i < plaintext.length; i++) {
        if (plaintext[i] == null) {
          mask |= 1 << i;
        }
      }
      return mask;
    }
  }

  private @Nullable Row encrypt(Object id, String[] plaintext, int[] widths, EncryptExistingReport.Counter counter) {
    RowId rowId;
    try {
      rowId = RowId.of(id);
    } catch (IllegalArgumentException e) {
      counter.fail(String.valueOf(id), e.getMessage());
      return null;
    }
    List<EncryptedColumn> columns = table.columns();
    Object[] values = new Object[plaintext.length];
    try {
      for (int i = 0; i < plaintext.length; i++) {
        if (plaintext[i] != null) {
          values[i] = PlaintextAdoption.parsePlaintext(columns.get(i), rowId, plaintext[i]);
        }
      }
    } catch (RowSealException e) {
      counter.fail(rowId.toString(), e.getMessage());
      return null;
    }
    String[] sealed = new String[plaintext.length];
    try (RowKey key = rowSeal.newRowKey(table, rowId)) {
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null) {
          continue;
        }
        EncryptedColumn column = columns.get(i);
        sealed[i] = (String) key.encrypt(column, values[i]);
        if (widths[i] > 0 && sealed[i].length() > widths[i]) {
          counter.fail(rowId.toString(), "column " + column.name() + " holds " + widths[i] + " characters, but this"
              + " row's encrypted value needs " + sealed[i].length() + "; widen it (PlaintextAdoption.requiredTextWidth)"
              + " and run again");
          return null;
        }
      }
      return new Row(id, plaintext, sealed, key.companion());
    }
  }

  private void write(Connection c, Map<Integer, PreparedStatement> writes, List<Row> rows, boolean binaryCompare,
      EncryptExistingReport.Counter counter) throws SQLException {
    Map<Integer, List<Row>> byMask = new LinkedHashMap<>();
    for (Row r : rows) {
      byMask.computeIfAbsent(r.nullMask(), m -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<Integer, List<Row>> group : byMask.entrySet()) {
      int mask = group.getKey();
      PreparedStatement ps = writes.get(mask);
      if (ps == null) {
        ps = c.prepareStatement(compareAndSet(mask, binaryCompare));
        writes.put(mask, ps);
      }
      for (Row r : group.getValue()) {
        int p = 1;
        for (String s : r.sealed) {
          if (s == null) {
            ps.setNull(p++, Types.VARCHAR);
          } else {
            ps.setString(p++, s);
          }
        }
        ps.setBytes(p++, r.companion);
        ps.setObject(p++, r.id);
        for (String old : r.plaintext) {
          if (old != null) {
            ps.setString(p++, old);
            if (binaryCompare) {
              ps.setInt(p++, old.codePointCount(0, old.length()));
            }
          }
        }
        ps.addBatch();
      }
      for (int n : ps.executeBatch()) {
        if (n == 0) {
          counter.changedMeanwhile++;
        } else {
          counter.encrypted++; // includes SUCCESS_NO_INFO: the driver did not say, and the compare held or not
        }
      }
    }
  }

  private String compareAndSet(int nullMask, boolean binaryCompare) {
    List<EncryptedColumn> columns = table.columns();
    StringBuilder sb = new StringBuilder("UPDATE ").append(table.name()).append(" SET ");
    for (EncryptedColumn col : columns) {
      sb.append(col.name()).append(" = ?, ");
    }
    sb.append(table.companionColumn()).append(" = ? WHERE ").append(table.idColumns().get(0)).append(" = ? AND ")
        .append(table.companionColumn()).append(" IS NULL");
    for (int i = 0; i < columns.size(); i++) {
      String name = columns.get(i).name();
      if ((nullMask & (1 << i)) != 0) {
        sb.append(" AND ").append(name).append(" IS NULL");
      } else if (binaryCompare) {
        // MariaDB/MySQL compare text case-insensitively and ignore trailing spaces by default
        sb.append(" AND CONVERT(").append(name).append(" USING utf8mb4) COLLATE utf8mb4_bin = ? AND CHAR_LENGTH(")
            .append(name).append(") = ?");
      } else {
        sb.append(" AND ").append(name).append(" = ?");
      }
    }
    return sb.toString();
  }

  /** Each encrypted column's declared width in characters, or 0 when the driver does not say. */
  private static int[] widths(ResultSetMetaData meta, int columns) throws SQLException {
    int[] widths = new int[columns];
    for (int i = 0; i < columns; i++) {
      int precision = meta.getPrecision(i + 2);
      widths[i] = precision > 0 && precision < Integer.MAX_VALUE ? precision : 0;
    }
    return widths;
  }

  private static boolean isMySqlFamily(Connection c) throws SQLException {
    String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    return product.contains("mariadb") || product.contains("mysql");
  }

  @Override
  public String toString() {
    return "EncryptExistingJob[" + table.name() + ", batchSize=" + batchSize + (dryRun ? ", dryRun" : "") + "]";
  }

  /** The job's settings; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final RowSeal rowSeal;
    private final EncryptedTable table;
    private int batchSize = 1000;
    private @Nullable Object fromId;
    private @Nullable Object toId;
    private @Nullable ProgressListener listener;
    private boolean dryRun;
    private @Nullable Runnable beforeWrite;

    private Builder(DataSource dataSource, RowSeal rowSeal, EncryptedTable table) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.rowSeal = Objects.requireNonNull(rowSeal, "rowSeal");
      this.table = Objects.requireNonNull(table, "table");
    }

    /** Rows per page, read and written in one transaction (1000 by default). */
    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Only ids in {@code [fromId, toId]} (either may be null for open-ended), to split a table between workers. */
    public Builder idRange(@Nullable Object fromId, @Nullable Object toId) {
      this.fromId = fromId;
      this.toId = toId;
      return this;
    }

    public Builder progress(ProgressListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Reads, parses and encrypts every plaintext row and reports, but writes nothing (false by default). */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** Test hook: runs between reading a page and writing it, to stage a concurrent application write. */
    Builder beforeWrite(Runnable hook) {
      this.beforeWrite = hook;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalStateException if the table has a composite key, more than 31 encrypted columns, or a
     *     column that cannot be adopted in place (binary storage, {@code byte[]} values)
     */
    public EncryptExistingJob build() {
      if (table.idColumns().size() != 1) {
        throw new IllegalStateException("table " + table.name() + " has a composite key " + table.idColumns()
            + "; encrypt-existing supports single-column keys in this version");
      }
      if (table.columns().size() > 31) {
        throw new IllegalStateException("table " + table.name() + " has " + table.columns().size()
            + " encrypted columns; encrypt-existing supports up to 31");
      }
      try {
        PlaintextAdoption.requireAdoptable(table);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(e.getMessage());
      }
      return new EncryptExistingJob(this);
    }
  }
}
