package io.rowseal.sample;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.rewrap.RewrapJob;
import io.rowseal.rewrap.RewrapReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rewrap}: moves every row's data key to the configuration's active master key. */
@Command(name = "rewrap", mixinStandardHelpOptions = true,
    description = {"Re-wrap every row's data key under the active master key (rowseal.keystore.active).",
        "Touches only the companion column; safe to interrupt and run again."})
final class RewrapCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db = new DatabaseOptions();
  @Spec CommandSpec spec;

  @Option(names = "--batch-size", defaultValue = "1000", paramLabel = "ROWS",
      description = "Rows per page and transaction (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RowSeal rowSeal = db.rowSeal();
    DataSource dataSource = db.dataSource();
    boolean complete = true;
    for (EncryptedTable table : db.tables(rowSeal)) {
      RewrapReport report = RewrapJob.builder(dataSource, rowSeal, table).batchSize(batchSize).build().run();
      print(out, report);
      complete &= report.isComplete();
    }
    out.flush();
    return complete ? 0 : Integer.parseInt(RowSealCli.INCOMPLETE);
  }

  static void print(PrintWriter out, RewrapReport report) {
    out.printf("%s -> %s: %d scanned, %d re-wrapped, %d already on it, %d changed meanwhile, %d failed%n",
        report.table(), report.target(), report.scanned(), report.rewrapped(), report.alreadyActive(),
        report.changedMeanwhile(), report.failed());
    for (String failure : report.failures()) {
      out.println("  failed: " + failure);
    }
  }
}
