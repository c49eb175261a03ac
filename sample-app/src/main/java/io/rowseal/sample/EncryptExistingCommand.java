package io.rowseal.sample;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.jobs.EncryptExistingJob;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
  @Mixin JobOptions job = new JobOptions();
  @Spec CommandSpec spec;

  private static final JobRunner.Labels LABELS = new JobRunner.Labels("encrypted", null, "values encrypted", false);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (db.table == null) {
      throw new ParameterException(spec.commandLine(), "Missing --table TABLE: encrypt-existing adopts one table at a time");
    }
    job.validate(db.table);
    DataSource dataSource = db.dataSource();
    RowSeal rowSeal = db.rowSeal(dataSource);
    EncryptedTable table = rowSeal.table(db.table);
    if (!table.isAdoptingPlaintext()) {
      throw new IllegalArgumentException("table " + table.name() + " is not being adopted: set rowseal.tables."
          + db.table + ".adopting-plaintext = true (and deploy the application with it) before encrypting its rows");
    }
    return JobRunner.run(out, "encrypt-existing", List.of(table), job, LABELS,
        t -> EncryptExistingJob.builder(dataSource, rowSeal, t), (o, t, report) -> {
          if (!report.isDryRun() && report.isComplete()) {
            o.println("  every row of " + t.name() + " is encrypted: deploy the application with rowseal.tables."
                + db.table + ".adopting-plaintext off");
          }
        });
  }
}
