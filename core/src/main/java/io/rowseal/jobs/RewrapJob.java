package io.rowseal.jobs;

import io.rowseal.EncryptedTable;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.RowSeal;
import io.rowseal.errors.RowSealException;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.jobs.RowFailure.Kind;
import io.rowseal.key.KeyRef;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Re-wrap: moves every row of one table to the key ring's active master key (or, in hierarchical mode,
 * the active KEK), touching only the companion column. For each row whose companion names another key
 * than the target (the active key when the run started; read from the companion's header, so a row
 * already moved costs no key operation) it asks RowSeal for the same data key wrapped under the target
 * (KMS {@code ReEncrypt} where the key supports it, else unwrap and wrap in this process) and writes it
 * with the engine's compare-and-set ({@code UPDATE t SET companion = :new WHERE id = :id AND companion =
 * :old}). Data columns are never read or written, so a row is always either entirely under its old wrap
 * or entirely under its new one. A dry run makes no key operation and counts the rows it would move.
 * Immutable, thread-safe.
 *
 * <pre>{@code
 * JobReport report = RewrapJob.builder(dataSource, rowSeal, cards).workers(2).build().run();
 * }</pre>
 */
public final class RewrapJob implements RowAction {
  private static final String KEK_SCHEME = "kek";
  private final RowSeal rowSeal;
  private final EncryptedTable table;

  private RewrapJob(RowSeal rowSeal, EncryptedTable table) {
    this.rowSeal = Objects.requireNonNull(rowSeal, "rowSeal");
    this.table = Objects.requireNonNull(table, "table");
  }

  /** A job re-wrapping {@code table}, which must be configured in {@code rowSeal}. */
  public static TableJob.Builder builder(DataSource dataSource, RowSeal rowSeal, EncryptedTable table) {
    return TableJob.builder(dataSource, table, new RewrapJob(rowSeal, table));
  }

  @Override
  public String name() {
    return "re-wrap";
  }

  @Override
  public List<JobColumn> columns() {
    return List.of(JobColumn.bytes(table.companionColumn()));
  }

  @Override
  public String condition() {
    return table.companionColumn() + " IS NOT NULL";
  }

  @Override
  public boolean readOnly() {
    return false;
  }

  @Override
  public Pass begin(Connection connection, boolean dryRun) {
    KeyRef target = rowSeal.activeKeyRef();
    return Pass.movingTo(target.toString(), row -> rewrap(row, target, dryRun));
  }

  private RowOutcome rewrap(ScannedRow row, KeyRef target, boolean dryRun) throws InterruptedException {
    byte[] old = Objects.requireNonNull(row.bytes(0)); // the condition selects rows with a companion
    String companion = table.companionColumn();
    KeyRef current;
    try {
      current = WrappedDataKey.decode(old).keyRef();
    } catch (RowSealException e) {
      return RowOutcome.failed(failure(row, null, Kind.UNREADABLE_COMPANION, e.getMessage()));
    }
    if (current.equals(target)) {
      return RowOutcome.unchanged(0);
    }
    if (dryRun) {
      // In hierarchical mode (the target is a KEK) rows under older KEKs resolve through rowseal_kek, not
      // the master key ring; the dry run does not open KEKs, so a missing KEK row shows in the real run.
      boolean underKek = current.scheme().equals(KEK_SCHEME) && target.scheme().equals(KEK_SCHEME);
      if (underKek || rowSeal.keyRing().contains(current)) {
        return RowOutcome.write(Map.of(companion, old), 0); // dropped by the engine: a dry run writes nothing
      }
      return RowOutcome.failed(failure(row, current, Kind.KEY_UNAVAILABLE, "key " + current
          + " is not in the key ring (it holds " + rowSeal.keyRing().refs() + ")"));
    }
    row.keyOperation();
    try {
      return RowOutcome.write(Map.of(companion, rowSeal.rewrapCompanion(table, row.rowId(), old)), 0);
    } catch (KeyUnavailableException e) {
      return RowOutcome.failed(failure(row, current, Kind.KEY_UNAVAILABLE, e.getMessage()));
    } catch (InvalidFormatException e) {
      return RowOutcome.failed(failure(row, current, Kind.UNREADABLE_COMPANION, e.getMessage()));
    } catch (RowSealException e) {
      return RowOutcome.failed(failure(row, current, Kind.COMPANION_AUTHENTICATION_FAILED, e.getMessage()));
    }
  }

  private RowFailure failure(ScannedRow row, @Nullable KeyRef key, Kind kind, @Nullable String detail) {
    return RowFailure.of(table.name(), table.companionColumn(), row.rowId().toString(),
        key == null ? null : key.toString(), kind, detail);
  }

  @Override
  public String toString() {
    return "RewrapJob[" + table.name() + "]";
  }
}
