package io.rowseal.sample;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.rewrap.VerifyFailure;
import io.rowseal.rewrap.VerifyJob;
import io.rowseal.rewrap.VerifyReport;
import io.rowseal.sample.internal.Progress;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verify}: decrypts every row (or a sample) and lists the rows the application could not read. */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Decrypt every row (or a random sample) of each configured table with the configured keys, and "
        + "list each failure by table, column, row id, key reference and kind (never a value).",
        "Read-only. Shows a progress bar on a terminal, progress lines otherwise."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every verified row decrypted",
        "1:failed (configuration, keystore or database; the message says why)",
        "2:wrong usage",
        "3:rows that do not decrypt (listed, at most 100 per table)"})
final class VerifyCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db = new DatabaseOptions();
  @Spec CommandSpec spec;

  @Option(names = "--sample", paramLabel = "FRACTION", defaultValue = "1.0",
      description = "Verify each row with this probability, in (0, 1] (default: ${DEFAULT-VALUE}, every row).")
  double sample;

  @Option(names = "--limit", paramLabel = "ROWS", defaultValue = "0",
      description = "Stop after this many verified rows per table (default: no limit).")
  long limit;

  @Option(names = "--batch-size", defaultValue = "1000", paramLabel = "ROWS",
      description = "Rows per page (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!(sample > 0 && sample <= 1)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--sample must be in (0, 1], was " + sample);
    }
    DataSource dataSource = db.dataSource();
    RowSeal rowSeal = db.rowSeal(dataSource);
    boolean clean = true;
    for (EncryptedTable table : db.tables(rowSeal)) {
      VerifyJob.Builder job = VerifyJob.builder(dataSource, rowSeal, table).batchSize(batchSize).sample(sample).limit(limit);
      VerifyReport report;
      try (Progress progress = Progress.start(out, "verify " + table.name(), DatabaseOptions.count(dataSource, table, false))) {
        report = job.progress(soFar -> progress.update(soFar.scanned())).build().run();
      }
      out.printf("%s: %d rows read, %d verified (%d values), %d skipped by sampling, %d failed%n", report.table(),
          report.scanned(), report.verified(), report.values(), report.skipped(), report.failedRows());
      for (VerifyFailure failure : report.failures()) {
        out.println("  failed: " + failure);
      }
      if (report.failureCount() > report.failures().size()) {
        out.println("  ... " + (report.failureCount() - report.failures().size()) + " more failures not listed");
      }
      clean &= report.isClean();
    }
    out.flush();
    return clean ? RowSealCli.OK : RowSealCli.INCOMPLETE;
  }
}
