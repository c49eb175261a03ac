package io.rowseal.rewrap;

import java.util.ArrayList;
import java.util.List;

/**
 * What an {@link EncryptExistingJob} run did: plaintext rows scanned, encrypted (or, in a dry run, that
 * would be), rewritten by the application between the job's read and write (skipped: the application's
 * write encrypted them), and rows left as plaintext because they could not be encrypted, each with its
 * row id and the reason (never a value or key bytes). Immutable.
 */
public final class EncryptExistingReport {
  /** At most this many failures are kept with their reasons; the count goes on. */
  public static final int MAX_LISTED_FAILURES = 100;

  private final String table;
  private final boolean dryRun;
  private final long scanned;
  private final long encrypted;
  private final long changedMeanwhile;
  private final long failed;
  private final List<String> failures;

  private EncryptExistingReport(Counter c) {
    this.table = c.table;
    this.dryRun = c.dryRun;
    this.scanned = c.scanned;
    this.encrypted = c.encrypted;
    this.changedMeanwhile = c.changedMeanwhile;
    this.failed = c.failed;
    this.failures = List.copyOf(c.failures);
  }

  public String table() {
    return table;
  }

  /** Whether this was a dry run: nothing was written. */
  public boolean dryRun() {
    return dryRun;
  }

  /** Rows without a companion and with at least one non-NULL encrypted column that the run looked at. */
  public long scanned() {
    return scanned;
  }

  /** Rows this run encrypted (in a dry run: rows it would have encrypted). */
  public long encrypted() {
    return encrypted;
  }

  /** Rows the application rewrote between the job's read and write; left as the application wrote them. */
  public long changedMeanwhile() {
    return changedMeanwhile;
  }

  /** Rows left as plaintext: a value not of the column's type, too wide for its column, or already ciphertext. */
  public long failed() {
    return failed;
  }

  /** Up to {@value #MAX_LISTED_FAILURES} failures, each naming the row, the column and the reason. */
  public List<String> failures() {
    return failures;
  }

  /** Whether every scanned row was encrypted or rewritten by the application (no failure). */
  public boolean isComplete() {
    return failed == 0;
  }

  @Override
  public String toString() {
    return "EncryptExistingReport[" + table + (dryRun ? " (dry run)" : "") + ": scanned=" + scanned + ", encrypted="
        + encrypted + ", changedMeanwhile=" + changedMeanwhile + ", failed=" + failed + "]";
  }

  /** The job's running tally. */
  static final class Counter {
    final String table;
    final boolean dryRun;
    long scanned;
    long encrypted;
    long changedMeanwhile;
    long failed;
    final List<String> failures = new ArrayList<>();

    Counter(String table, boolean dryRun) {
      this.table = table;
      this.dryRun = dryRun;
    }

    void fail(String rowId, String reason) {
      failed++;
      if (failures.size() < MAX_LISTED_FAILURES) {
        failures.add("row " + rowId + ": " + reason);
      }
    }

    EncryptExistingReport report() {
      return new EncryptExistingReport(this);
    }
  }
}
