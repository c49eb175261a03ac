package io.rowseal.sample;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.rewrap.EncryptExistingJob;
import io.rowseal.rewrap.EncryptExistingReport;
import io.rowseal.sample.internal.Progress;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code encrypt-existing}: encrypts the plaintext rows of a table being adopted, with
 * {@link EncryptExistingJob}. Only for a table configured with {@code adopting-plaintext = true}.
 */
@Command(name = "encrypt-existing", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Encrypt the existing plaintext rows of one table being adopted in place: rows without a "
        + "companion and with a non-NULL encrypted column get a fresh data key and their values in RowSeal's text "
        + "form, each row written with a compare-and-set.",
        "The table must be configured with rowseal.tables.<table>.adopting-plaintext = true, and its columns "
            + "widened and the companion column added first (see PlaintextAdoption). Safe to interrupt and run "
            + "again, and to run while the application (in adoption mode) writes. When it reports complete, "
            + "deploy the application with adopting-plaintext off."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every plaintext row is encrypted (with --dry-run: would be)",
        "1:failed (configuration, keystore or database; the message says why)",
        "2:wrong usage",
        "3:rows left as plaintext because they cannot be encrypted in place (listed)"})
final class EncryptExistingCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db = new DatabaseOptions();
  @Spec CommandSpec spec;

  @Option(names = "--batch-size", defaultValue = "1000", paramLabel = "ROWS",
      description = "Rows per page and transaction (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--dry-run",
      description = "Read, parse and encrypt every plaintext row, but write nothing: counts the rows that would be "
          + "encrypted and lists those that could not be.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (db.table == null) {
      throw new ParameterException(spec.commandLine(), "Missing --table TABLE: encrypt-existing adopts one table at a time");
    }
    DataSource dataSource = db.dataSource();
    RowSeal rowSeal = db.rowSeal(dataSource);
    EncryptedTable table = rowSeal.table(db.table);
    if (!table.isAdoptingPlaintext()) {
      throw new IllegalArgumentException("table " + table.name() + " is not being adopted: set rowseal.tables."
          + db.table + ".adopting-plaintext = true (and deploy the application with it) before encrypting its rows");
    }
    EncryptExistingReport report;
    try (Progress progress = Progress.start(out, (dryRun ? "encrypt-existing --dry-run " : "encrypt-existing ")
        + table.name(), plaintextRows(dataSource, table))) {
      report = EncryptExistingJob.builder(dataSource, rowSeal, table).batchSize(batchSize).dryRun(dryRun)
          .progress(soFar -> progress.update(soFar.scanned())).build().run();
    }
    out.printf("%s%s: %d plaintext rows scanned, %d %s, %d changed meanwhile, %d %s%n", table.name(),
        dryRun ? " (dry run, nothing changed)" : "", report.scanned(), report.encrypted(),
        dryRun ? "would be encrypted" : "encrypted", report.changedMeanwhile(), report.failed(),
        dryRun ? "would fail" : "failed");
    for (String failure : report.failures()) {
      out.println("  " + (dryRun ? "would fail" : "failed") + ": " + failure);
    }
    if (report.failed() > report.failures().size()) {
      out.println("  ... " + (report.failed() - report.failures().size()) + " more not listed");
    }
    if (!dryRun && report.isComplete()) {
      out.println("  every row of " + table.name() + " is encrypted: deploy the application with rowseal.tables."
          + db.table + ".adopting-plaintext off");
    }
    out.flush();
    return report.isComplete() ? RowSealCli.OK : RowSealCli.INCOMPLETE;
  }

  /** Rows the job will look at (no companion, some encrypted column set): the total a progress bar counts to. */
  private static long plaintextRows(DataSource dataSource, EncryptedTable table) throws SQLException {
    StringBuilder any = new StringBuilder();
    for (EncryptedColumn c : table.columns()) {
      any.append(any.length() == 0 ? "" : " OR ").append(c.name()).append(" IS NOT NULL");
    }
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table.name() + " WHERE " + table.companionColumn()
            + " IS NULL AND (" + any + ")")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
