package io.rowseal.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link TableJob} run did, or has done so far when handed to a {@link JobListener}; the same type
 * for every job. Each row scanned ends in exactly one count: {@link #skipped()} (left out by sampling),
 * {@link #unchanged()} (nothing to do), {@link #written()} or {@link #wouldWrite()} (dry run),
 * {@link #changedMeanwhile()} (the application rewrote it between the job's read and write) or
 * {@link #failedRows()}, so they add up to {@link #scanned()}. Failures are listed with table, column,
 * row id, key reference and kind (never a value or key bytes). The per-job detail is the
 * {@link #target()} a run moves rows to. Immutable.
 */
public final class JobReport {
  /** At most this many failures are kept; the counts go on. */
  public static final int MAX_LISTED_FAILURES = 100;

  private final String job;
  private final String table;
  private final @Nullable String target;
  private final boolean dryRun;
  private final long totalRows;
  private final long scanned;
  private final long skipped;
  private final long unchanged;
  private final long written;
  private final long wouldWrite;
  private final long changedMeanwhile;
  private final long failedRows;
  private final long failureCount;
  private final long values;
  private final long keyOperations;
  private final int maxPagesInFlight;
  private final Duration elapsed;
  private final List<RowFailure> failures;

  private JobReport(Tally t, long nanoTime) {
    this.job = t.job;
    this.table = t.table;
    this.target = t.target;
    this.dryRun = t.dryRun;
    this.totalRows = t.totalRows;
    this.scanned = t.scanned;
    this.skipped = t.skipped;
    this.unchanged = t.unchanged;
    this.written = t.written;
    this.wouldWrite = t.wouldWrite;
    this.changedMeanwhile = t.changedMeanwhile;
    this.failedRows = t.failedRows;
    this.failureCount = t.failureCount;
    this.values = t.values;
    this.keyOperations = t.keyOperations;
    this.maxPagesInFlight = t.maxPagesInFlight;
    this.elapsed = Duration.ofNanos(Math.max(0, nanoTime - t.startNanos));
    this.failures = List.copyOf(t.failures);
  }

  /** The job's name, for example {@code re-wrap}. */
  public String job() {
    return job;
  }

  public String table() {
    return table;
  }

  /** What the run moves rows to (re-wrap: the key ring's active key when the run started), if anything. */
  public Optional<String> target() {
    return Optional.ofNullable(target);
  }

  /** Whether this was a dry run, which wrote nothing. */
  public boolean isDryRun() {
    return dryRun;
  }

  /**
   * Rows the job would scan, counted when the run started, if the job counted them
   * ({@link TableJob.Builder#countRowsFirst}); rows inserted meanwhile can make {@link #scanned()} end a
   * little above it.
   */
  public OptionalLong totalRows() {
    return totalRows < 0 ? OptionalLong.empty() : OptionalLong.of(totalRows);
  }

  /** Rows read. */
  public long scanned() {
    return scanned;
  }

  /** Rows read but left out by sampling. */
  public long skipped() {
    return skipped;
  }

  /** Rows the action looked at: {@link #scanned()} minus {@link #skipped()}. */
  public long processed() {
    return scanned - skipped;
  }

  /** Rows with nothing to do (re-wrap: already under the target key; verify: every value decrypted). */
  public long unchanged() {
    return unchanged;
  }

  /** Rows this run wrote (0 in a dry run). */
  public long written() {
    return written;
  }

  /** In a dry run, rows a real run would write; 0 otherwise. */
  public long wouldWrite() {
    return wouldWrite;
  }

  /** Rows the application rewrote between the job's read and write; left as the application wrote them. */
  public long changedMeanwhile() {
    return changedMeanwhile;
  }

  /** Rows with at least one failure; left as they were. */
  public long failedRows() {
    return failedRows;
  }

  /** Every failure found, listed or not (a row can have several, one per column). */
  public long failureCount() {
    return failureCount;
  }

  /** Column values the action handled: decrypted (verify) or encrypted (encrypt-existing). */
  public long values() {
    return values;
  }

  /** Key operations the action asked for (KMS calls with AWS KMS in direct mode, unless a cache served them). */
  public long keyOperations() {
    return keyOperations;
  }

  /**
   * The most pages held in memory at once so far (read ahead, queued, or being processed by a worker): at
   * most {@code 2 * workers + 1}, so a run holds at most that many times {@code batchSize} rows.
   */
  public int maxPagesInFlight() {
    return maxPagesInFlight;
  }

  /** Time since the run started. */
  public Duration elapsed() {
    return elapsed;
  }

  /** Rows scanned per second so far (0 before the first page). */
  public double rowsPerSecond() {
    long nanos = elapsed.toNanos();
    return nanos == 0 ? 0 : scanned * 1e9 / nanos;
  }

  /**
   * Time left at the rate so far, when the total is known and at least one row was scanned; zero once
   * every counted row is scanned.
   */
  public Optional<Duration> estimatedRemaining() {
    if (totalRows < 0 || scanned == 0) {
      return Optional.empty();
    }
    long left = Math.max(0, totalRows - scanned);
    return Optional.of(Duration.ofNanos((long) (elapsed.toNanos() * ((double) left / scanned))));
  }

  /** The first {@value #MAX_LISTED_FAILURES} failures, in the order found. */
  public List<RowFailure> failures() {
    return failures;
  }

  /**
   * Whether no row failed and, for a dry run, no row is left to write: the job's work on the rows it
   * scanned is done.
   */
  public boolean isComplete() {
    return failedRows == 0 && (!dryRun || wouldWrite == 0);
  }

  @Override
  public String toString() {
    return "JobReport[" + job + " " + table + (target != null ? " -> " + target : "") + (dryRun ? " (dry run)" : "")
        + ": scanned=" + scanned + (totalRows >= 0 ? "/" + totalRows : "") + ", skipped=" + skipped
        + ", unchanged=" + unchanged + ", written=" + written + (dryRun ? ", wouldWrite=" + wouldWrite : "")
        + ", changedMeanwhile=" + changedMeanwhile + ", failedRows=" + failedRows + ", failures=" + failureCount
        + ", values=" + values + ", keyOperations=" + keyOperations + ", elapsed=" + elapsed.toMillis() + "ms]";
  }

  /** A run's (or one page's) running counts; the engine guards the run's tally with its lock. */
  static final class Tally {
    final String job;
    final String table;
    final @Nullable String target;
    final boolean dryRun;
    final long startNanos = System.nanoTime();
    long totalRows = -1;
    long scanned;
    long skipped;
    long unchanged;
    long written;
    long wouldWrite;
    long changedMeanwhile;
    long failedRows;
    long failureCount;
    long values;
    long keyOperations;
    int maxPagesInFlight;
    final List<RowFailure> failures = new ArrayList<>();

    Tally(String job, String table, @Nullable String target, boolean dryRun) {
      this.job = job;
      this.table = table;
      this.target = target;
      this.dryRun = dryRun;
    }

    void failRow(List<RowFailure> rowFailures) {
      failedRows++;
      for (RowFailure f : rowFailures) {
        failureCount++;
        if (failures.size() < MAX_LISTED_FAILURES) {
          failures.add(f);
        }
      }
    }

    void addTo(Tally run) {
      run.scanned += scanned;
      run.skipped += skipped;
      run.unchanged += unchanged;
      run.written += written;
      run.wouldWrite += wouldWrite;
      run.changedMeanwhile += changedMeanwhile;
      run.failedRows += failedRows;
      run.failureCount += failureCount;
      run.values += values;
      run.keyOperations += keyOperations;
      for (RowFailure f : failures) {
        if (run.failures.size() < MAX_LISTED_FAILURES) {
          run.failures.add(f);
        }
      }
    }

    JobReport report() {
      return new JobReport(this, System.nanoTime());
    }
  }
}
