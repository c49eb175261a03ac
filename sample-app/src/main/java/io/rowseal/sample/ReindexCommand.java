package io.rowseal.sample;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.jobs.JobReport;
import io.rowseal.jobs.ReindexJob;
import io.rowseal.jobs.ReindexReport;
import io.rowseal.sample.internal.Progress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code reindex}: rotates the blind-index key of every searchable column (of one table or all), online,
 * with {@link ReindexJob}; prints each phase step, the fill and clear passes like the other jobs, and the rows
 * per index key version at the end.
 */
@Command(name = "reindex", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Rotate the index key of each searchable column online: add a new version in the free index "
        + "column (the index column or its rotation column), activate it once every process has seen it, rewrite "
        + "every row's index under it (compare-and-set), stop writing the old version, clear its column and retire "
        + "it. Lookups match both versions meanwhile; UNIQUE on a full-length index holds throughout.",
        "Between phases it waits rowseal.search.state-ttl (30s by default; every application process must use the "
            + "same value) plus --phase-margin. Safe to kill and run again: a rerun continues the unfinished "
            + "rotation (a rerun after a finished one starts another). The rotation column must exist (same type "
            + "and UNIQUE constraint as the index column)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every rotation finished (with --dry-run: nothing in the way)",
        "1:failed (configuration, keystore or database; the message says why)",
        "2:wrong usage",
        "3:rows that could not be re-indexed (listed); the rotation waits in its phase, run again after fixing"})
final class ReindexCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db = new DatabaseOptions();
  @Mixin JobOptions job = new JobOptions();
  @Spec CommandSpec spec;

  @Option(names = "--phase-margin", defaultValue = "5000", paramLabel = "MILLIS",
      description = "Extra wait beyond the state TTL before each phase, for statements planned just before a "
          + "change (default: ${DEFAULT-VALUE} ms).")
  long phaseMarginMillis;

  private static final JobRunner.Labels FILL = new JobRunner.Labels("re-indexed", null, "values decrypted", false);
  private static final JobRunner.Labels CLEAR = new JobRunner.Labels("cleared", null, null, false);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (job.from != null || job.to != null) {
      throw new ParameterException(spec.commandLine(), "reindex must visit every row of a table: --from/--to do not"
          + " apply (use --workers)");
    }
    if (phaseMarginMillis < 0) {
      throw new ParameterException(spec.commandLine(), "--phase-margin must not be negative, was " + phaseMarginMillis);
    }
    DataSource dataSource = db.dataSource();
    RowSeal rowSeal = db.rowSeal(dataSource);
    List<EncryptedTable> tables = new ArrayList<>();
    for (EncryptedTable t : db.tables(rowSeal)) {
      if (!t.searchableColumns().isEmpty()) {
        tables.add(t);
      } else if (db.table != null) {
        throw new IllegalArgumentException("table " + t.name() + " has no searchable column: nothing to re-index"
            + " (configure rowseal.tables." + t.name() + ".search.<column>.column)");
      }
    }
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("no configured table has a searchable column: nothing to re-index");
    }
    boolean clean = true;
    for (EncryptedTable table : tables) {
      ReindexReport report;
      try (Progress progress = Progress.start(out, "reindex" + (job.dryRun ? " --dry-run " : " ") + table.name(), -1)) {
        report = ReindexJob.builder(dataSource, rowSeal, table).workers(job.workers).batchSize(job.batchSize)
            .maxKeyOperationsPerSecond(job.rate).dryRun(job.dryRun).phaseMargin(Duration.ofMillis(phaseMarginMillis))
            .steps(line -> {
              out.println(line);
              out.flush();
            })
            .progress(r -> progress.update(r.scanned(), r.totalRows().orElse(-1), r.rowsPerSecond(),
                r.estimatedRemaining().orElse(null)))
            .build().run();
      }
      for (ReindexReport.ColumnResult c : report.columns()) {
        c.fill().ifPresent(r -> printPass(out, table, c, r, FILL));
        c.clear().ifPresent(r -> printPass(out, table, c, r, CLEAR));
        out.println(table.name() + "." + c.column() + ": " + (report.isDryRun() ? "dry run, nothing changed"
            : c.isComplete() ? "rotation complete" : "rotation NOT complete, run reindex again"));
        StatusCommand.printIndexVersions(out, c.rowsPerVersion());
      }
      clean &= report.isComplete();
    }
    out.flush();
    return clean ? RowSealCli.OK : RowSealCli.INCOMPLETE;
  }

  private static void printPass(PrintWriter out, EncryptedTable table, ReindexReport.ColumnResult c, JobReport r,
      JobRunner.Labels labels) {
    out.print("  ");
    JobRunner.print(out, r, labels);
  }
}
