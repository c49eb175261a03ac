package io.rowseal.rewrap;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.RowSealException;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.key.KeyRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/*
 * How the job stays safe when killed or run beside the application.
 *
 * It walks the table in primary-key order, a page at a time (keyset pagination: WHERE id > last id),
 * reading only the id and companion columns. For each row whose companion names another key than the
 * active one it opens the data key and wraps the same key again under the active master key, then
 * writes the new companion with a compare-and-set:
 *
 *   UPDATE t SET companion = :new WHERE id = :id AND companion = :old
 *
 * Data columns are never read or written, so a row is always either entirely under its old wrap or
 * entirely under its new one, and both open the same data key. If the application rewrote the row in
 * between, the compare fails, zero rows change, and the row is skipped: the application's write used the
 * active key already. Each page commits on its own. Progress lives only in the data (each row's key
 * reference), so a killed job is simply run again: rows already moved are skipped by the key check.
 */

/**
 * Moves every row of one table to the key ring's active master key, touching only the companion
 * column. Idempotent and resumable; safe to run while the application writes. Build with
 * {@link #builder(DataSource, RowSeal, EncryptedTable)}; {@link #run()} may be called more than once.
 * Not thread-safe (run one job per table per process; several processes may split a table by id range
 * with {@link Builder#idRange}).
 */
public final class RewrapJob {
  private final DataSource dataSource;
  private final RowSeal rowSeal;
  private final EncryptedTable table;
  private final int batchSize;
  private final @Nullable Object fromId;
  private final @Nullable Object toId;
  private final @Nullable ProgressListener listener;
  private final @Nullable Runnable beforeWrite;

  private RewrapJob(Builder b) {
    this.dataSource = b.dataSource;
    this.rowSeal = b.rowSeal;
    this.table = b.table;
    this.batchSize = b.batchSize;
    this.fromId = b.fromId;
    this.toId = b.toId;
    this.listener = b.listener;
    this.beforeWrite = b.beforeWrite;
  }

  public static Builder builder(DataSource dataSource, RowSeal rowSeal, EncryptedTable table) {
    return new Builder(dataSource, rowSeal, table);
  }

  /** Told after each page; for progress bars and logs. */
  @FunctionalInterface
  public interface ProgressListener {
    void pageDone(RewrapReport soFar);
  }

  /**
   * Runs the job to the end of the table (or id range).
   *
   * @throws SQLException if the database fails; pages already committed stay done, so run again
   */
  public RewrapReport run() throws SQLException {
    if (table.idColumns().size() != 1) {
      throw new IllegalStateException("table " + table.name() + " has a composite key " + table.idColumns()
          + "; the re-wrap job supports single-column keys in this version");
    }
    KeyRef target = rowSeal.keyRing().active().ref();
    String id = table.idColumns().get(0);
    String companion = table.companionColumn();
    String select = "SELECT " + id + ", " + companion + " FROM " + table.name()
        + " WHERE " + companion + " IS NOT NULL" + (toId != null ? " AND " + id + " <= ?" : "")
        + " AND " + id + " > ? ORDER BY " + id + " FETCH FIRST " + batchSize + " ROWS ONLY";
    String firstSelect = select.replace(" AND " + id + " > ?", fromId != null ? " AND " + id + " >= ?" : "");
    String update = "UPDATE " + table.name() + " SET " + companion + " = ? WHERE " + id + " = ? AND " + companion + " = ?";

    RewrapReport.Counter counter = new RewrapReport.Counter(table.name(), target);
    Object last = null;
    boolean first = true;
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement firstPage = c.prepareStatement(firstSelect);
          PreparedStatement nextPage = c.prepareStatement(select);
          PreparedStatement write = c.prepareStatement(update)) {
        while (true) {
          PreparedStatement page = first ? firstPage : nextPage;
          int p = 1;
          if (toId != null) {
            page.setObject(p++, toId);
          }
          if (!first) {
            page.setObject(p, last);
          } else if (fromId != null) {
            page.setObject(p, fromId);
          }
          first = false;
          List<Object> ids = new ArrayList<>();
          List<byte[]> olds = new ArrayList<>();
          List<byte[]> news = new ArrayList<>();
          int rows = 0;
          try (ResultSet rs = page.executeQuery()) {
            while (rs.next()) {
              rows++;
              Object rowId = rs.getObject(1);
              byte[] old = rs.getBytes(2);
              last = rowId;
              counter.scanned++;
              byte[] fresh = rewrapped(rowId, old, target, counter);
              if (fresh != null) {
                ids.add(rowId);
                olds.add(old);
                news.add(fresh);
              }
            }
          }
          if (!ids.isEmpty()) {
            if (beforeWrite != null) {
              beforeWrite.run();
            }
            for (int i = 0; i < ids.size(); i++) {
              write.setBytes(1, news.get(i));
              write.setObject(2, ids.get(i));
              write.setBytes(3, olds.get(i));
              write.addBatch();
            }
            int[] counts = write.executeBatch();
            for (int n : counts) {
              if (n == 0) {
                counter.changedMeanwhile++;
              } else {
                counter.rewrapped++;
              }
            }
          }
          c.commit();
          if (listener != null) {
            listener.pageDone(counter.report());
          }
          if (rows < batchSize) {
            break;
          }
        }
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
    return counter.report();
  }

  private byte @Nullable [] rewrapped(Object id, byte[] companion, KeyRef target, RewrapReport.Counter counter) {
    RowId rowId;
    try {
      rowId = RowId.of(id);
    } catch (IllegalArgumentException e) {
      counter.fail(String.valueOf(id), e.getMessage());
      return null;
    }
    KeyRef current;
    try {
      current = WrappedDataKey.decode(companion).keyRef();
    } catch (RowSealException e) {
      counter.fail(rowId.toString(), e.getMessage());
      return null;
    }
    if (current.equals(target)) {
      counter.alreadyActive++;
      return null;
    }
    try (RowKey opened = rowSeal.openRowKey(table, rowId, companion)) {
      RowKey moved = rowSeal.rewrap(opened);
      try {
        return moved.companion();
      } finally {
        if (moved != opened) {
          moved.close();
        }
      }
    } catch (RowSealException e) {
      counter.fail(rowId.toString(), e.getMessage());
      return null;
    }
  }

  @Override
  public String toString() {
    return "RewrapJob[" + table.name() + ", batchSize=" + batchSize + "]";
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

    /** Test hook: runs between reading a page and writing it, to stage a concurrent application write. */
    Builder beforeWrite(Runnable hook) {
      this.beforeWrite = hook;
      return this;
    }

    public RewrapJob build() {
      return new RewrapJob(this);
    }
  }
}
