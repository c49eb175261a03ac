package io.rowseal.rewrap;

import io.rowseal.key.KeyRef;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link RewrapJob} run did: rows scanned, moved to the target key, already under it, changed by
 * the application meanwhile (skipped: their new wrap is already the active key's), and rows that could
 * not be opened, each with its row id and the reason (never key bytes). Immutable.
 */
public final class RewrapReport {
  /** At most this many failures are kept with their reasons; the count goes on. */
  public static final int MAX_LISTED_FAILURES = 100;

  private final String table;
  private final KeyRef target;
  private final long scanned;
  private final long rewrapped;
  private final long alreadyActive;
  private final long changedMeanwhile;
  private final long failed;
  private final List<String> failures;

  private RewrapReport(Counter c) {
    this.table = c.table;
    this.target = c.target;
    this.scanned = c.scanned;
    this.rewrapped = c.rewrapped;
    this.alreadyActive = c.alreadyActive;
    this.changedMeanwhile = c.changedMeanwhile;
    this.failed = c.failed;
    this.failures = List.copyOf(c.failures);
  }

  public String table() {
    return table;
  }

  /** The key every row was moved to: the key ring's active key when the run started. */
  public KeyRef target() {
    return target;
  }

  /** Rows with a companion column that the run looked at. */
  public long scanned() {
    return scanned;
  }

  /** Rows whose data key this run re-wrapped under the target key. */
  public long rewrapped() {
    return rewrapped;
  }

  /** Rows that were under the target key already. */
  public long alreadyActive() {
    return alreadyActive;
  }

  /** Rows the application rewrote between the job's read and write; left as the application wrote them. */
  public long changedMeanwhile() {
    return changedMeanwhile;
  }

  /** Rows whose data key could not be opened (unknown key, corrupted companion, ...). */
  public long failed() {
    return failed;
  }

  /** Up to {@value #MAX_LISTED_FAILURES} failures, each naming the row and the reason. */
  public List<String> failures() {
    return failures;
  }

  /** Whether every scanned row is now under the target key (or was rewritten by the application). */
  public boolean isComplete() {
    return failed == 0;
  }

  @Override
  public String toString() {
    return "RewrapReport[" + table + " -> " + target + ": scanned=" + scanned + ", rewrapped=" + rewrapped
        + ", alreadyActive=" + alreadyActive + ", changedMeanwhile=" + changedMeanwhile + ", failed=" + failed + "]";
  }

  /** The job's running tally. */
  static final class Counter {
    final String table;
    final KeyRef target;
    long scanned;
    long rewrapped;
    long alreadyActive;
    long changedMeanwhile;
    long failed;
    final List<String> failures = new ArrayList<>();

    Counter(String table, KeyRef target) {
      this.table = table;
      this.target = target;
    }

    void fail(String rowId, String reason) {
      failed++;
      if (failures.size() < MAX_LISTED_FAILURES) {
        failures.add("row " + rowId + ": " + reason);
      }
    }

    RewrapReport report() {
      return new RewrapReport(this);
    }
  }
}
