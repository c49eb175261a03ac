package io.rowseal.rewrap;

import io.rowseal.key.KeyRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a {@link RewrapJob} run did, or has done so far when handed to a progress listener: rows scanned
 * (out of {@link #totalRows()} when counted up front), moved to the target key, already under it,
 * changed by the application meanwhile (skipped: their new wrap is already the active key's), rows that
 * could not be opened, each with its row id and the reason (never key bytes), and the key operations
 * made. {@link #rowsPerSecond()} and {@link #estimatedRemaining()} are enough for a progress bar.
 * Immutable.
 */
public final class RewrapReport {
  /** At most this many failures are kept with their reasons; the count goes on. */
  public static final int MAX_LISTED_FAILURES = 100;

  private final String table;
  private final KeyRef target;
  private final boolean dryRun;
  private final long totalRows;
  private final long scanned;
  private final long rewrapped;
  private final long wouldRewrap;
  private final long alreadyActive;
  private final long changedMeanwhile;
  private final long failed;
  private final long keyOperations;
  private final Duration elapsed;
  private final List<String> failures;

  private RewrapReport(Counter c, long nanoTime) {
    this.table = c.table;
    this.target = c.target;
    this.dryRun = c.dryRun;
    this.totalRows = c.totalRows;
    this.scanned = c.scanned;
    this.rewrapped = c.rewrapped;
    this.wouldRewrap = c.wouldRewrap;
    this.alreadyActive = c.alreadyActive;
    this.changedMeanwhile = c.changedMeanwhile;
    this.failed = c.failed;
    this.keyOperations = c.keyOperations;
    this.elapsed = Duration.ofNanos(Math.max(0, nanoTime - c.startNanos));
    this.failures = List.copyOf(c.failures);
  }

  public String table() {
    return table;
  }

  /** The key every row was moved to: the key ring's active key when the run started. */
  public KeyRef target() {
    return target;
  }

  /** Whether this was a dry run, which makes no key operation and writes nothing. */
  public boolean isDryRun() {
    return dryRun;
  }

  /**
   * Rows with a companion column in the job's range when the run started, if the job counted them
   * ({@link RewrapJob.Builder#countRowsFirst}); rows the application inserts meanwhile can make
   * {@link #scanned()} end a little above it.
   */
  public OptionalLong totalRows() {
    return totalRows < 0 ? OptionalLong.empty() : OptionalLong.of(totalRows);
  }

  /** Rows with a companion column that the run looked at. */
  public long scanned() {
    return scanned;
  }

  /** Rows whose data key this run re-wrapped under the target key (0 in a dry run). */
  public long rewrapped() {
    return rewrapped;
  }

  /**
   * In a dry run, rows under another key that the key ring holds: what a real run would re-wrap. 0 when
   * not a dry run.
   */
  public long wouldRewrap() {
    return wouldRewrap;
  }

  /** Rows that were under the target key already; they cost no key operation. */
  public long alreadyActive() {
    return alreadyActive;
  }

  /** Rows the application rewrote between the job's read and write; left as the application wrote them. */
  public long changedMeanwhile() {
    return changedMeanwhile;
  }

  /**
   * Rows whose data key could not be opened (unknown key, corrupted companion, ...); in a dry run, rows
   * whose companion is unreadable or names a key the ring does not hold.
   */
  public long failed() {
    return failed;
  }

  /** Re-wraps the job asked the key ring for (one per row not under the target key; KMS calls with AWS KMS). */
  public long keyOperations() {
    return keyOperations;
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

  /** Up to {@value #MAX_LISTED_FAILURES} failures, each naming the row and the reason. */
  public List<String> failures() {
    return failures;
  }

  /**
   * Whether every scanned row is now under the target key (or was rewritten by the application); for a
   * dry run, whether no row is left to move.
   */
  public boolean isComplete() {
    return failed == 0 && (!dryRun || wouldRewrap == 0);
  }

  @Override
  public String toString() {
    return "RewrapReport[" + table + " -> " + target + (dryRun ? " (dry run)" : "") + ": scanned=" + scanned
        + (totalRows >= 0 ? "/" + totalRows : "") + ", rewrapped=" + rewrapped
        + (dryRun ? ", wouldRewrap=" + wouldRewrap : "") + ", alreadyActive=" + alreadyActive
        + ", changedMeanwhile=" + changedMeanwhile + ", failed=" + failed + ", keyOperations=" + keyOperations
        + ", elapsed=" + elapsed.toMillis() + "ms]";
  }

  /** The job's running tally; the job guards it with its own lock. */
  static final class Counter {
    final String table;
    final KeyRef target;
    final boolean dryRun;
    final long startNanos = System.nanoTime();
    long totalRows = -1;
    long scanned;
    long rewrapped;
    long wouldRewrap;
    long alreadyActive;
    long changedMeanwhile;
    long failed;
    long keyOperations;
    final List<String> failures = new ArrayList<>();

    Counter(String table, KeyRef target, boolean dryRun) {
      this.table = table;
      this.target = target;
      this.dryRun = dryRun;
    }

    Counter(String table, KeyRef target) {
      this(table, target, false);
    }

    void fail(String rowId, String reason) {
      failed++;
      if (failures.size() < MAX_LISTED_FAILURES) {
        failures.add("row " + rowId + ": " + reason);
      }
    }

    RewrapReport report() {
      return new RewrapReport(this, System.nanoTime());
    }
  }
}
