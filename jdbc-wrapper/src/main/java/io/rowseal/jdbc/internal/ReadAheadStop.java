package io.rowseal.jdbc.internal;

import org.jspecify.annotations.Nullable;

/**
 * A statement's link to its last decrypting result, so that the statement's close, cancel and next execution
 * stop that result's read-ahead ({@link ParallelRows}). Close and cancel may come from another thread.
 */
final class ReadAheadStop {
  private volatile @Nullable DecryptingResultSet last;

  /** Records {@code results} as the statement's current result, stopping the previous one's read-ahead. */
  DecryptingResultSet track(DecryptingResultSet results) {
    stop(false);
    last = results;
    return results;
  }

  /** Stops the current result's read-ahead, if any; with {@code cancelled}, its next() fails with HY008. */
  void stop(boolean cancelled) {
    DecryptingResultSet results = last;
    if (results != null) {
      results.stopReadAhead(cancelled);
    }
  }
}
