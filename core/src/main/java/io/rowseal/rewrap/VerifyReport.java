package io.rowseal.rewrap;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link VerifyJob} run found: rows read, rows verified (every encrypted value decrypted),
 * rows skipped by sampling, values decrypted, rows with at least one failure, and up to
 * {@value #MAX_LISTED_FAILURES} failures by table, column, row id, key reference and kind. Never
 * holds values. Immutable.
 */
public final class VerifyReport {
  /** At most this many failures are kept; the counts go on. */
  public static final int MAX_LISTED_FAILURES = 100;

  private final String table;
  private final long scanned;
  private final long verified;
  private final long skipped;
  private final long values;
  private final long failedRows;
  private final long failureCount;
  private final List<VerifyFailure> failures;

  private VerifyReport(Counter c) {
    this.table = c.table;
    this.scanned = c.scanned;
    this.verified = c.verified;
    this.skipped = c.skipped;
    this.values = c.values;
    this.failedRows = c.failedRows;
    this.failureCount = c.failureCount;
    this.failures = List.copyOf(c.failures);
  }

  public String table() {
    return table;
  }

  /** Rows read from the table. */
  public long scanned() {
    return scanned;
  }

  /** Rows checked: the data key opened (when needed) and every non-NULL encrypted value decrypted. */
  public long verified() {
    return verified;
  }

  /** Rows read but left out by sampling. */
  public long skipped() {
    return skipped;
  }

  /** Non-NULL encrypted values decrypted successfully. */
  public long values() {
    return values;
  }

  /** Verified rows with at least one failure. */
  public long failedRows() {
    return failedRows;
  }

  /** Every failure found, listed or not. */
  public long failureCount() {
    return failureCount;
  }

  /** The first {@value #MAX_LISTED_FAILURES} failures, in primary-key order. */
  public List<VerifyFailure> failures() {
    return failures;
  }

  /** Whether every verified row decrypted. */
  public boolean isClean() {
    return failureCount == 0;
  }

  @Override
  public String toString() {
    return "VerifyReport[" + table + ": scanned=" + scanned + ", verified=" + verified + ", skipped=" + skipped
        + ", values=" + values + ", failedRows=" + failedRows + ", failures=" + failureCount + "]";
  }

  /** The job's running tally. */
  static final class Counter {
    final String table;
    long scanned;
    long verified;
    long skipped;
    long values;
    long failedRows;
    long failureCount;
    final List<VerifyFailure> failures = new ArrayList<>();

    Counter(String table) {
      this.table = table;
    }

    void fail(VerifyFailure failure) {
      failureCount++;
      if (failures.size() < MAX_LISTED_FAILURES) {
        failures.add(failure);
      }
    }

    VerifyReport report() {
      return new VerifyReport(this);
    }
  }
}
