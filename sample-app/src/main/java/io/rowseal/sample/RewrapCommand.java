package io.rowseal.sample;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.key.KeyRef;
import io.rowseal.rewrap.KeyStatus;
import io.rowseal.rewrap.RewrapJob;
import io.rowseal.rewrap.RewrapReport;
import io.rowseal.sample.internal.Progress;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rewrap}: moves every row's data key to the configuration's active master key. */
@Command(name = "rewrap", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Re-wrap every row's data key under the active master key (rowseal.keystore.active).",
        "Touches only the companion column; safe to interrupt and run again, and to run while the application "
            + "writes. Shows a progress bar on a terminal, progress lines otherwise."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every row is on the active key (or would be moved, with --dry-run)",
        "1:failed (configuration, keystore or database; the message says why)",
        "2:wrong usage",
        "3:rows it could not move (listed), or with --dry-run rows it would not be able to move"})
final class RewrapCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db = new DatabaseOptions();
  @Spec CommandSpec spec;

  @Option(names = "--batch-size", defaultValue = "1000", paramLabel = "ROWS",
      description = "Rows per page and transaction (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--dry-run",
      description = "Change nothing: count the rows that would be re-wrapped, per key, and the rows on keys the "
          + "key ring does not hold (those would fail).")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RowSeal rowSeal = db.rowSeal();
    DataSource dataSource = db.dataSource();
    boolean complete = true;
    for (EncryptedTable table : db.tables(rowSeal)) {
      if (dryRun) {
        complete &= dryRun(out, rowSeal, dataSource, table);
        continue;
      }
      RewrapReport report;
      try (Progress progress = Progress.start(out, "rewrap " + table.name(), DatabaseOptions.count(dataSource, table, true))) {
        report = RewrapJob.builder(dataSource, rowSeal, table).batchSize(batchSize)
            .progress(soFar -> progress.update(soFar.scanned())).build().run();
      }
      print(out, report);
      complete &= report.isComplete();
    }
    out.flush();
    return complete ? RowSealCli.OK : RowSealCli.INCOMPLETE;
  }

  /** Counts what a run would do, from each row's key reference; returns whether it would complete. */
  private static boolean dryRun(PrintWriter out, RowSeal rowSeal, DataSource dataSource, EncryptedTable table)
      throws Exception {
    KeyRef target = rowSeal.activeKeyRef();
    Map<String, Long> would = new TreeMap<>();
    Map<String, Long> cannot = new TreeMap<>();
    long already = 0;
    for (Map.Entry<String, Long> e : KeyStatus.count(dataSource, table).entrySet()) {
      String key = e.getKey();
      if (key.equals(KeyStatus.NONE)) {
        continue;
      }
      if (key.equals(target.toString())) {
        already = e.getValue();
      } else if (key.equals(KeyStatus.UNREADABLE) || !rowSeal.keyRing().contains(KeyRef.of(key))) {
        cannot.put(key, e.getValue());
      } else {
        would.put(key, e.getValue());
      }
    }
    long total = would.values().stream().mapToLong(Long::longValue).sum();
    out.printf("%s -> %s (dry run, nothing changed): %d would be re-wrapped%s, %d already on it%n", table.name(), target,
        total, would.isEmpty() ? "" : " " + would, already);
    cannot.forEach((key, rows) -> out.printf("  would fail: %d rows on %s (not in the key ring)%n", rows, key));
    return cannot.isEmpty();
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
