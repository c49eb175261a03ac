package io.rowseal.jobs;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.errors.RowSealException;
import io.rowseal.internal.SqlErrors;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.search.IndexKeyVersion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/*
 * How a rotation survives SIGKILL. The job keeps no state of its own: the phase is the set of live versions
 * in rowseal_index_key, and the progress inside a phase is in the rows (the fill pass selects rows whose new
 * column is still NULL, the clear pass rows whose old column is not). Each run reads the phase and does the
 * next step, so a rerun continues wherever the killed run stopped:
 *
 *   one version, active              -> startRotation (only if this run has not just finished one)
 *   old active, new pending          -> wait until every process has seen it, then activate(new)
 *   old active, new active           -> wait, fill the new column (compare-and-set), check none is left,
 *                                       stopWriting(old)
 *   old read-only, new active        -> wait, clear the old column, check none is left, retire(old)
 *
 * "Wait" means: until the last state change is older than the store's stateTtl plus phaseMargin, measured
 * against the change time recorded in rowseal_index_key, so a rerun after a kill does not wait again for
 * time that has already passed. Every application process must cache states for at most the stateTtl of the
 * job's store (IndexKeyStore.Builder.stateTtl): that is what makes "every process has seen it" true.
 * A state change is a compare-and-set on the state (IndexKeyStore.transition), so two jobs racing on the same
 * column cannot both move it; the loser fails with IllegalStateException and a rerun picks up the phase.
 */

/**
 * Rotates the blind-index keys of a table's searchable columns online: for each searchable column it adds
 * a new index key version in the column's free physical column (the index column or its rotation column),
 * makes it active beside the old one once every process has seen it, rewrites every row's index under the
 * new version (decrypting the value with the row key; compare-and-set on the companion, the value and the
 * index column, so a row the application rewrote meanwhile keeps what the application wrote), stops writing
 * the old version, clears the old column and retires the old version when no row holds it. Lookups match
 * both versions throughout, and a UNIQUE constraint on a full-length index holds throughout (see
 * {@link IndexKeyStore} and docs/FORMAT.md §7.6).
 *
 * <p>Resumable: killed at any point, a rerun continues the unfinished rotation from the state in
 * {@code rowseal_index_key} and in the rows; a rerun after a finished rotation starts another one. A dry run
 * changes nothing and reports the phase, the next steps and the rows they would write. Immutable; {@link #run}
 * is thread-safe but two runs on the same table compete for the same phase changes (one fails and is rerun).
 *
 * <pre>{@code
 * ReindexReport report = ReindexJob.builder(dataSource, rowSeal, customers).workers(2).build().run();
 * }</pre>
 */
public final class ReindexJob {
  private final DataSource dataSource;
  private final RowSeal rowSeal;
  private final EncryptedTable table;
  private final IndexKeyStore store;
  private final int workers;
  private final int batchSize;
  private final double maxKeyOperationsPerSecond;
  private final boolean dryRun;
  private final Duration phaseMargin;
  private final Clock clock;
  private final Sleeper sleeper;
  private final @Nullable JobListener listener;
  private final @Nullable StepListener steps;

  /** How the job waits for a phase to reach every process (tests pass a recording fake). */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Told each phase step as it starts (for logs and progress): a line without values or keys. */
  @FunctionalInterface
  public interface StepListener {
    void step(String description);
  }

  private ReindexJob(Builder b) {
    this.dataSource = b.dataSource;
    this.rowSeal = b.rowSeal;
    this.table = b.table;
    this.store = b.store;
    this.workers = b.workers;
    this.batchSize = b.batchSize;
    this.maxKeyOperationsPerSecond = b.maxKeyOperationsPerSecond;
    this.dryRun = b.dryRun;
    this.phaseMargin = b.phaseMargin;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.listener = b.listener;
    this.steps = b.steps;
  }

  /**
   * A job rotating the index keys of {@code table}'s searchable columns, kept in table
   * {@code rowseal_index_key} of {@code dataSource} (or the store given to {@link Builder#indexKeys}).
   *
   * @throws IllegalArgumentException if the table has no searchable column
   */
  public static Builder builder(DataSource dataSource, RowSeal rowSeal, EncryptedTable table) {
    return new Builder(dataSource, rowSeal, table);
  }

  /**
   * Runs (or continues) one rotation of each searchable column's index key, to the end or until a row
   * cannot be re-indexed (then the rotation stays in its phase, lookups keep matching both versions, and
   * the report lists the rows; fix them and run again).
   *
   * @throws SQLException if the database fails (a copy without values); run again to continue
   * @throws IllegalStateException if another job changed the phase first, or the rotation column is missing
   */
  public ReindexReport run() throws SQLException {
    List<ReindexReport.ColumnResult> results = new ArrayList<>();
    for (EncryptedColumn column : table.searchableColumns()) {
      results.add(rotate(column));
    }
    return new ReindexReport(table.name(), dryRun, results);
  }

  private ReindexReport.ColumnResult rotate(EncryptedColumn column) throws SQLException {
    ReindexReport.ColumnResult result = new ReindexReport.ColumnResult(column.name());
    boolean rotated = false;
    while (true) {
      store.refresh();
      List<IndexKeyVersion> live = live(column);
      IndexKeyVersion oldest = live.get(0);
      IndexKeyVersion newest = live.get(live.size() - 1);
      if (live.size() == 1 && oldest.state() == IndexKeyVersion.State.ACTIVE) {
        if (rotated) {
          result.complete = true;
          break;
        }
        String free = free(column, oldest);
        if (dryRun) {
          result.step(step(column, "would add version " + (maxVersion(column) + 1) + " in " + free + ", index "
              + count(column.name() + " IS NOT NULL") + " rows into it, clear " + oldest.physicalColumn()
              + " and retire version " + oldest.version()));
          requireColumn(column, free);
          result.complete = true;
          break;
        }
        requireColumn(column, free);
        IndexKeyVersion added = store.startRotation(column);
        result.step(step(column, "added version " + added.version() + " (pending) in " + added.physicalColumn()));
        rotated = true;
      } else if (live.size() == 2 && oldest.state() == IndexKeyVersion.State.ACTIVE
          && newest.state() == IndexKeyVersion.State.PENDING) {
        if (dryRun) {
          result.step(step(column, "would activate version " + newest.version() + ", then index "
              + count(column.name() + " IS NOT NULL") + " rows into " + newest.physicalColumn()));
          result.complete = true;
          break;
        }
        awaitSeen(column, result, newest);
        store.activate(column, newest.version());
        result.step(step(column, "activated version " + newest.version() + " beside version " + oldest.version()));
        rotated = true;
      } else if (live.size() == 2 && oldest.state() == IndexKeyVersion.State.ACTIVE
          && newest.state() == IndexKeyVersion.State.ACTIVE) {
        IndexRewrite fill = new IndexRewrite(IndexRewrite.Step.FILL, rowSeal, store, column, newest.version(),
            newest.physicalColumn(), oldest.physicalColumn());
        if (dryRun) {
          result.fill = pass(fill);
          result.step(step(column, "would index " + result.fill.wouldWrite() + " rows into " + newest.physicalColumn()
              + " (version " + newest.version() + "), then stop writing version " + oldest.version()));
          result.complete = result.fill.failedRows() == 0;
          break;
        }
        awaitSeen(column, result, newest);
        result.step(step(column, "indexing rows into " + newest.physicalColumn() + " (version " + newest.version() + ")"));
        result.fill = pass(fill);
        long left = count(fill.condition());
        if (left > 0) {
          result.step(step(column, left + " rows not indexed (" + result.fill.failedRows() + " failed); fix them and"
              + " run reindex again: version " + oldest.version() + " stays in use"));
          break;
        }
        store.stopWriting(column, oldest.version());
        result.step(step(column, "stopped writing version " + oldest.version()));
        rotated = true;
      } else if (live.size() == 2 && oldest.state() == IndexKeyVersion.State.READ_ONLY
          && newest.state() == IndexKeyVersion.State.ACTIVE) {
        IndexRewrite clear = new IndexRewrite(IndexRewrite.Step.CLEAR, rowSeal, store, column, oldest.version(),
            oldest.physicalColumn(), newest.physicalColumn());
        if (dryRun) {
          result.clear = pass(clear);
          result.step(step(column, "would clear " + result.clear.wouldWrite() + " rows of " + oldest.physicalColumn()
              + " (version " + oldest.version() + ") and retire it"));
          result.complete = true;
          break;
        }
        awaitSeen(column, result, oldest);
        result.step(step(column, "clearing " + oldest.physicalColumn() + " (version " + oldest.version() + ")"));
        result.clear = pass(clear);
        long left = count(oldest.physicalColumn() + " IS NOT NULL");
        if (left > 0) {
          result.step(step(column, left + " rows still hold version " + oldest.version() + " in "
              + oldest.physicalColumn() + " (their " + newest.physicalColumn() + " is empty); run reindex again"));
          break;
        }
        store.retire(column, oldest.version());
        result.step(step(column, "retired version " + oldest.version()));
        rotated = true;
      } else {
        throw new IllegalStateException(table.name() + "." + column.name() + "'s index key versions " + live
            + " are in no rotation phase reindex knows; fix " + IndexKeyStore.TABLE);
      }
    }
    store.refresh();
    try (Connection c = dataSource.getConnection()) {
      result.rowsPerVersion = store.rowsPerVersion(c, column);
    } catch (SQLException e) {
      throw SqlErrors.withoutValues("counting rows per index key version of " + table.name() + " failed", e);
    }
    return result;
  }

  private List<IndexKeyVersion> live(EncryptedColumn column) {
    List<IndexKeyVersion> live = new ArrayList<>();
    for (IndexKeyVersion v : store.view(column).versions()) {
      if (v.state() != IndexKeyVersion.State.RETIRED) {
        live.add(v);
      }
    }
    if (live.isEmpty()) {
      throw new IllegalStateException(table.name() + "." + column.name() + " has no live index key version in "
          + IndexKeyStore.TABLE + "; lookups cannot work: fix that table");
    }
    return live;
  }

  private int maxVersion(EncryptedColumn column) {
    int max = 0;
    for (IndexKeyVersion v : store.versions(column)) {
      max = Math.max(max, v.version());
    }
    return max;
  }

  private static String free(EncryptedColumn column, IndexKeyVersion live) {
    String index = column.searchIndex().column();
    return live.physicalColumn().equalsIgnoreCase(index) ? column.searchIndex().rotationColumn() : index;
  }

  /** Fails with the DDL to run when the table has no column {@code physical}. */
  private void requireColumn(EncryptedColumn column, String physical) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      try {
        s.executeQuery("SELECT " + physical + " FROM " + table.name() + " WHERE 1 = 0").close();
      } catch (SQLException e) {
        throw new IllegalStateException("rotating the index key of " + table.name() + "." + column.name()
            + " writes the new version into column " + physical + ", which cannot be read (SQLState "
            + e.getSQLState() + "). A table needs its rotation column only once a rotation starts: add it now, with"
            + " the type of " + column.searchIndex().column() + " and, if that column is UNIQUE, a UNIQUE index too: "
            + rotationDdl(c, column, physical) + "; then run reindex again");
      }
    }
  }

  /**
   * The DDL that adds the rotation column {@code physical} like the index column: its type as the database
   * reports it, and a UNIQUE index (partial, {@code WHERE ... IS NOT NULL}, on PostgreSQL, so that rows without a
   * value in it cost no B-tree entry).
   */
  private String rotationDdl(Connection c, EncryptedColumn column, String physical) {
    String index = column.searchIndex().column();
    String type = "<the type of " + index + ">";
    boolean postgres = false;
    try {
      java.sql.DatabaseMetaData meta = c.getMetaData();
      postgres = meta.getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
      for (String t : new String[] {table.name(), table.name().toLowerCase(java.util.Locale.ROOT),
          table.name().toUpperCase(java.util.Locale.ROOT)}) {
        try (ResultSet rs = meta.getColumns(c.getCatalog(), null, t, null)) {
          while (rs.next()) {
            if (rs.getString("COLUMN_NAME").equalsIgnoreCase(index)) {
              String name = rs.getString("TYPE_NAME").toLowerCase(java.util.Locale.ROOT);
              int size = rs.getInt("COLUMN_SIZE");
              boolean sized = (name.contains("varbinary") || name.contains("varying")) && size > 0
                  && size < Integer.MAX_VALUE;
              type = sized ? name + "(" + size + ")" : name;
            }
          }
        }
        if (!type.startsWith("<")) {
          break;
        }
      }
    } catch (SQLException e) {
      // keep the placeholder: the message still names the column to copy the type from
    }
    return "ALTER TABLE " + table.name() + " ADD COLUMN " + physical + " " + type + "; CREATE UNIQUE INDEX "
        + table.name() + "_" + physical + "_key ON " + table.name() + " (" + physical + ")"
        + (postgres ? " WHERE " + physical + " IS NOT NULL" : "");
  }

  /** Waits until {@code changed}'s last state change is older than the state TTL plus the margin. */
  private void awaitSeen(EncryptedColumn column, ReindexReport.ColumnResult result, IndexKeyVersion changed) {
    long due = changed.changedAtMillis() + store.stateTtl().toMillis() + phaseMargin.toMillis();
    long wait = due - clock.millis();
    if (wait <= 0) {
      return;
    }
    result.step(step(column, String.format("waiting %.1f s until every process has seen version %d %s",
        wait / 1000.0, changed.version(), changed.state().name().toLowerCase(java.util.Locale.ROOT))));
    try {
      sleeper.sleep(Duration.ofMillis(wait));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RowSealException("reindex of " + table.name() + " was interrupted while waiting between phases;"
          + " run it again to continue", e);
    }
  }

  private JobReport pass(IndexRewrite action) throws SQLException {
    TableJob.Builder b = TableJob.builder(dataSource, table, action).workers(workers).batchSize(batchSize)
        .maxKeyOperationsPerSecond(maxKeyOperationsPerSecond).dryRun(dryRun);
    if (listener != null) {
      b.progress(listener);
    }
    return b.build().run();
  }

  private long count(String condition) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table.name() + " WHERE " + condition)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw SqlErrors.withoutValues("reindex of " + table.name() + ": counting rows failed", e);
    }
  }

  private String step(EncryptedColumn column, String what) {
    String line = table.name() + "." + column.name() + ": " + what;
    if (steps != null) {
      steps.step(line);
    }
    return line;
  }

  @Override
  public String toString() {
    return "ReindexJob[" + table.name() + ", workers=" + workers + ", batchSize=" + batchSize
        + (dryRun ? ", dryRun" : "") + "]";
  }

  /** The job's settings; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final RowSeal rowSeal;
    private final EncryptedTable table;
    private IndexKeyStore store;
    private int workers = 1;
    private int batchSize = 1000;
    private double maxKeyOperationsPerSecond;
    private boolean dryRun;
    private Duration phaseMargin = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    private @Nullable JobListener listener;
    private @Nullable StepListener steps;

    private Builder(DataSource dataSource, RowSeal rowSeal, EncryptedTable table) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.rowSeal = Objects.requireNonNull(rowSeal, "rowSeal");
      this.table = Objects.requireNonNull(table, "table");
      if (table.searchableColumns().isEmpty()) {
        throw new IllegalArgumentException("table " + table.name() + " has no searchable column: nothing to re-index"
            + " (configure rowseal.tables." + table.name() + ".search.<column>.column)");
      }
      this.store = IndexKeyStore.of(dataSource, rowSeal);
    }

    /**
     * The index key store to rotate in, instead of one on {@code dataSource} with the default state TTL: give
     * the store (same table, same {@code stateTtl}) the application's wrapper uses.
     */
    public Builder indexKeys(IndexKeyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Worker threads of the fill and clear passes (1 by default); see {@link TableJob.Builder#workers}. */
    public Builder workers(int workers) {
      if (workers <= 0) {
        throw new IllegalArgumentException("workers must be positive, was " + workers);
      }
      this.workers = workers;
      return this;
    }

    /** Rows per page and transaction of the passes (1000 by default). */
    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** At most this many row-key openings per second in the fill pass (0, the default: no limit). */
    public Builder maxKeyOperationsPerSecond(double rate) {
      if (!(rate >= 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("maxKeyOperationsPerSecond must be a finite number >= 0, was " + rate);
      }
      this.maxKeyOperationsPerSecond = rate;
      return this;
    }

    /** Whether to change nothing and report the phase, the next step and the rows it would write. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /**
     * Extra time beyond the store's state TTL before each phase (5 s by default): covers a statement that
     * was planned with the previous phase just before the TTL ran out and is still executing.
     */
    public Builder phaseMargin(Duration margin) {
      if (margin.isNegative()) {
        throw new IllegalArgumentException("phaseMargin must not be negative, was " + margin);
      }
      this.phaseMargin = margin;
      return this;
    }

    /** The clock compared with the change times in {@code rowseal_index_key} (the system UTC clock by default). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Told after each page of the fill and clear passes. */
    public Builder progress(JobListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Told each phase step as it starts. */
    public Builder steps(StepListener steps) {
      this.steps = Objects.requireNonNull(steps, "steps");
      return this;
    }

    public ReindexJob build() {
      return new ReindexJob(this);
    }
  }
}
