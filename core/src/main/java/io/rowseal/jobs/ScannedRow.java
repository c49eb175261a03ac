package io.rowseal.jobs;

import io.rowseal.RowId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One row as a {@link TableJob} read it, handed to {@link RowAction.Pass#apply}: its row id and the
 * values of the action's {@link RowAction#columns() columns}. Confined to the worker thread that
 * processes it; the values are the job's own copies and hold what was stored (ciphertext, or plaintext
 * for a column being adopted), so an action must not put them into messages.
 */
public final class ScannedRow {
  private final RowId rowId;
  private final List<JobColumn> columns;
  private final @Nullable Object[] values;
  private final @Nullable RateLimiter limiter;
  private int keyOperations;

  ScannedRow(RowId rowId, List<JobColumn> columns, @Nullable Object[] values, @Nullable RateLimiter limiter) {
    this.rowId = rowId;
    this.columns = columns;
    this.values = values;
    this.limiter = limiter;
  }

  /** The row id as rendered in wraps and AADs. */
  public RowId rowId() {
    return rowId;
  }

  /**
   * The value of binary column {@code i} (index into {@link RowAction#columns()}), or null for SQL NULL.
   *
   * @throws IllegalArgumentException if column {@code i} is a text column
   */
  public byte @Nullable [] bytes(int i) {
    if (columns.get(i).isText()) {
      throw new IllegalArgumentException("column " + columns.get(i).name() + " is read as text, not bytes");
    }
    return (byte[]) values[i];
  }

  /**
   * The value of text column {@code i} (index into {@link RowAction#columns()}), or null for SQL NULL.
   *
   * @throws IllegalArgumentException if column {@code i} is a binary column
   */
  public @Nullable String text(int i) {
    if (!columns.get(i).isText()) {
      throw new IllegalArgumentException("column " + columns.get(i).name() + " is read as bytes, not text");
    }
    return (String) values[i];
  }

  /**
   * Call before each key operation (a KMS call, or an unwrap or wrap that may be one): waits for a permit
   * of the job's rate limit, shared by all workers, and counts the operation in the report.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void keyOperation() throws InterruptedException {
    if (limiter != null) {
      limiter.acquire();
    }
    keyOperations++;
  }

  int keyOperations() {
    return keyOperations;
  }

  @Override
  public String toString() {
    return "ScannedRow[" + rowId + "]";
  }
}
