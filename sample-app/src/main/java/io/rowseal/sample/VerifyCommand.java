package io.rowseal.sample;

import io.rowseal.RowSeal;
import io.rowseal.jobs.VerifyJob;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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
        "3:rows that do not decrypt (listed, at most 100 failures per table)"})
final class VerifyCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db = new DatabaseOptions();
  @Mixin JobOptions job = new JobOptions();
  @Spec CommandSpec spec;

  @Option(names = "--sample", paramLabel = "FRACTION", defaultValue = "1.0",
      description = "Verify each row with this probability, in (0, 1] (default: ${DEFAULT-VALUE}, every row).")
  double sample;

  @Option(names = "--limit", paramLabel = "ROWS", defaultValue = "0",
      description = "Stop after this many verified rows per table (default: no limit).")
  long limit;

  private static final JobRunner.Labels LABELS = new JobRunner.Labels(null, "verified", "values decrypted", true);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!(sample > 0 && sample <= 1)) {
      throw new ParameterException(spec.commandLine(), "--sample must be in (0, 1], was " + sample);
    }
    if (job.dryRun) {
      throw new ParameterException(spec.commandLine(), "verify is read-only: --dry-run does not apply");
    }
    job.validate(db.table);
    DataSource dataSource = db.dataSource();
    RowSeal rowSeal = db.rowSeal(dataSource);
    return JobRunner.run(out, "verify", db.tables(rowSeal), job, LABELS,
        table -> VerifyJob.builder(dataSource, rowSeal, table).sample(sample).limit(limit), null);
  }
}
