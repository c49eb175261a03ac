package io.rowseal.jobs;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.errors.RowSealException;
import io.rowseal.internal.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/*
 * How every key job stays safe when killed or run beside the application.
 *
 * The engine walks the table in primary-key order, a page at a time (keyset pagination: WHERE id > last
 * id, or the row-value comparison (a, b) > (?, ?) for a composite key), reading the key and the action's
 * columns of the rows its condition selects. One reader (the thread calling run) reads pages on its own
 * auto-commit connection, so nothing is held between pages, and hands each page to one of N worker
 * threads through a small bounded queue. A page goes to exactly one worker, so workers never contend for
 * a row. The worker asks the action about each row with no transaction open (the action may call a KMS
 * once per row: a transaction held across those calls would hold its snapshot, and on some databases
 * locks, for as long as the KMS takes), then writes the page's writes with a compare-and-set (see
 * CompareAndSet) in one transaction and commits. A row the application changed in between is left as the
 * application wrote it.
 *
 * Progress lives only in the data: an action selects (condition) or recognises (its verdict) the rows
 * still to do, so a killed job is simply run again, and no checkpoint is trusted over the data. Several
 * processes may split a single-column integer key with idRange (IdRange.splitTable); two runs over the
 * same rows waste key operations, but the compare-and-set lets exactly one write win. Batch claiming with
 * SELECT ... FOR UPDATE SKIP LOCKED is deliberately not used: it would hold row locks across the page's
 * key operations, stalling application writes to those rows, and H2 cannot do it.
 *
 * Read-ahead and memory: the reader goes on reading while the workers process, and blocks only when the
 * queue (one slot per worker) is full, so at most 2 * workers + 1 pages are in memory at once (one being
 * read, one queued and one being processed per worker); JobReport.maxPagesInFlight reports the peak. The
 * actions' key and crypto work (verify's decryption, a re-wrap's unwrap) runs on the workers, never on the
 * reader. A row's problem is a failure of that row in the report; an exception (or an interrupt of the
 * thread calling run) stops the run: the reader stops before its next page, and every worker before its
 * next row, dropping its page uncommitted (its rows are simply done again by a rerun).
 *
 * Key operations are throttled by one token bucket shared by all workers; the action takes a permit per
 * operation (ScannedRow.keyOperation). A dry run reads and asks the action the same way and writes
 * nothing. Every SQLException leaving run() is a copy without values (SqlErrors): a driver quotes bound
 * parameters, which are wrapped keys or plaintext here.
 */

/**
 * The keyset-scan engine of RowSeal's key jobs: runs one {@link RowAction} over one table. Re-wrap
 * ({@link RewrapJob}), verify ({@link VerifyJob}) and encrypt-existing ({@link EncryptExistingJob}) are
 * actions; their {@code builder} methods return this class's {@link Builder}. Idempotent and resumable
 * when the action is; safe to run while the application writes, and from several processes at once.
 * Immutable and thread-safe: {@link #run()} may be called more than once, also concurrently (each run has
 * its own state); for parallelism within one run use {@link Builder#workers}. Single-column and composite
 * primary keys are supported.
 *
 * <pre>{@code
 * JobReport report = RewrapJob.builder(dataSource, rowSeal, cards)
 *     .workers(2)
 *     .maxKeyOperationsPerSecond(500)       // stay well under the KMS quota
 *     .progress(r -> log.info("{} / {} rows, ETA {}", r.scanned(), r.totalRows(), r.estimatedRemaining()))
 *     .build()
 *     .run();
 * }</pre>
 */
public final class TableJob {
  private final DataSource dataSource;
  private final EncryptedTable table;
  private final RowAction action;
  private final List<JobColumn> columns;
  private final int batchSize;
  private final int workers;
  private final @Nullable Object fromId;
  private final @Nullable Object toId;
  private final double maxKeyOperationsPerSecond;
  private final boolean dryRun;
  private final boolean countRowsFirst;
  private final double sample;
  private final @Nullable Long seed;
  private final long limit;
  private final @Nullable JobListener listener;
  private final List<String> ids;
  /** Position of each of the action's columns in {@link #columns}, by name. */
  private final Map<String, Integer> columnIndex = new HashMap<>();

  private TableJob(Builder b) {
    this.dataSource = b.dataSource;
    this.table = b.table;
    this.action = b.action;
    this.columns = List.copyOf(b.action.columns());
    this.batchSize = b.batchSize;
    this.workers = b.workers;
    this.fromId = b.fromId;
    this.toId = b.toId;
    this.maxKeyOperationsPerSecond = b.maxKeyOperationsPerSecond;
    this.dryRun = b.dryRun;
    this.countRowsFirst = b.countRowsFirst;
    this.sample = b.sample;
    this.seed = b.seed;
    this.limit = b.limit;
    this.listener = b.listener;
    this.ids = table.idColumns();
    for (int i = 0; i < columns.size(); i++) {
      columnIndex.put(columns.get(i).name(), i);
    }
  }

  /** A builder for a job running {@code action} over {@code table}. */
  public static Builder builder(DataSource dataSource, EncryptedTable table, RowAction action) {
    return new Builder(dataSource, table, action);
  }

  /**
   * Runs the job to the end of the table (or id range, or limit).
   *
   * @throws SQLException if the database fails (a copy of the driver's exception without values); pages
   *     already committed stay done, so run again
   */
  public JobReport run() throws SQLException {
    return runWithHooks(PageHooks.NONE);
  }

  /** {@link #run()} with test hooks (not an overload of run, so {@code job::run} stays unambiguous). */
  JobReport runWithHooks(PageHooks hooks) throws SQLException {
    try {
      return execute(hooks);
    } catch (SQLException e) {
      throw SqlErrors.withoutValues(action.name() + " of " + table.name() + " failed; pages already committed"
          + " stay done, run it again to finish", e);
    }
  }

  private JobReport execute(PageHooks hooks) throws SQLException {
    try (Connection reader = dataSource.getConnection()) {
      boolean autoCommit = reader.getAutoCommit();
      reader.setAutoCommit(true); // each page is its own short read; nothing is held between pages
      try {
        RowAction.Pass pass = action.begin(reader, dryRun);
        JobReport.Tally counter = new JobReport.Tally(action.name(), table.name(), pass.target(), dryRun);
        if (countRowsFirst) {
          counter.totalRows = countRows(reader);
        }
        return runWorkers(reader, pass, counter, hooks);
      } finally {
        reader.setAutoCommit(autoCommit);
      }
    }
  }

  private JobReport runWorkers(Connection reader, RowAction.Pass pass, JobReport.Tally counter, PageHooks hooks)
      throws SQLException {
    RateLimiter limiter = maxKeyOperationsPerSecond > 0 ? new RateLimiter(maxKeyOperationsPerSecond) : null;
    AtomicReference<Throwable> failure = new AtomicReference<>();
    BlockingQueue<Page> queue = new ArrayBlockingQueue<>(workers);
    InFlight inFlight = new InFlight();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(() -> work(queue, pass, counter, limiter, failure, inFlight, hooks),
          "rowseal-" + action.name() + "-" + table.name() + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    try {
      read(reader, queue, failure, inFlight, hooks);
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
        throw (SQLException) e;
      } else if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      } else if (e instanceof Error) {
        throw (Error) e;
      }
      throw new RowSealException(action.name() + " of " + table.name() + " was interrupted; pages already"
          + " committed stay done, run it again to finish", e);
    }
    synchronized (counter) {
      counter.maxPagesInFlight = inFlight.peak();
      return counter.report();
    }
  }

  private String where() {
    String condition = action.condition();
    String id = ids.get(0);
    String range = (fromId != null ? " AND " + id + " >= ?" : "") + (toId != null ? " AND " + id + " <= ?" : "");
    String all = (condition.isEmpty() ? "" : "(" + condition + ")") + range;
    return all.startsWith(" AND ") ? all.substring(5) : all;
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

  private long countRows(Connection c) throws SQLException {
    String where = where();
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table.name()
        + (where.isEmpty() ? "" : " WHERE " + where))) {
      bindRange(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Pages through the table and hands the pages to the workers; stops early if a worker failed. */
  private void read(Connection c, BlockingQueue<Page> queue, AtomicReference<Throwable> failure, InFlight inFlight,
      PageHooks hooks) throws SQLException {
    StringBuilder select = new StringBuilder("SELECT ").append(String.join(", ", ids));
    for (JobColumn column : columns) {
      select.append(", ").append(column.name());
    }
    select.append(" FROM ").append(table.name());
    KeysetPages pages = new KeysetPages(ids, select.toString(), where(), batchSize);
    SplittableRandom random = sample < 1.0 ? new SplittableRandom(seed != null ? seed : System.nanoTime()) : null;
    long taken = 0;
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
        int rows = 0;
        boolean limitReached = false;
        inFlight.started();
        try (ResultSet rs = page.executeQuery()) {
          while (rs.next()) {
            rows++;
            last = pages.key(rs);
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < values.length; i++) {
              int at = ids.size() + 1 + i;
              values[i] = columns.get(i).isText() ? rs.getString(at) : rs.getBytes(at);
            }
            // sampling is decided here, in key order, so a seed repeats the same sample whatever the workers do
            boolean sampled = random == null || random.nextDouble() < sample;
            read.rows.add(new RawRow(last, values, sampled));
            if (sampled && limit > 0 && ++taken >= limit) {
              limitReached = true;
              break;
            }
          }
        }
        if (read.rows.isEmpty()) {
          inFlight.finished();
          break;
        }
        hooks.afterRead();
        if (!offer(queue, read, failure)) {
          inFlight.finished();
          break;
        }
        if (limitReached || rows < batchSize) {
          break;
        }
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

  private void work(BlockingQueue<Page> queue, RowAction.Pass pass, JobReport.Tally counter,
      @Nullable RateLimiter limiter, AtomicReference<Throwable> failure, InFlight inFlight, PageHooks hooks) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (CompareAndSet writer = new CompareAndSet(c, table.name(), ids, columns)) {
        while (true) {
          Page page = queue.poll(50, TimeUnit.MILLISECONDS);
          if (page == Page.END || failure.get() != null) {
            return;
          }
          if (page == null) {
            continue;
          }
          try {
            process(c, writer, page, pass, counter, limiter, failure, inFlight, hooks);
          } catch (SQLException | RuntimeException e) {
            failure.compareAndSet(null, e); // first, so the other workers stop while this one rolls back
            try {
              c.rollback();
            } catch (SQLException rollback) {
              e.addSuppressed(rollback);
            }
            throw e;
          } finally {
            inFlight.finished();
          }
        }
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (InterruptedException | SQLException | RuntimeException | Error e) {
      failure.compareAndSet(null, e);
    }
  }

  private void process(Connection c, CompareAndSet writer, Page page, RowAction.Pass pass, JobReport.Tally counter,
      @Nullable RateLimiter limiter, AtomicReference<Throwable> failure, InFlight inFlight, PageHooks hooks)
      throws SQLException, InterruptedException {
    JobReport.Tally tally = new JobReport.Tally(counter.job, counter.table, counter.target, dryRun);
    List<CompareAndSet.Write> writes = new ArrayList<>();
    for (RawRow raw : page.rows) {
      if (failure.get() != null) {
        return; // the run stops: drop this page (nothing written, nothing counted), a rerun does its rows
      }
      tally.scanned++;
      if (!raw.sampled) {
        tally.skipped++;
        continue;
      }
      RowId rowId;
      try {
        rowId = ids.size() == 1 ? RowId.of(raw.key[0]) : RowId.composite(raw.key);
      } catch (IllegalArgumentException | NullPointerException e) {
        tally.failRow(List.of(RowFailure.of(table.name(), table.companionColumn(), rawId(raw.key), null,
            RowFailure.Kind.INVALID_ROW_ID, e.getMessage())));
        continue;
      }
      ScannedRow row = new ScannedRow(rowId, columns, raw.values, limiter);
      RowOutcome outcome = pass.apply(row);
      tally.keyOperations += row.keyOperations();
      tally.values += outcome.values();
      switch (outcome.kind()) {
        case UNCHANGED -> tally.unchanged++;
        case FAILED -> tally.failRow(outcome.failures());
        case WRITE -> {
          if (dryRun) {
            tally.wouldWrite++;
          } else {
            writes.add(toWrite(raw, outcome.writes()));
          }
        }
      }
    }
    if (!writes.isEmpty()) {
      hooks.beforeWrite();
      for (boolean held : writer.write(writes)) {
        if (held) {
          tally.written++;
        } else {
          tally.changedMeanwhile++;
        }
      }
      c.commit();
    }
    synchronized (counter) {
      tally.addTo(counter);
      counter.maxPagesInFlight = inFlight.peak();
      if (listener != null) {
        listener.pageDone(counter.report());
      }
    }
  }

  /** Checks an action's write against its declared columns: a write may set only columns it read. */
  private CompareAndSet.Write toWrite(RawRow raw, Map<String, @Nullable Object> set) {
    boolean[] mask = new boolean[columns.size()];
    Object[] values = new Object[columns.size()];
    for (Map.Entry<String, @Nullable Object> e : set.entrySet()) {
      Integer i = columnIndex.get(e.getKey());
      if (i == null) {
        throw new IllegalStateException(action.name() + " wrote column " + e.getKey() + " of " + table.name()
            + ", which it does not read; a job may write only columns it reads " + columns);
      }
      Object v = e.getValue();
      if (v != null && !(columns.get(i).isText() ? v instanceof String : v instanceof byte[])) {
        throw new IllegalStateException(action.name() + " wrote a " + v.getClass().getSimpleName() + " to "
            + columns.get(i));
      }
      mask[i] = true;
      values[i] = v;
    }
    return new CompareAndSet.Write(raw.key, raw.values, mask, values);
  }

  private static String rawId(Object[] key) {
    List<String> parts = new ArrayList<>();
    for (Object o : key) {
      parts.add(String.valueOf(o));
    }
    return String.join(",", parts);
  }

  @Override
  public String toString() {
    return "TableJob[" + action.name() + " " + table.name() + ", batchSize=" + batchSize + ", workers=" + workers
        + (maxKeyOperationsPerSecond > 0 ? ", maxKeyOperationsPerSecond=" + maxKeyOperationsPerSecond : "")
        + (sample < 1.0 ? ", sample=" + sample : "") + (limit > 0 ? ", limit=" + limit : "")
        + (dryRun ? ", dryRun" : "") + "]";
  }

  /** One row as read: key values, the action's column values, and whether sampling kept it. */
  private static final class RawRow {
    final Object[] key;
    final @Nullable Object[] values;
    final boolean sampled;

    RawRow(Object[] key, @Nullable Object[] values, boolean sampled) {
      this.key = key;
      this.values = values;
      this.sampled = sampled;
    }
  }

  /** Pages read and not yet finished by a worker, and the most there were at once. Thread-safe. */
  private static final class InFlight {
    private int now;
    private int peak;

    synchronized void started() {
      peak = Math.max(peak, ++now);
    }

    synchronized void finished() {
      now--;
    }

    synchronized int peak() {
      return peak;
    }
  }

  /** One page as read, in key order. */
  private static final class Page {
    static final Page END = new Page();
    final List<RawRow> rows = new ArrayList<>();
  }

  /** A job's settings; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final EncryptedTable table;
    private final RowAction action;
    private int batchSize = 1000;
    private int workers = 1;
    private @Nullable Object fromId;
    private @Nullable Object toId;
    private double maxKeyOperationsPerSecond;
    private boolean dryRun;
    private boolean countRowsFirst = true;
    private double sample = 1.0;
    private @Nullable Long seed;
    private long limit;
    private @Nullable JobListener listener;

    private Builder(DataSource dataSource, EncryptedTable table, RowAction action) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.table = Objects.requireNonNull(table, "table");
      this.action = Objects.requireNonNull(action, "action");
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
     * Worker threads, each with its own connection, that process and write pages in parallel (1 by
     * default). The job uses {@code workers + 1} connections: one more for reading pages, which reads
     * ahead while the workers work, holding at most {@code 2 * workers + 1} pages in memory.
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
     * At most this many key operations per second, over all workers (a token bucket holding one second's
     * worth, starting empty): with AWS KMS, one {@code ReEncrypt} per row re-wrapped, one
     * {@code GenerateDataKey} per row encrypted, one {@code Decrypt} per row verified unless cached. Rows
     * with nothing to do cost none. 0 (the default) means no limit.
     */
    public Builder maxKeyOperationsPerSecond(double maxKeyOperationsPerSecond) {
      if (!(maxKeyOperationsPerSecond >= 0) || Double.isInfinite(maxKeyOperationsPerSecond)) {
        throw new IllegalArgumentException("maxKeyOperationsPerSecond must be a finite number >= 0 (0: no limit), was "
            + maxKeyOperationsPerSecond);
      }
      this.maxKeyOperationsPerSecond = maxKeyOperationsPerSecond;
      return this;
    }

    /** Whether to only count what would be written ({@link JobReport#wouldWrite()}); off by default. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /**
     * Whether to count the rows to scan up front with one {@code SELECT count(*)}, so reports carry
     * {@link JobReport#totalRows()} and an ETA (on by default; turn off for a table too big to count).
     */
    public Builder countRowsFirst(boolean countRowsFirst) {
      this.countRowsFirst = countRowsFirst;
      return this;
    }

    /**
     * Process each row with this probability, in (0, 1]; 1 (every row) by default. Only for a read-only
     * action (verify): a job that writes must visit every row.
     */
    public Builder sample(double fraction) {
      if (!(fraction > 0.0 && fraction <= 1.0)) {
        throw new IllegalArgumentException("sample fraction must be in (0, 1], was " + fraction);
      }
      this.sample = fraction;
      return this;
    }

    /** The seed of the sampling (random by default), to repeat a sample. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Stop after this many rows are processed (0, the default, for no limit). Only for a read-only action. */
    public Builder limit(long limit) {
      if (limit < 0) {
        throw new IllegalArgumentException("limit must not be negative, was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /** Told after each finished page. */
    public Builder progress(JobListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalStateException if an id range is set on a table with a composite key, sampling or a
     *     limit on an action that writes, or the action declares a primary-key column
     */
    public TableJob build() {
      if ((fromId != null || toId != null) && table.idColumns().size() != 1) {
        throw new IllegalStateException("idRange needs a single-column key; table " + table.name()
            + " has the composite key " + table.idColumns() + ": use workers(n) in one process instead");
      }
      for (JobColumn c : action.columns()) {
        // a write to a key column would move the row: its id is bound into every wrap and value
        if (table.idColumns().stream().anyMatch(id -> id.equalsIgnoreCase(c.name()))) {
          throw new IllegalStateException(action.name() + " declares key column " + c.name() + " of " + table.name()
              + " as a column it reads and may write; the key is read by the engine and never written");
        }
      }
      if ((sample < 1.0 || limit > 0) && !action.readOnly()) {
        throw new IllegalStateException("sample and limit are for read-only jobs; " + action.name()
            + " must visit every row of " + table.name());
      }
      return new TableJob(this);
    }
  }
}
