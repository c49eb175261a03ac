package io.rowseal.jdbc.internal;

import io.rowseal.PlaintextAdoption;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/*
 * The read-ahead pipeline behind rowseal.jdbc.decrypt-parallelism > 1.
 *
 * Only the application's thread touches the driver's result set: in next() it reads whole rows (every
 * column, hidden companion and id columns included) into chunks of CHUNK_ROWS rows and hands each full
 * chunk to the data source's DecryptPool. A worker opens each row's data keys and decrypts every
 * encrypted output of the chunk, storing the value, or the SQLException the serial path would have
 * thrown for it, in place of the stored bytes. The application consumes chunks in order; when the next
 * chunk has not been started by a worker yet, the application's thread decrypts it itself instead of
 * waiting (so a busy pool never stalls a reader, and a result smaller than a chunk, the last partial
 * chunk included, never leaves the application's thread). When the next chunk is being decrypted by a
 * worker and every key opens in process, the application's thread decrypts the chunks queued behind it that
 * no worker has started, then waits (helpAhead).
 *
 * Memory: at most maxChunks(N) = 2N + 1 chunks of CHUNK_ROWS rows are read ahead (2N + 1) * 64 rows,
 * each held as the driver's objects for its columns, plus the row the application is on.
 *
 * Errors: a value that fails to decrypt fails only the getter of that column of that row; a key that
 * cannot be opened fails each non-null encrypted column of that table occurrence in that row; a driver
 * error while reading ahead is thrown by the next() that would have moved onto the row it failed to
 * read, after every row read before it has been delivered.
 *
 * close() marks the pipeline closed: chunks not yet started are skipped by the workers, running ones
 * finish their few rows; nothing waits for a worker, and no worker touches JDBC.
 *
 * Waking: the application's thread waits for a chunk a worker is decrypting on `lock`, which a worker
 * signals when it finishes a chunk and stop()/close() signal from any thread (a statement's cancel or close,
 * the result's close), so a reader stuck behind a slow key (a KMS call) wakes at once with HY008 (cancel) or
 * 24000 (closed) instead of when the worker's key call returns. `ahead` is touched under `lock` because
 * close() may clear it from another thread.
 */
/** Reads a forward-only result ahead and decrypts it on a {@link DecryptPool}; see the comment above. Not thread-safe. */
final class ParallelRows {
  static final int CHUNK_ROWS = 64;
  private static final byte OBJECT = 0;
  private static final byte BYTES = 1;
  private static final byte STRING = 2;

  private final ResultSet driver;
  private final SelectPlan plan;
  private final RowSeal rowSeal;
  private final DecryptPool pool;
  private final int columns;
  private final byte[] kinds;
  private final int maxChunks;
  /** Whether the application's thread may decrypt chunks queued behind the one it waits for ({@link #helpAhead}). */
  private final boolean helps;
  /** Guards {@link #ahead} and each chunk's {@code decrypted}; signalled on every change a reader waits for. */
  private final Object lock = new Object();
  private final ArrayDeque<Chunk> ahead = new ArrayDeque<>();
  private @Nullable Chunk current;
  private int index;
  private int rowNumber;
  private boolean driverDone;
  private @Nullable SQLException driverError;
  private boolean afterLast;
  private volatile boolean closed;
  private volatile boolean cancelled;

  ParallelRows(ResultSet driver, SelectPlan plan, RowSeal rowSeal, DecryptPool pool) {
    this.driver = driver;
    this.plan = plan;
    this.rowSeal = rowSeal;
    this.pool = pool;
    this.columns = columnCount(plan);
    this.kinds = new byte[columns + 1];
    for (int c = 1; c <= Math.min(columns, plan.visibleColumns()); c++) {
      SelectPlan.EncryptedOutput o = plan.output(c);
      if (o != null) {
        kinds[c] = o.column.storage() == StorageForm.BINARY ? BYTES : STRING;
      }
    }
    for (SelectPlan.Source s : plan.sources()) {
      kinds[s.companionColumn] = BYTES;
    }
    this.maxChunks = maxChunks(pool.threads());
    this.helps = rowSeal.opensKeysInProcess();
  }

  // The rewritten query's columns: the application's, then each source's companion and id columns.
  private static int columnCount(SelectPlan plan) {
    int n = plan.visibleColumns();
    for (SelectPlan.Source s : plan.sources()) {
      n = Math.max(n, s.companionColumn);
      for (int id : s.idColumns) {
        n = Math.max(n, id);
      }
    }
    return n;
  }

  /** Chunks read ahead at most with {@code threads} workers: enough that every worker has the next one ready. */
  static int maxChunks(int threads) {
    return 2 * threads + 1;
  }

  /** Moves to the next row, reading ahead as needed; false after the last. */
  boolean next() throws SQLException {
    checkOpen();
    Chunk c = current;
    if (c != null && index + 1 < c.size) {
      index++;
      rowNumber++;
      return true;
    }
    current = null;
    fill();
    checkOpen(); // a cancel while the driver was reading ahead
    Chunk head;
    synchronized (lock) {
      head = ahead.poll();
    }
    if (head == null) {
      afterLast = true;
      if (driverError != null) {
        SQLException e = driverError;
        driverError = null;
        throw e;
      }
      return false;
    }
    fill();
    await(head);
    current = head;
    index = 0;
    rowNumber++;
    return true;
  }

  private void checkOpen() throws SQLException {
    if (cancelled) {
      throw new SQLException("the statement was cancelled", "HY008");
    }
    if (closed) {
      throw new SQLException("this result set is closed", "24000");
    }
  }

  /** Decrypts {@code chunk} here unless a worker has claimed it, then waits until it is done or stopped. */
  private void await(Chunk chunk) throws SQLException {
    chunk.run();
    if (helps && !chunk.isDecrypted()) {
      helpAhead(chunk);
    }
    synchronized (lock) {
      while (!chunk.decrypted && !closed) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException("interrupted while waiting for rows being decrypted", "HY008", e);
        }
      }
    }
    checkOpen();
  }

  /**
   * While a worker decrypts {@code head}, decrypts here the chunks read ahead behind it that no worker has started,
   * instead of sitting idle: with 2 workers on 2 cores, a 200 000-row scan went from 1.24x to 1.40x the serial one
   * (benchmarks/README.md). Only when every key opens in process ({@link RowSeal#opensKeysInProcess()}): a chunk
   * costs microseconds a row then, whereas a key behind a KMS could hold the application's thread for as long as the
   * call takes, and a cancel or close must wake a reader at once (ReadAheadWakeTest).
   */
  private void helpAhead(Chunk head) {
    Chunk[] queued;
    synchronized (lock) {
      queued = ahead.toArray(new Chunk[0]);
    }
    for (Chunk c : queued) {
      if (closed || head.isDecrypted()) {
        return;
      }
      c.run(); // returns at once if a worker claimed it
    }
  }

  private int aheadCount() {
    synchronized (lock) {
      return ahead.size();
    }
  }

  /** Reads rows from the driver until {@link #maxChunks} chunks are ahead or the driver has no more. */
  private void fill() {
    while (!driverDone && !closed && aheadCount() < maxChunks) {
      Chunk chunk = new Chunk(this);
      try {
        while (chunk.size < CHUNK_ROWS && driver.next()) {
          Object[] row = new Object[columns + 1];
          for (int col = 1; col <= columns; col++) {
            switch (kinds[col]) {
              case BYTES -> row[col] = driver.getBytes(col);
              case STRING -> row[col] = driver.getString(col);
              default -> row[col] = driver.getObject(col);
            }
          }
          chunk.rows[chunk.size++] = row;
        }
      } catch (SQLException e) {
        driverError = e; // thrown once every row read before it is consumed
      }
      if (chunk.size < CHUNK_ROWS) {
        driverDone = true;
      }
      if (chunk.size == 0) {
        return;
      }
      synchronized (lock) {
        if (closed) {
          return;
        }
        ahead.add(chunk);
      }
      if (!driverDone) {
        pool.execute(chunk); // a last, partial chunk is decrypted by the application's thread when it gets there
      }
    }
  }

  /** Decrypts every encrypted output of every row of {@code chunk}, in place. Runs on any thread; no JDBC. */
  private void decrypt(Chunk chunk) {
    int sources = plan.sources().size();
    for (int r = 0; r < chunk.size && !closed; r++) {
      Object[] row = chunk.rows[r];
      for (int s = 0; s < sources; s++) {
        decryptSource(chunk, r, row, s);
      }
    }
  }

  // Mirrors DecryptingResultSet.decrypted/key for one table occurrence of one row, from the read values.
  private void decryptSource(Chunk chunk, int r, Object[] row, int s) {
    SelectPlan.Source source = plan.sources().get(s);
    byte[] companion = (byte[]) row[source.companionColumn];
    RowKey key = null;
    @Nullable SQLException keyError = null;
    try {
      for (int col = 1; col <= plan.visibleColumns(); col++) {
        SelectPlan.EncryptedOutput o = plan.output(col);
        if (o == null || o.source != s || row[col] == null) {
          continue; // SQL NULL stays null without opening the key, as on the serial path
        }
        Object stored = row[col];
        row[col] = null;
        try {
          if (companion == null) {
            RowId rowId = rowId(source, row);
            if (source.table.isAdoptingPlaintext() && o.column.storage() == StorageForm.TEXT) {
              row[col] = PlaintextAdoption.parsePlaintext(o.column, rowId, (String) stored);
            } else {
              chunk.fail(r, col, DecryptingResultSet.companionMissing(o, rowId, source));
            }
            continue;
          }
          if (key == null && keyError == null) {
            try {
              key = rowSeal.openRowKey(source.table, rowId(source, row), companion);
            } catch (RuntimeException e) {
              keyError = SqlErrors.translate(e);
            }
          }
          if (keyError != null) {
            chunk.fail(r, col, keyError);
          } else {
            row[col] = key.decrypt(o.column, stored);
          }
        } catch (SQLException e) {
          chunk.fail(r, col, e);
        } catch (RuntimeException e) {
          chunk.fail(r, col, SqlErrors.translate(e));
        }
      }
    } finally {
      if (key != null) {
        key.close();
      }
    }
  }

  private static RowId rowId(SelectPlan.Source source, Object[] row) throws SQLException {
    int[] ids = source.idColumns;
    try {
      Object[] parts = new Object[ids.length];
      for (int i = 0; i < ids.length; i++) {
        parts[i] = row[ids[i]];
        if (parts[i] == null) {
          return RowId.unbound();
        }
      }
      return ids.length == 1 ? RowId.of(parts[0]) : RowId.composite(parts);
    } catch (IllegalArgumentException e) {
      throw SqlErrors.translate(e);
    }
  }

  /** The current row's value of 1-based {@code column}: decrypted for an encrypted output, as read otherwise. */
  @Nullable Object value(int column) throws SQLException {
    Chunk c = current;
    if (c == null) {
      throw new SQLException(afterLast ? "the cursor is after the last row" : "the cursor is before the first row",
          "24000");
    }
    SQLException e = c.error(index, column);
    if (e != null) {
      throw e;
    }
    return c.rows[index][column];
  }

  int columnCount() {
    return columns;
  }

  int row() {
    return current == null ? 0 : rowNumber;
  }

  boolean isBeforeFirst() {
    if (rowNumber > 0) {
      return false;
    }
    fill();
    return aheadCount() > 0;
  }

  boolean isAfterLast() {
    return afterLast && rowNumber > 0;
  }

  boolean isFirst() {
    return current != null && rowNumber == 1;
  }

  boolean isLast() {
    Chunk c = current;
    if (c == null || index + 1 < c.size) {
      return false;
    }
    fill();
    return aheadCount() == 0;
  }

  /**
   * Stops from any thread (the statement's close or cancel): chunks not yet started are skipped, and the
   * {@link #next()} in progress (waiting for a chunk) or the next one fails, with SQLState HY008 when
   * {@code cancel}.
   */
  void stop(boolean cancel) {
    cancelled |= cancel;
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  /**
   * Stops, from any thread: chunks not yet started are skipped, nothing waits for a worker, and a
   * {@link #next()} waiting for a chunk fails with 24000. Idempotent.
   */
  void close() {
    closed = true;
    synchronized (lock) {
      ahead.clear();
      lock.notifyAll();
    }
    current = null;
  }

  /** A chunk of rows, decrypted once by whichever thread claims it first. */
  private static final class Chunk implements Runnable {
    final ParallelRows owner;
    final Object[][] rows = new Object[CHUNK_ROWS][];
    int size;
    /** Per row, per column: the error that column's getter throws (allocated on the first error). */
    @Nullable SQLException[][] errors;
    private final AtomicBoolean claimed = new AtomicBoolean();
    /** Set under the owner's lock once the thread that claimed the chunk is done with it. */
    boolean decrypted;

    Chunk(ParallelRows owner) {
      this.owner = owner;
    }

    @Override
    public void run() {
      if (!claimed.compareAndSet(false, true)) {
        return;
      }
      try {
        if (!owner.closed) {
          owner.decrypt(this);
        }
      } finally {
        synchronized (owner.lock) {
          decrypted = true;
          owner.lock.notifyAll();
        }
      }
    }

    boolean isDecrypted() {
      synchronized (owner.lock) {
        return decrypted;
      }
    }

    void fail(int row, int column, SQLException e) {
      if (errors == null) {
        errors = new SQLException[CHUNK_ROWS][];
      }
      if (errors[row] == null) {
        errors[row] = new SQLException[owner.columns + 1];
      }
      errors[row][column] = e;
    }

    @Nullable SQLException error(int row, int column) {
      return errors == null || errors[row] == null ? null : errors[row][column];
    }
  }
}
