package io.rowseal.sample;

import io.rowseal.EncryptedTable;
import io.rowseal.jobs.JobReport;
import io.rowseal.jobs.RowFailure;
import io.rowseal.jobs.TableJob;
import io.rowseal.sample.internal.Progress;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Drives a table job the same way for every command: one job per table with the shared
 * {@link JobOptions}, a progress bar (or lines), one summary line per table, the failures, and the exit
 * code ({@link RowSealCli#OK} when no row failed, {@link RowSealCli#INCOMPLETE} otherwise).
 */
final class JobRunner {
  /**
   * How a command names its counts: what a written row is ({@code "re-wrapped"}), what an unchanged one is
   * ({@code "already on it"}), and what the values are ({@code "values decrypted"}); null to leave one out.
   */
  record Labels(@Nullable String written, @Nullable String unchanged, @Nullable String values, boolean skipped) {}

  /** Told after each table's summary, for what only one command prints (re-wrap's rows per key). */
  @FunctionalInterface
  interface AfterTable {
    void print(PrintWriter out, EncryptedTable table, JobReport report) throws SQLException;
  }

  private JobRunner() {}

  static int run(PrintWriter out, String command, List<EncryptedTable> tables, JobOptions options, Labels labels,
      Function<EncryptedTable, TableJob.Builder> jobFor, @Nullable AfterTable after) throws SQLException {
    boolean clean = true;
    for (EncryptedTable table : tables) {
      TableJob.Builder job = options.applyTo(jobFor.apply(table));
      JobReport report;
      try (Progress progress = Progress.start(out, command + (options.dryRun ? " --dry-run " : " ") + table.name(), -1)) {
        report = job.progress(r -> progress.update(r.scanned(), r.totalRows().orElse(-1), r.rowsPerSecond(),
            r.estimatedRemaining().orElse(null))).build().run();
      }
      print(out, report, labels);
      if (after != null) {
        after.print(out, table, report);
      }
      clean &= report.failedRows() == 0;
    }
    out.flush();
    return clean ? RowSealCli.OK : RowSealCli.INCOMPLETE;
  }

  /**
   * {@code cards -> local:k2: 3 scanned, 3 re-wrapped, 0 already on it, 0 changed meanwhile, 0 failed (3 key
   * operations, 0.1s)}, then one line per listed failure.
   */
  static void print(PrintWriter out, JobReport report, Labels labels) {
    boolean dry = report.isDryRun();
    StringBuilder line = new StringBuilder(report.table());
    report.target().ifPresent(t -> line.append(" -> ").append(t));
    line.append(dry ? " (dry run, nothing changed)" : "").append(": ").append(report.scanned()).append(" scanned");
    if (labels.skipped()) {
      line.append(", ").append(report.skipped()).append(" skipped by sampling");
    }
    if (labels.written() != null) {
      line.append(", ").append(dry ? report.wouldWrite() : report.written()).append(dry ? " would be " : " ")
          .append(labels.written());
    }
    if (labels.unchanged() != null) {
      line.append(", ").append(report.unchanged()).append(' ').append(labels.unchanged());
    }
    if (!dry && labels.written() != null) {
      line.append(", ").append(report.changedMeanwhile()).append(" changed meanwhile");
    }
    line.append(", ").append(report.failedRows()).append(dry ? " would fail" : " failed").append(" (");
    if (labels.values() != null) {
      line.append(report.values()).append(' ').append(labels.values()).append(", ");
    }
    line.append(String.format("%d key operations, %.1fs)", report.keyOperations(), report.elapsed().toMillis() / 1000.0));
    out.println(line);
    for (RowFailure failure : report.failures()) {
      out.println("  " + (dry ? "would fail" : "failed") + ": " + failure);
    }
    if (report.failureCount() > report.failures().size()) {
      out.println("  ... " + (report.failureCount() - report.failures().size()) + " more failures not listed");
    }
  }
}
