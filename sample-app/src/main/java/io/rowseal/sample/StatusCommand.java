package io.rowseal.sample;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.rewrap.KeyStatus;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code status}: rows per master-key reference, per table. Reads only the companion column. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Count rows per master key (the key that wraps each row's data key), per table.",
        "Reads only the companion column. (none) counts rows without one (every encrypted value NULL), "
            + "(unreadable) rows whose companion is not a wrapped key."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:counted", "1:failed (configuration, keystore or database; the message says why)",
        "2:wrong usage"})
final class StatusCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db = new DatabaseOptions();
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RowSeal rowSeal = db.rowSeal();
    DataSource dataSource = db.dataSource();
    out.println("active key: " + rowSeal.keyRing().active().ref());
    for (EncryptedTable table : db.tables(rowSeal)) {
      print(out, table.name(), KeyStatus.count(dataSource, table));
    }
    out.flush();
    return 0;
  }

  static void print(PrintWriter out, String table, Map<String, Long> counts) {
    out.println(table + ":" + (counts.isEmpty() ? " no rows" : ""));
    counts.forEach((key, rows) -> out.printf("  %-16s %d rows%n", key, rows));
  }
}
