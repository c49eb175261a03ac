package io.rowseal.sample;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.key.kek.KekStore;
import io.rowseal.jobs.KeyStatus;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.search.IndexKeyVersion;
import java.io.PrintWriter;
import java.sql.Connection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code status}: rows per key reference, per table, and KEK rows per master key when {@code rowseal_kek}
 * exists. Reads only companion columns and the KEK table.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Count rows per master key (the key that wraps each row's data key), per table.",
        "Reads only the companion column. (none) counts rows without one (every encrypted value NULL, or "
            + "plaintext not yet adopted), (unreadable) rows whose companion is not a wrapped key.",
        "In hierarchical mode rows are counted per KEK (kek:<id>), and the KEK rows of rowseal_kek per master key "
            + "(shown whenever that table exists).",
        "For each searchable column, the rows holding an index value of each index key version (reindex moves them "
            + "to a new version)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:counted", "1:failed (configuration, keystore or database; the message says why)",
        "2:wrong usage"})
final class StatusCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db = new DatabaseOptions();
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    DataSource dataSource = db.dataSource();
    RowSeal rowSeal = db.rowSeal(dataSource);
    out.println("active key: " + rowSeal.keyRing().active().ref());
    for (EncryptedTable table : db.tables(rowSeal)) {
      print(out, table.name(), KeyStatus.count(dataSource, table));
      IndexKeyStore indexKeys = table.searchableColumns().isEmpty() ? null
          : IndexKeyStore.of(dataSource, rowSeal);
      for (EncryptedColumn column : table.searchableColumns()) {
        out.println("  index of " + column.name() + " (rows per index key version):");
        try (Connection c = dataSource.getConnection()) {
          printIndexVersions(out, indexKeys.rowsPerVersion(c, column));
        }
      }
    }
    if (DatabaseOptions.kekTableExists(dataSource)) {
      Map<String, Long> keks = KekStore.builder(dataSource).build().status();
      out.println(KekStore.TABLE + " (KEK rows per master key):" + (keks.isEmpty() ? " no rows" : ""));
      keks.forEach((key, rows) -> out.printf("  %-16s %d KEK rows%n", key, rows));
    }
    out.flush();
    return 0;
  }

  /** {@code    v2 active in email_idx_next      1200 rows}, one line per version, retired ones included. */
  static void printIndexVersions(PrintWriter out, Map<IndexKeyVersion, Long> counts) {
    counts.forEach((v, rows) -> out.printf("    v%-3d %-10s in %-20s %d rows%n", v.version(),
        v.state().name().toLowerCase(Locale.ROOT).replace('_', '-'), v.physicalColumn(), rows));
  }

  static void print(PrintWriter out, String table, Map<String, Long> counts) {
    out.println(table + ":" + (counts.isEmpty() ? " no rows" : ""));
    counts.forEach((key, rows) -> out.printf("  %-16s %d rows%n", key, rows));
  }
}
