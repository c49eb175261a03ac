package io.rowseal.jobs;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.PlaintextAdoption;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.errors.RowSealException;
import io.rowseal.jobs.RowFailure.Kind;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.search.IndexView;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Encrypt-existing: encrypts the existing plaintext rows of a table being adopted (see
 * {@link io.rowseal.PlaintextAdoption} for the DDL to run first and
 * {@link EncryptedTable.Builder#adoptingPlaintext(boolean)} for the read mode the application needs
 * meanwhile). It scans the rows that have no companion yet and hold at least one non-NULL encrypted
 * column; for each it makes a fresh row-bound data key, encrypts every non-NULL value to the text form,
 * and the engine writes values and companion with a compare-and-set on the companion (still NULL) and on
 * every value read. So a row is always entirely plaintext without a companion, or entirely encrypted
 * with one: readers in adoption mode read both. A dry run encrypts (to find the rows that cannot be) but
 * writes nothing.
 *
 * <p>Rows whose values cannot be encrypted in place (a value not of the column's type, a text form wider
 * than the column, a value already in RowSeal's text form) are left as they are and listed in the
 * report; nothing is ever truncated. A key that cannot be made (the active master key unreachable) stops
 * the run with {@link io.rowseal.errors.KeyUnavailableException}; nothing of that page is written. Immutable,
 * thread-safe.
 */
public final class EncryptExistingJob {
  private EncryptExistingJob() {}

  /**
   * A job encrypting the plaintext rows of {@code table}, which must be configured in {@code rowSeal}.
   *
   * @throws IllegalStateException if the table has a composite key or a column that cannot be adopted in
   *     place (binary storage, {@code byte[]} values)
   */
  public static TableJob.Builder builder(DataSource dataSource, RowSeal rowSeal, EncryptedTable table) {
    if (table.idColumns().size() != 1) {
      throw new IllegalStateException("table " + table.name() + " has a composite key " + table.idColumns()
          + "; encrypt-existing supports single-column keys in this version");
    }
    try {
      PlaintextAdoption.requireAdoptable(table);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    Objects.requireNonNull(rowSeal, "rowSeal");
    // searchable columns get their blind index written with the value, so the rows become findable; the index
    // keys live beside the data (table rowseal_index_key), as the JDBC wrapper keeps them
    IndexKeyStore indexKeys = table.searchableColumns().isEmpty() ? null
        : IndexKeyStore.of(dataSource, rowSeal);
    List<List<String>> indexColumns = new ArrayList<>();
    for (EncryptedColumn c : table.columns()) {
      indexColumns.add(c.searchIndex() == null || indexKeys == null ? List.of() : indexKeys.view(c).physicalColumns());
    }
    return TableJob.builder(dataSource, table, new Action(rowSeal, table, indexKeys, List.copyOf(indexColumns)));
  }

  /**
   * The per-row action; immutable and thread-safe. {@code indexColumns}: per column of the table (by position),
   * the physical blind-index columns read and written (empty for a column that is not searchable).
   */
  private record Action(RowSeal rowSeal, EncryptedTable table, @Nullable IndexKeyStore indexKeys,
      List<List<String>> indexColumns) implements RowAction {
    @Override
    public String name() {
      return "encrypt-existing";
    }

    /**
     * Every encrypted column as text, then the companion (NULL in every row scanned), then the blind-index
     * columns of the searchable ones.
     */
    @Override
    public List<JobColumn> columns() {
      List<JobColumn> columns = new ArrayList<>();
      for (EncryptedColumn c : table.columns()) {
        columns.add(JobColumn.text(c.name()));
      }
      columns.add(JobColumn.bytes(table.companionColumn()));
      for (List<String> physical : indexColumns) {
        for (String p : physical) {
          columns.add(JobColumn.bytes(p));
        }
      }
      return columns;
    }

    @Override
    public String condition() {
      StringBuilder anyValue = new StringBuilder();
      for (EncryptedColumn c : table.columns()) {
        anyValue.append(anyValue.length() == 0 ? "" : " OR ").append(c.name()).append(" IS NOT NULL");
      }
      return table.companionColumn() + " IS NULL AND (" + anyValue + ")";
    }

    @Override
    public boolean readOnly() {
      return false;
    }

    @Override
    public Pass begin(Connection connection, boolean dryRun) throws SQLException {
      int[] widths = widths(connection);
      return row -> encrypt(row, widths);
    }

    private RowOutcome encrypt(ScannedRow row, int[] widths) throws InterruptedException {
      List<EncryptedColumn> columns = table.columns();
      String rowId = row.rowId().toString();
      Object[] values = new Object[columns.size()];
      for (int i = 0; i < values.length; i++) {
        String plaintext = row.text(i);
        if (plaintext != null) {
          try {
            values[i] = PlaintextAdoption.parsePlaintext(columns.get(i), row.rowId(), plaintext);
          } catch (RowSealException e) {
            return RowOutcome.failed(RowFailure.of(table.name(), columns.get(i).name(), rowId, null,
                Kind.PLAINTEXT_NOT_ADOPTABLE, e.getMessage()));
          }
        }
      }
      Map<String, @Nullable Object> writes = new LinkedHashMap<>();
      int encrypted = 0;
      row.keyOperation();
      try (RowKey key = rowSeal.newRowKey(table, row.rowId())) {
        for (int i = 0; i < values.length; i++) {
          if (values[i] == null) {
            continue;
          }
          EncryptedColumn column = columns.get(i);
          String sealed = (String) key.encrypt(column, values[i]);
          if (widths[i] > 0 && sealed.length() > widths[i]) {
            return RowOutcome.failed(RowFailure.of(table.name(), column.name(), rowId, key.keyRef().toString(),
                Kind.VALUE_TOO_WIDE, "column " + column.name() + " holds " + widths[i] + " characters, but this row's"
                    + " encrypted value needs " + sealed.length() + "; widen it (PlaintextAdoption.requiredTextWidth)"
                    + " and run again"));
          }
          writes.put(column.name(), sealed);
          encrypted++;
        }
        writes.put(table.companionColumn(), key.companion());
      }
      for (int i = 0; i < values.length; i++) {
        List<String> physical = indexColumns.get(i);
        if (physical.isEmpty() || indexKeys == null) {
          continue;
        }
        IndexView view = indexKeys.view(columns.get(i));
        if (!view.physicalColumns().equals(physical)) {
          // an index-key rotation started during the run: the rows written so far are fine, the rest need the
          // columns it added
          throw new IllegalStateException("the index of " + table.name() + "." + columns.get(i).name() + " now uses "
              + view.physicalColumns() + " (an index-key rotation started during encrypt-existing); run it again");
        }
        for (String p : physical) {
          writes.put(p, values[i] == null ? null : view.writeValue(p, values[i]));
        }
      }
      return RowOutcome.write(writes, encrypted);
    }

    /** Each encrypted column's declared width in characters, or 0 when the driver does not say. */
    private int[] widths(Connection c) throws SQLException {
      StringBuilder select = new StringBuilder("SELECT ");
      for (EncryptedColumn column : table.columns()) {
        select.append(select.length() == 7 ? "" : ", ").append(column.name());
      }
      select.append(" FROM ").append(table.name()).append(" WHERE 1 = 0");
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select.toString())) {
        ResultSetMetaData meta = rs.getMetaData();
        int[] widths = new int[table.columns().size()];
        for (int i = 0; i < widths.length; i++) {
          int precision = meta.getPrecision(i + 1);
          widths[i] = precision > 0 && precision < Integer.MAX_VALUE ? precision : 0;
        }
        return widths;
      }
    }
  }
}
