package io.rowseal.rewrap;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowSeal;
import io.rowseal.errors.RowSealException;
import io.rowseal.internal.SqlErrors;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.key.KeyRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/*
 * How the job stays safe when killed or run beside the application.
 *
 * It walks the table in primary-key order, a page at a time (keyset pagination: WHERE id > last id, or
 * the row-value comparison (a, b) > (?, ?) for a composite key), reading only the key and companion
 * columns. For each row whose companion names another key than the target (the key ring's active key
 * when the run started; read from the companion's header, so a row already moved costs no key
 * operation) it asks RowSeal for the same data key wrapped under the target (KMS ReEncrypt where the key
 * supports it, else unwrap and wrap in this process), then writes the new companion with a
 * compare-and-set:
 *
 *   UPDATE t SET companion = :new WHERE id = :id AND companion = :old
 *
 * Data columns are never read or written, so a row is always either entirely under its old wrap or
 * entirely under its new one, and both open the same data key. If the application rewrote the row in
 * between, the compare fails, zero rows change, and the row is skipped: the application's write used the
 * active key already. Each page commits on its own. Progress lives only in the data (each row's key
 * reference), so a killed job is simply run again: rows already moved are skipped by the key check.
 *
 * Workers. One reader (the thread calling run) pages through the table and hands each page to one of N
 * worker threads through a small bounded queue; each worker makes the page's key operations, writes it
 * in its own transaction and commits. A page goes to exactly one worker, so workers never contend for a
 * row. Several processes split a table with idRange (IdRange.splitTable cuts [min, max] of an integer
 * key into N ranges). Neither split is needed for correctness: two jobs over the same rows waste key
 * operations, but the compare-and-set lets exactly one write win and the other counts the row as changed
 * meanwhile. Batch claiming with SELECT ... FOR UPDATE SKIP LOCKED is deliberately not used: it would
 * hold row locks across the page's key operations (KMS round trips), stalling application writes to
 * those rows, and H2 cannot do it.
 *
 * Key operations are throttled by one token bucket shared by all workers (maxKeyOperationsPerSecond).
 * A dry run reads the same pages, makes no key operation and writes nothing.
 */

/**
 * Moves every row of one table to the key ring's active master key, touching only the companion
 * column. Idempotent and resumable; safe to run while the application writes, and from several
 * processes at once. Build with {@link #builder(DataSource, RowSeal, EncryptedTable)}. Immutable and
 * thread-safe: {@link #run()} may be called more than once, also concurrently (each run has its own
 * state); for parallelism within one run use {@link Builder#workers}. Single-column and composite
 * primary keys are supported.
 *
 * <pre>{@code
 * RewrapReport report = RewrapJob.builder(dataSource, rowSeal, cards)
 *     .workers(2)
 *     .maxKeyOperationsPerSecond(500)       // stay well under the KMS quota
 *     .progress(r -> log.info("{} / {} rows, ETA {}", r.scanned(), r.totalRows(), r.estimatedRemaining()))
 *     .build()
 *     .run();
 * }</pre>
 */
public final class RewrapJob {
  private static final String KEK_SCHEME = "kek";
  private final DataSource dataSource;
  private final RowSeal rowSeal;
  private final EncryptedTable table;
  private final int batchSize;
  private final int workers;
  private final @Nullable Object fromId;
  private final @Nullable Object toId;
  private final double maxKeyOperationsPerSecond;
  private final boolean dryRun;
  private final boolean countRowsFirst;
  private final @Nullable ProgressListener listener;
  private final @Nullable Runnable afterRead;
  private final @Nullable Runnable beforeWrite;
  private final List<String> ids;
  private final String companion;

  private RewrapJob(Builder b) {
    this.dataSource = b.dataSource;
    this.rowSeal = b.rowSeal;
    this.table = b.table;
    this.batchSize = b.batchSize;
    this.workers = b.workers;
    this.fromId = b.fromId;
    this.toId = b.toId;
    this.maxKeyOperationsPerSecond = b.maxKeyOperationsPerSecond;
    this.dryRun = b.dryRun;
    this.countRowsFirst = b.countRowsFirst;
    this.listener = b.listener;
    this.afterRead = b.afterRead;
    this.beforeWrite = b.beforeWrite;
    this.ids = table.idColumns();
    this.companion = table.companionColumn();
  }

  /** A builder for a job over {@code table}, which must be configured in {@code rowSeal}'s key ring's world. */
  public static Builder builder(DataSource dataSource, RowSeal rowSeal, EncryptedTable table) {
    return new Builder(dataSource, rowSeal, table);
  }

  /**
   * Told after each committed page, from the worker thread that wrote it, one call at a time; for
   * progress bars and logs. An exception thrown here stops the run and is rethrown by {@link #run()}.
   */
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
    KeyRef target = rowSeal.activeKeyRef();
    RewrapReport.Counter counter = new RewrapReport.Counter(table.name(), target, dryRun);
    if (countRowsFirst) {
      counter.totalRows = countRows();
    }
    RateLimiter limiter = maxKeyOperationsPerSecond > 0 ? new RateLimiter(maxKeyOperationsPerSecond) : null;
    AtomicReference<Throwable> failure = new AtomicReference<>();
    BlockingQueue<Page> queue = new ArrayBlockingQueue<>(workers);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(() -> work(queue, target, counter, limiter, failure),
          "rowseal-rewrap-" + table.name() + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    try {
      read(queue, failure);
    } catch (SQLException | RuntimeException | Error e) {
      failure.compareAndSet(null, e);
    } finally {
      // after a failure the workers stop by themselves (they poll the failure flag)
      for (int i = 0; i < workers && failure.get() == null; i++) {
        offer(queue, Page.END, failure);
      }
      boolean interrupted = false;
      for (Thread t : threads) {
        while (true) {
          try {
            t.join();
            break;
          } catch (InterruptedException e) {
            // the workers finish their current page (bounded) and stop; wait for them, then re-assert
            interrupted = true;
            failure.compareAndSet(null, e);
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    Throwable e = failure.get();
    if (e != null) {
      if (e instanceof SQLException) {
        // The driver's message quotes the statement's parameters: the old and new wrapped keys.
        throw SqlErrors.withoutValues("re-wrap of " + table.name() + " failed; pages already committed stay done,"
            + " run it again to finish", (SQLException) e);
      } else if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      } else if (e instanceof Error) {
        throw (Error) e;
      }
      throw new RowSealException("re-wrap of " + table.name() + " was interrupted; pages already committed stay"
          + " done, run it again to finish", e);
    }
    synchronized (counter) {
      return counter.report();
    }
  }

  private long countRows() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table.name() + " WHERE " + companion
            + " IS NOT NULL" + rangeCondition())) {
      bindRange(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private String rangeCondition() {
    String id = ids.get(0);
    return (fromId != null ? " AND " + id + " >= ?" : "") + (toId != null ? " AND " + id + " <= ?" : "");
  }

  private int bindRange(PreparedStatement ps, int p) throws SQLException {
    if (fromId != null) {
      ps.setObject(p++, fromId);
    }
    if (toId != null) {
      ps.setObject(p++, toId);
    }
    return p;
  }

  /** Pages through the table and hands the pages to the workers; stops early if a worker failed. */
  private void read(BlockingQueue<Page> queue, AtomicReference<Throwable> failure) throws SQLException {
    KeysetPages pages = new KeysetPages(ids, "SELECT " + String.join(", ", ids) + ", " + companion + " FROM " + table.name(),
        companion + " IS NOT NULL" + rangeCondition(), batchSize);
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(true); // each page is its own short read; nothing is held between pages
      try (PreparedStatement firstPage = c.prepareStatement(pages.firstSql);
          PreparedStatement nextPage = c.prepareStatement(pages.nextSql)) {
        Object[] last = null;
        while (failure.get() == null) {
          PreparedStatement page = last == null ? firstPage : nextPage;
          int p = bindRange(page, 1);
          if (last != null) {
            pages.bindAfter(page, p, last);
          }
          Page read = new Page();
          try (ResultSet rs = page.executeQuery()) {
            while (rs.next()) {
              read.keys.add(pages.key(rs));
              read.companions.add(rs.getBytes(ids.size() + 1));
            }
          }
          if (read.keys.isEmpty()) {
            break;
          }
          last = read.keys.get(read.keys.size() - 1);
          if (afterRead != null) {
            afterRead.run();
          }
          if (!offer(queue, read, failure)) {
            break;
          }
          if (read.keys.size() < batchSize) {
            break;
          }
        }
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }

  /** Puts {@code page} on the queue unless a worker failed meanwhile (then returns false). */
  private static boolean offer(BlockingQueue<Page> queue, Page page, AtomicReference<Throwable> failure) {
    try {
      while (!queue.offer(page, 50, TimeUnit.MILLISECONDS)) {
        if (failure.get() != null) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(null, e);
      return false;
    }
  }

  private void work(BlockingQueue<Page> queue, KeyRef target, RewrapReport.Counter counter,
      @Nullable RateLimiter limiter, AtomicReference<Throwable> failure) {
    StringBuilder where = new StringBuilder();
    for (String id : ids) {
      where.append(id).append(" = ? AND ");
    }
    String update = "UPDATE " + table.name() + " SET " + companion + " = ? WHERE " + where + companion + " = ?";
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement write = c.prepareStatement(update)) {
        while (true) {
          Page page = queue.poll(50, TimeUnit.MILLISECONDS);
          if (page == Page.END) {
            return;
          }
          if (page == null || failure.get() != null) {
            if (failure.get() != null) {
              return;
            }
            continue;
          }
          try {
            process(c, write, page, target, counter, limiter);
          } catch (SQLException | RuntimeException e) {
            try {
              c.rollback();
            } catch (SQLException rollback) {
              e.addSuppressed(rollback);
            }
            throw e;
          }
        }
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (InterruptedException | SQLException | RuntimeException | Error e) {
      failure.compareAndSet(null, e);
    }
  }

  private void process(Connection c, PreparedStatement write, Page page, KeyRef target, RewrapReport.Counter counter,
      @Nullable RateLimiter limiter) throws SQLException, InterruptedException {
    Tally tally = new Tally();
    List<Integer> moved = new ArrayList<>();
    List<byte[]> fresh = new ArrayList<>();
    for (int i = 0; i < page.keys.size(); i++) {
      Object[] key = page.keys.get(i);
      byte[] old = page.companions.get(i);
      tally.scanned++;
      RowId rowId;
      try {
        rowId = ids.size() == 1 ? RowId.of(key[0]) : RowId.composite(key);
      } catch (IllegalArgumentException | NullPointerException e) {
        tally.fail(Arrays.toString(key), String.valueOf(e.getMessage()));
        continue;
      }
      KeyRef current;
      try {
        current = WrappedDataKey.decode(old).keyRef();
      } catch (RowSealException e) {
        tally.fail(rowId.toString(), e.getMessage());
        continue;
      }
      if (current.equals(target)) {
        tally.alreadyActive++;
      } else if (dryRun) {
        // In hierarchical mode (the target is a KEK) rows under older KEKs resolve through rowseal_kek,
        // not the master key ring; the dry run does not open KEKs, so a missing KEK row shows in the real run.
        boolean underKek = current.scheme().equals(KEK_SCHEME) && target.scheme().equals(KEK_SCHEME);
        if (underKek || rowSeal.keyRing().contains(current)) {
          tally.wouldRewrap++;
        } else {
          tally.fail(rowId.toString(), "key " + current + " is not in the key ring (it holds "
              + rowSeal.keyRing().refs() + ")");
        }
      } else {
        if (limiter != null) {
          limiter.acquire();
        }
        tally.keyOperations++;
        try {
          fresh.add(rowSeal.rewrapCompanion(table, rowId, old));
          moved.add(i);
        } catch (RowSealException e) {
          tally.fail(rowId.toString(), e.getMessage());
        }
      }
    }
    if (!moved.isEmpty()) {
      if (beforeWrite != null) {
        beforeWrite.run();
      }
      for (int m = 0; m < moved.size(); m++) {
        int i = moved.get(m);
        int p = 1;
        write.setBytes(p++, fresh.get(m));
        for (Object part : page.keys.get(i)) {
          write.setObject(p++, part);
        }
        write.setBytes(p, page.companions.get(i));
        write.addBatch();
      }
      int[] counts = write.executeBatch();
      for (int m = 0; m < moved.size(); m++) {
        int n = m < counts.length ? counts[m] : Statement.SUCCESS_NO_INFO;
        if (n == Statement.SUCCESS_NO_INFO) {
          // the driver did not say whether this row's compare held: look, inside the same transaction
          n = holds(c, page.keys.get(moved.get(m)), fresh.get(m)) ? 1 : 0;
        }
        if (n == 0) {
          tally.changedMeanwhile++;
        } else {
          tally.rewrapped++;
        }
      }
    }
    c.commit();
    synchronized (counter) {
      tally.addTo(counter);
      if (listener != null) {
        listener.pageDone(counter.report());
      }
    }
  }

  /** Whether the row now holds exactly {@code companion} (fresh wraps are unique: each has a random nonce). */
  private boolean holds(Connection c, Object[] key, byte[] companion) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + this.companion + " FROM " + table.name() + " WHERE ");
    for (int i = 0; i < ids.size(); i++) {
      sql.append(i == 0 ? "" : " AND ").append(ids.get(i)).append(" = ?");
    }
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < key.length; i++) {
        ps.setObject(i + 1, key[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && Arrays.equals(rs.getBytes(1), companion);
      }
    }
  }

  @Override
  public String toString() {
    return "RewrapJob[" + table.name() + ", batchSize=" + batchSize + ", workers=" + workers
        + (maxKeyOperationsPerSecond > 0 ? ", maxKeyOperationsPerSecond=" + maxKeyOperationsPerSecond : "")
        + (dryRun ? ", dryRun" : "") + "]";
  }

  /** One page as read: key values and companions, in key order. */
  private static final class Page {
    static final Page END = new Page();
    final List<Object[]> keys = new ArrayList<>();
    final List<byte[]> companions = new ArrayList<>();
  }

  /** One page's counts, merged into the job's counter under its lock. */
  private static final class Tally {
    long scanned;
    long rewrapped;
    long wouldRewrap;
    long alreadyActive;
    long changedMeanwhile;
    long keyOperations;
    final List<String[]> failures = new ArrayList<>();

    void fail(String rowId, String reason) {
      failures.add(new String[] {rowId, reason});
    }

    void addTo(RewrapReport.Counter c) {
      c.scanned += scanned;
      c.rewrapped += rewrapped;
      c.wouldRewrap += wouldRewrap;
      c.alreadyActive += alreadyActive;
      c.changedMeanwhile += changedMeanwhile;
      c.keyOperations += keyOperations;
      for (String[] f : failures) {
        c.fail(f[0], f[1]);
      }
    }
  }

  /** The job's settings; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final RowSeal rowSeal;
    private final EncryptedTable table;
    private int batchSize = 1000;
    private int workers = 1;
    private @Nullable Object fromId;
    private @Nullable Object toId;
    private double maxKeyOperationsPerSecond;
    private boolean dryRun;
    private boolean countRowsFirst = true;
    private @Nullable ProgressListener listener;
    private @Nullable Runnable afterRead;
    private @Nullable Runnable beforeWrite;

    private Builder(DataSource dataSource, RowSeal rowSeal, EncryptedTable table) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.rowSeal = Objects.requireNonNull(rowSeal, "rowSeal");
      this.table = Objects.requireNonNull(table, "table");
    }

    /** Rows per page, read in one query and written in one transaction (1000 by default). */
    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Worker threads, each with its own connection, that re-wrap and write pages in parallel (1 by
     * default). The job uses {@code workers + 1} connections: one more for reading pages.
     */
    public Builder workers(int workers) {
      if (workers <= 0) {
        throw new IllegalArgumentException("workers must be positive, was " + workers);
      }
      this.workers = workers;
      return this;
    }

    /**
     * Only ids in {@code [fromId, toId]} (either may be null for open-ended), to split a table between
     * processes. Single-column keys only.
     */
    public Builder idRange(@Nullable Object fromId, @Nullable Object toId) {
      this.fromId = fromId;
      this.toId = toId;
      return this;
    }

    /** Only ids in {@code range}, for example one of {@link IdRange#splitTable}. Single-column keys only. */
    public Builder idRange(IdRange range) {
      Objects.requireNonNull(range, "range");
      return idRange(range.from(), range.to());
    }

    /**
     * At most this many rows re-wrapped per second, over all workers (a token bucket holding one second's
     * worth, starting empty). One re-wrap is one {@code ReEncrypt} with AWS KMS, or an unwrap and a wrap
     * where the key cannot re-encrypt. Rows already under the target key cost none. 0 (the default) means
     * no limit.
     */
    public Builder maxKeyOperationsPerSecond(double maxKeyOperationsPerSecond) {
      if (!(maxKeyOperationsPerSecond >= 0) || Double.isInfinite(maxKeyOperationsPerSecond)) {
        throw new IllegalArgumentException("maxKeyOperationsPerSecond must be a finite number >= 0 (0: no limit), was "
            + maxKeyOperationsPerSecond);
      }
      this.maxKeyOperationsPerSecond = maxKeyOperationsPerSecond;
      return this;
    }

    /**
     * Whether to only count what would be re-wrapped ({@link RewrapReport#wouldRewrap()}): no key
     * operation, nothing written. Off by default.
     */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /**
     * Whether to count the rows to scan up front with one {@code SELECT count(*)}, so reports carry
     * {@link RewrapReport#totalRows()} and an ETA (on by default; turn off for a table too big to count).
     */
    public Builder countRowsFirst(boolean countRowsFirst) {
      this.countRowsFirst = countRowsFirst;
      return this;
    }

    /** Told after each committed page. */
    public Builder progress(ProgressListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Test hook: runs after a page is read, before any of its key operations, on the reading thread. */
    Builder afterRead(Runnable hook) {
      this.afterRead = hook;
      return this;
    }

    /** Test hook: runs between re-wrapping a page and writing it, to stage a concurrent application write. */
    Builder beforeWrite(Runnable hook) {
      this.beforeWrite = hook;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalStateException if an id range is set on a table with a composite key
     */
    public RewrapJob build() {
      if ((fromId != null || toId != null) && table.idColumns().size() != 1) {
        throw new IllegalStateException("idRange needs a single-column key; table " + table.name()
            + " has the composite key " + table.idColumns() + ": use workers(n) in one process instead");
      }
      return new RewrapJob(this);
    }
  }
}
