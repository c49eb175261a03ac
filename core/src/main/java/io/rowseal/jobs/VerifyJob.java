package io.rowseal.jobs;

import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.errors.RowSealException;
import io.rowseal.StorageForm;
import io.rowseal.errors.TypeMismatchException;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.jobs.RowFailure.Kind;
import io.rowseal.key.KeyRef;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Verify: decrypts every row of one table (or a random sample with {@link TableJob.Builder#sample}, or
 * the first rows up to {@link TableJob.Builder#limit}) with the key ring of a {@link RowSeal}, through
 * {@link RowKey}, the same code the application reads with, so a row that verifies is a row the
 * application can read. Lists each row the application could not read: a value that fails
 * authentication, a companion that does not open (altered, moved, unknown or unreachable key), and a row
 * with encrypted values but no companion. Read-only; decrypted values are dropped at once and never
 * reported. A clean row counts as {@link JobReport#unchanged()}, each value decrypted in
 * {@link JobReport#values()}. Immutable, thread-safe.
 */
public final class VerifyJob implements RowAction {
  private final RowSeal rowSeal;
  private final EncryptedTable table;

  private VerifyJob(RowSeal rowSeal, EncryptedTable table) {
    this.rowSeal = Objects.requireNonNull(rowSeal, "rowSeal");
    this.table = Objects.requireNonNull(table, "table");
  }

  /** A job verifying {@code table}, which must be configured in {@code rowSeal}. */
  public static TableJob.Builder builder(DataSource dataSource, RowSeal rowSeal, EncryptedTable table) {
    return TableJob.builder(dataSource, table, new VerifyJob(rowSeal, table));
  }

  @Override
  public String name() {
    return "verify";
  }

  /** The companion, then every encrypted column in its storage form. */
  @Override
  public List<JobColumn> columns() {
    List<JobColumn> columns = new ArrayList<>();
    columns.add(JobColumn.bytes(table.companionColumn()));
    for (EncryptedColumn c : table.columns()) {
      columns.add(c.storage() == StorageForm.TEXT ? JobColumn.text(c.name()) : JobColumn.bytes(c.name()));
    }
    return columns;
  }

  @Override
  public String condition() {
    return "";
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public Pass begin(Connection connection, boolean dryRun) {
    return this::verify;
  }

  private RowOutcome verify(ScannedRow row) throws InterruptedException {
    List<EncryptedColumn> columns = table.columns();
    String rowId = row.rowId().toString();
    List<RowFailure> failures = new ArrayList<>();
    int values = 0;
    byte[] companion = row.bytes(0);
    if (companion == null) {
      for (int i = 0; i < columns.size(); i++) {
        if (stored(row, i) != null) {
          failures.add(new RowFailure(table.name(), columns.get(i).name(), rowId, null, Kind.MISSING_COMPANION));
        }
      }
    } else {
      KeyRef readable = WrappedDataKey.readableKeyRef(companion);
      String ref = readable == null ? null : readable.toString();
      Kind keyFailure = null;
      RowKey key = null;
      row.keyOperation();
      try {
        key = rowSeal.openRowKey(table, row.rowId(), companion);
      } catch (InvalidFormatException e) {
        keyFailure = Kind.UNREADABLE_COMPANION;
      } catch (KeyUnavailableException e) {
        keyFailure = Kind.KEY_UNAVAILABLE;
      } catch (RowSealException e) {
        // DecryptionFailedException, or anything else that keeps the key shut: fail closed
        keyFailure = Kind.COMPANION_AUTHENTICATION_FAILED;
      }
      if (keyFailure != null) {
        failures.add(new RowFailure(table.name(), table.companionColumn(), rowId, ref, keyFailure));
      }
      if (key != null) {
        try (RowKey open = key) {
          for (int i = 0; i < columns.size(); i++) {
            Object stored = stored(row, i);
            if (stored == null) {
              continue;
            }
            Kind kind = decrypt(open, columns.get(i), stored);
            if (kind == null) {
              values++;
            } else {
              failures.add(new RowFailure(table.name(), columns.get(i).name(), rowId, ref, kind));
            }
          }
        }
      }
    }
    return failures.isEmpty() ? RowOutcome.unchanged(values) : RowOutcome.failed(failures, values);
  }

  private @Nullable Object stored(ScannedRow row, int column) {
    return table.columns().get(column).storage() == StorageForm.TEXT ? row.text(column + 1) : row.bytes(column + 1);
  }

  /** Decrypts one value and drops it; returns the failure kind, or null when it decrypted. */
  private static @Nullable Kind decrypt(RowKey key, EncryptedColumn column, Object stored) {
    try {
      key.decrypt(column, stored, column.javaType());
      return null;
    } catch (DecryptionFailedException e) {
      return Kind.VALUE_AUTHENTICATION_FAILED;
    } catch (TypeMismatchException e) {
      return Kind.VALUE_TYPE_MISMATCH;
    } catch (RowSealException e) {
      return Kind.VALUE_INVALID_FORMAT;
    }
  }

  @Override
  public String toString() {
    return "VerifyJob[" + table.name() + "]";
  }
}
