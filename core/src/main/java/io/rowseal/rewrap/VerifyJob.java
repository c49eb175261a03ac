package io.rowseal.rewrap;

import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.errors.RowSealException;
import io.rowseal.StorageForm;
import io.rowseal.errors.TypeMismatchException;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.rewrap.VerifyFailure.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/*
 * How verification reads a table.
 *
 * Like the re-wrap job it walks the table in primary-key order a page at a time (keyset pagination:
 * WHERE (id...) > (last id...)), each page its own short read, so it can run beside the application and
 * on tables of any size. For a row that is sampled it opens the data key from the companion column and
 * decrypts every non-NULL encrypted column through RowKey, the same code the application reads with,
 * so a row that verifies is a row the application can read. Decrypted values are dropped at once and
 * never reported: a failure names only table, column, row id, key reference and kind. Sampling is
 * decided per row after it is read (portable across databases, and the walk stays in key order); it is
 * not a security feature, so a plain seeded generator is enough.
 */

/**
 * Decrypts every row of one table (or a random sample, or the first rows up to a limit) with the key
 * ring of a {@link RowSeal}, and reports each row that the application could not read: a value that
 * fails authentication, a companion that does not open (altered, moved, unknown or unreachable key),
 * and a row with encrypted values but no companion. Read-only. Build with
 * {@link #builder(DataSource, RowSeal, EncryptedTable)}; {@link #run()} may be called more than once.
 * Not thread-safe.
 */
public final class VerifyJob {
  private final DataSource dataSource;
  private final RowSeal rowSeal;
  private final EncryptedTable table;
  private final int batchSize;
  private final double fraction;
  private final long limit;
  private final long seed;
  private final @Nullable ProgressListener listener;

  private VerifyJob(Builder b) {
    this.dataSource = b.dataSource;
    this.rowSeal = b.rowSeal;
    this.table = b.table;
    this.batchSize = b.batchSize;
    this.fraction = b.fraction;
    this.limit = b.limit;
    this.seed = b.seed;
    this.listener = b.listener;
  }

  public static Builder builder(DataSource dataSource, RowSeal rowSeal, EncryptedTable table) {
    return new Builder(dataSource, rowSeal, table);
  }

  /** Told after each page; for progress bars and logs. */
  @FunctionalInterface
  public interface ProgressListener {
    void pageDone(VerifyReport soFar);
  }

  /**
   * Reads the table to its end (or until {@code limit} rows are verified).
   *
   * @throws SQLException if the database fails
   */
  public VerifyReport run() throws SQLException {
    List<String> ids = table.idColumns();
    List<EncryptedColumn> columns = table.columns();
    StringBuilder select = new StringBuilder("SELECT ");
    for (String id : ids) {
      select.append(id).append(", ");
    }
    select.append(table.companionColumn());
    for (EncryptedColumn column : columns) {
      select.append(", ").append(column.name());
    }
    select.append(" FROM ").append(table.name());
    KeysetPages pages = new KeysetPages(ids, select.toString(), "", batchSize);

    SplittableRandom random = new SplittableRandom(seed);
    VerifyReport.Counter counter = new VerifyReport.Counter(table.name());
    Object[] last = null;
    try (Connection c = dataSource.getConnection();
        PreparedStatement first = c.prepareStatement(pages.firstSql);
        PreparedStatement next = c.prepareStatement(pages.nextSql)) {
      while (true) {
        PreparedStatement page = last == null ? first : next;
        if (last != null) {
          pages.bindAfter(page, 1, last);
        }
        int rows = 0;
        try (ResultSet rs = page.executeQuery()) {
          while (rs.next()) {
            rows++;
            Object[] id = pages.key(rs);
            last = id;
            counter.scanned++;
            if (fraction < 1.0 && random.nextDouble() >= fraction) {
              counter.skipped++;
              continue;
            }
            verifyRow(rs, id, columns, counter);
            if (limit > 0 && counter.verified >= limit) {
              break;
            }
          }
        }
        if (!c.getAutoCommit()) {
          c.commit();
        }
        if (listener != null) {
          listener.pageDone(counter.report());
        }
        if (rows < batchSize || (limit > 0 && counter.verified >= limit)) {
          break;
        }
      }
    }
    return counter.report();
  }

  private void verifyRow(ResultSet rs, Object[] id, List<EncryptedColumn> columns, VerifyReport.Counter counter)
      throws SQLException {
    counter.verified++;
    int base = id.length + 1;
    byte[] companion = rs.getBytes(base);
    Object[] stored = new Object[columns.size()];
    for (int i = 0; i < stored.length; i++) {
      stored[i] = columns.get(i).storage() == StorageForm.TEXT ? rs.getString(base + 1 + i) : rs.getBytes(base + 1 + i);
    }
    long failuresBefore = counter.failureCount;
    String rendered;
    RowId rowId;
    try {
      rowId = id.length == 1 ? RowId.of(id[0]) : RowId.composite(id);
      rendered = rowId.toString();
    } catch (IllegalArgumentException | NullPointerException e) {
      counter.fail(new VerifyFailure(table.name(), table.companionColumn(), rawId(id), null, Kind.INVALID_ROW_ID));
      counter.failedRows++;
      return;
    }
    if (companion == null) {
      for (int i = 0; i < stored.length; i++) {
        if (stored[i] != null) {
          counter.fail(new VerifyFailure(table.name(), columns.get(i).name(), rendered, null, Kind.MISSING_COMPANION));
        }
      }
    } else {
      KeyRef readable = WrappedDataKey.readableKeyRef(companion);
      String ref = readable == null ? null : readable.toString();
      RowKey key = null;
      try {
        key = rowSeal.openRowKey(table, rowId, companion);
      } catch (InvalidFormatException e) {
        counter.fail(new VerifyFailure(table.name(), table.companionColumn(), rendered, ref, Kind.UNREADABLE_COMPANION));
      } catch (KeyUnavailableException e) {
        counter.fail(new VerifyFailure(table.name(), table.companionColumn(), rendered, ref, Kind.KEY_UNAVAILABLE));
      } catch (RowSealException e) {
        // DecryptionFailedException, or anything else that keeps the key shut: fail closed
        counter.fail(new VerifyFailure(table.name(), table.companionColumn(), rendered, ref,
            Kind.COMPANION_AUTHENTICATION_FAILED));
      }
      if (key != null) {
        try (RowKey open = key) {
          for (int i = 0; i < stored.length; i++) {
            if (stored[i] == null) {
              continue;
            }
            Kind kind = decrypt(open, columns.get(i), stored[i]);
            if (kind == null) {
              counter.values++;
            } else {
              counter.fail(new VerifyFailure(table.name(), columns.get(i).name(), rendered, ref, kind));
            }
          }
        }
      }
    }
    if (counter.failureCount > failuresBefore) {
      counter.failedRows++;
    }
  }

  /** Decrypts one value and drops it; returns the failure kind, or null when it decrypted. */
  private static @Nullable Kind decrypt(RowKey key, EncryptedColumn column, Object stored) {
    try {
      key.decrypt(column, stored, column.javaType());
      return null;
    } catch (DecryptionFailedException e) {
      return Kind.VALUE_AUTHENTICATION_FAILED;
    } catch (TypeMismatchException e) {
      return Kind.VALUE_TYPE_MISMATCH;
    } catch (RowSealException e) {
      return Kind.VALUE_INVALID_FORMAT;
    }
  }

  private static String rawId(Object[] id) {
    List<String> parts = new ArrayList<>();
    for (Object o : id) {
      parts.add(String.valueOf(o));
    }
    return String.join(",", parts);
  }

  @Override
  public String toString() {
    return "VerifyJob[" + table.name() + ", batchSize=" + batchSize + ", sample=" + fraction
        + (limit > 0 ? ", limit=" + limit : "") + "]";
  }

  /** The job's settings; {@link #build()} returns the job. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final RowSeal rowSeal;
    private final EncryptedTable table;
    private int batchSize = 1000;
    private double fraction = 1.0;
    private long limit;
    private long seed = System.nanoTime();
    private @Nullable ProgressListener listener;

    private Builder(DataSource dataSource, RowSeal rowSeal, EncryptedTable table) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.rowSeal = Objects.requireNonNull(rowSeal, "rowSeal");
      this.table = Objects.requireNonNull(table, "table");
    }

    /** Rows per page (1000 by default). */
    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Verify each row with this probability, in (0, 1]; 1 (every row) by default. */
    public Builder sample(double fraction) {
      if (!(fraction > 0.0 && fraction <= 1.0)) {
        throw new IllegalArgumentException("sample fraction must be in (0, 1], was " + fraction);
      }
      this.fraction = fraction;
      return this;
    }

    /** Stop after this many rows are verified (0, the default, for no limit). */
    public Builder limit(long limit) {
      if (limit < 0) {
        throw new IllegalArgumentException("limit must not be negative, was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /** The seed of the sampling (random by default), to repeat a sample. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder progress(ProgressListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public VerifyJob build() {
      return new VerifyJob(this);
    }
  }
}
