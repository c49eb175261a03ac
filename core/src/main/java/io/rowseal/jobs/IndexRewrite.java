package io.rowseal.jobs;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.errors.RowSealException;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.jobs.RowFailure.Kind;
import io.rowseal.key.KeyRef;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.search.IndexKeyVersion;
import io.rowseal.search.IndexView;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The two per-row steps of an index-key rotation ({@link ReindexJob}), as {@link RowAction}s on the
 * keyset-scan engine.
 *
 * <p><b>Fill</b> writes the new version's index value into its physical column for every row whose value is
 * not NULL and whose column is still NULL: it opens the row key from the companion, decrypts the value and
 * computes the index; the engine's compare-and-set on the companion, the value and the (NULL) index column
 * leaves a row the application rewrote meanwhile as the application wrote it (a writer of that phase writes
 * the new index itself). <b>Clear</b> sets the old version's column to NULL in every row whose new column is
 * filled (or whose value is NULL); it reads no value and needs no key. Progress is in the rows (the
 * conditions), so a killed pass is run again. Immutable, thread-safe.
 */
final class IndexRewrite implements RowAction {
  enum Step { FILL, CLEAR }

  private final Step step;
  private final RowSeal rowSeal;
  private final IndexKeyStore store;
  private final EncryptedTable table;
  private final EncryptedColumn column;
  private final int version;
  private final String target;
  private final String other;

  /**
   * @param version the version written (fill) or the version whose column is cleared (clear)
   * @param target the physical column written (fill) or cleared (clear)
   * @param other the physical column of the other live version (clear only checks it is filled)
   */
  IndexRewrite(Step step, RowSeal rowSeal, IndexKeyStore store, EncryptedColumn column, int version, String target,
      String other) {
    this.step = step;
    this.rowSeal = Objects.requireNonNull(rowSeal, "rowSeal");
    this.store = Objects.requireNonNull(store, "store");
    this.column = Objects.requireNonNull(column, "column");
    this.table = column.table();
    this.version = version;
    this.target = Objects.requireNonNull(target, "target");
    this.other = Objects.requireNonNull(other, "other");
  }

  @Override
  public String name() {
    return step == Step.FILL ? "re-index" : "clear-index";
  }

  @Override
  public List<JobColumn> columns() {
    if (step == Step.CLEAR) {
      return List.of(JobColumn.bytes(target));
    }
    JobColumn value = column.storage() == StorageForm.TEXT ? JobColumn.text(column.name()) : JobColumn.bytes(column.name());
    return List.of(JobColumn.bytes(table.companionColumn()), value, JobColumn.bytes(target));
  }

  /** The rows still to do: the condition is the whole progress record. */
  @Override
  public String condition() {
    if (step == Step.FILL) {
      return target + " IS NULL AND " + column.name() + " IS NOT NULL";
    }
    // a row whose new column is (wrongly) empty keeps its old value: it stays findable, and retiring waits
    return target + " IS NOT NULL AND (" + other + " IS NOT NULL OR " + column.name() + " IS NULL)";
  }

  @Override
  public boolean readOnly() {
    return false;
  }

  @Override
  public Pass begin(Connection connection, boolean dryRun) {
    if (step == Step.CLEAR) {
      return Pass.movingTo(target + " cleared (v" + version + ")", row -> RowOutcome.write(nulled(), 0));
    }
    if (dryRun) {
      // no key operation: the engine drops the write and counts it
      return Pass.movingTo(target + " (v" + version + ")", row -> RowOutcome.write(nulled(), 0));
    }
    store.refresh();
    IndexView view = store.view(column);
    IndexKeyVersion v = null;
    for (IndexKeyVersion candidate : view.versions()) {
      if (candidate.version() == version) {
        v = candidate;
      }
    }
    if (v == null || v.state() != IndexKeyVersion.State.ACTIVE || !v.physicalColumn().equalsIgnoreCase(target)) {
      throw new IllegalStateException("version " + version + " of " + table.name() + "." + column.name()
          + "'s index key is not active in " + target + " (found " + v + "); run reindex again");
    }
    IndexKeyVersion active = v;
    return Pass.movingTo(target + " (v" + version + ")", row -> fill(row, view, active));
  }

  private Map<String, @Nullable Object> nulled() {
    Map<String, @Nullable Object> m = new java.util.HashMap<>();
    m.put(target, null);
    return m;
  }

  private RowOutcome fill(ScannedRow row, IndexView view, IndexKeyVersion active) throws InterruptedException {
    String rowId = row.rowId().toString();
    byte[] companion = row.bytes(0);
    if (companion == null) {
      return RowOutcome.failed(RowFailure.of(table.name(), column.name(), rowId, null, Kind.MISSING_COMPANION,
          "the value has no companion (plaintext not yet adopted?): run encrypt-existing first"));
    }
    Object stored = column.storage() == StorageForm.TEXT ? row.text(1) : row.bytes(1);
    KeyRef readable = WrappedDataKey.readableKeyRef(companion);
    String ref = readable == null ? null : readable.toString();
    row.keyOperation();
    RowKey key;
    try {
      key = rowSeal.openRowKey(table, row.rowId(), companion);
    } catch (InvalidFormatException e) {
      return RowOutcome.failed(RowFailure.of(table.name(), table.companionColumn(), rowId, ref, Kind.UNREADABLE_COMPANION,
          e.getMessage()));
    } catch (KeyUnavailableException e) {
      return RowOutcome.failed(RowFailure.of(table.name(), table.companionColumn(), rowId, ref, Kind.KEY_UNAVAILABLE,
          e.getMessage()));
    } catch (RowSealException e) {
      return RowOutcome.failed(RowFailure.of(table.name(), table.companionColumn(), rowId, ref,
          Kind.COMPANION_AUTHENTICATION_FAILED, null));
    }
    byte[] index;
    try (RowKey open = key) {
      Object value;
      try {
        value = open.decrypt(column, stored, column.javaType());
      } catch (DecryptionFailedException e) {
        return RowOutcome.failed(RowFailure.of(table.name(), column.name(), rowId, ref, Kind.VALUE_AUTHENTICATION_FAILED,
            null));
      } catch (RowSealException e) {
        return RowOutcome.failed(RowFailure.of(table.name(), column.name(), rowId, ref, Kind.VALUE_INVALID_FORMAT, null));
      }
      if (value == null) {
        return RowOutcome.unchanged(0);
      }
      index = view.compute(active, value);
      if (value instanceof byte[] b) {
        Arrays.fill(b, (byte) 0);
      }
    }
    return RowOutcome.write(Map.of(target, index), 1);
  }

  @Override
  public String toString() {
    return "IndexRewrite[" + step + " " + table.name() + "." + column.name() + " v" + version + " in " + target + "]";
  }
}
