package io.rowseal.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a key job does with one row, plugged into the keyset-scan engine {@link TableJob}: which columns it
 * reads, which rows it wants, and for each row a verdict or a write ({@link RowOutcome}). The engine does
 * everything else the same way for every job: paging in key order, workers, rate limit, the per-page
 * transaction, the compare-and-set write, progress, the report, dry run and error sanitising.
 *
 * <p>Contract. {@link Pass#apply} runs with no transaction open (it may call a KMS) and must not touch
 * the database. A write may only set columns the action reads: the engine's {@code UPDATE} re-checks
 * every column read against the value read, so a row the application changed in between is left as the
 * application wrote it and counted in {@link JobReport#changedMeanwhile()}. An action keeps no progress
 * of its own: whether a row still needs work must be visible in the row (its {@link #condition()} or the
 * values read), so a killed run is simply run again. Implementations are immutable and thread-safe.
 */
public interface RowAction {
  /** A short name for messages and thread names, for example {@code "re-wrap"}. */
  String name();

  /** The columns read from each row besides the primary key; {@link ScannedRow} values follow this order. */
  List<JobColumn> columns();

  /**
   * An SQL condition over the table's columns, without parameters, that selects the rows to scan (for
   * example {@code rowseal_dek IS NOT NULL}), or {@code ""} for every row.
   */
  String condition();

  /** Whether the action never writes (so a run may sample rows or stop early without leaving work behind). */
  boolean readOnly();

  /**
   * Starts one run, before the first page is read; {@code connection} is the run's reading connection
   * (for example to read column metadata), in auto-commit mode.
   *
   * @param dryRun whether the run writes nothing (the engine drops writes; the action may skip key
   *     operations it would only need for them)
   * @throws SQLException if the database fails
   */
  Pass begin(Connection connection, boolean dryRun) throws SQLException;

  /** One run of the action. Thread-safe: workers call {@link #apply} concurrently. */
  @FunctionalInterface
  interface Pass {
    /**
     * The verdict on one row, or its write. Problems of the row (a key that does not open, a value that
     * does not decrypt) are a {@link RowOutcome#failed failed} outcome; an exception stops the run.
     *
     * @throws InterruptedException if interrupted while waiting for a key-operation permit
     */
    RowOutcome apply(ScannedRow row) throws InterruptedException;

    /** What this run moves rows to, for the report (a key reference), or null when it moves nothing. */
    default @Nullable String target() {
      return null;
    }

    /** {@code pass} with {@code target} as its {@link #target()}. */
    static Pass movingTo(String target, Pass pass) {
      return new Pass() {
        @Override
        public RowOutcome apply(ScannedRow row) throws InterruptedException {
          return pass.apply(row);
        }

        @Override
        public String target() {
          return target;
        }
      };
    }
  }
}
