package io.rowseal.sample;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.key.KeyRef;
import io.rowseal.key.kek.KekStore;
import io.rowseal.rewrap.KeyStatus;
import io.rowseal.rewrap.RewrapJob;
import io.rowseal.rewrap.RewrapReport;
import io.rowseal.sample.internal.Progress;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rewrap}: moves every row's data key to the active key with {@link RewrapJob}, or with
 * {@code --keks} the hierarchical mode's KEK rows to the active master key ({@link KekStore#rewrapKeks}).
 */
@Command(name = "rewrap", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Re-wrap every row's data key under the active key: the active master key "
        + "(rowseal.keystore.active, rowseal.active), or in hierarchical mode the active KEK.",
        "Touches only the companion column; safe to interrupt and run again, to run while the application "
            + "writes, and to run in several processes at once. Shows a progress bar on a terminal, progress "
            + "lines otherwise.",
        "Hierarchical mode (rowseal.mode = hierarchical): after activating a new master key run 'rewrap --keks', "
            + "which re-wraps only the KEK rows of rowseal_kek; data rows stay under their KEKs. A plain rewrap "
            + "moves data rows to the active KEK (needed only to retire old KEKs)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every row is on the active key (or would be moved, with --dry-run)",
        "1:failed (configuration, keystore or database; the message says why)",
        "2:wrong usage",
        "3:rows it could not move (listed), or with --dry-run rows it would not be able to move; with --keks, "
            + "KEK rows under a key the key ring does not hold (nothing re-wrapped) or left behind"})
final class RewrapCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db = new DatabaseOptions();
  @Spec CommandSpec spec;

  @Option(names = "--workers", defaultValue = "1", paramLabel = "N",
      description = "Worker threads re-wrapping and writing pages in parallel, each with its own connection; the "
          + "job uses N + 1 connections (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--batch-size", defaultValue = "1000", paramLabel = "ROWS",
      description = "Rows per page and transaction (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--max-key-ops-per-second", defaultValue = "0", paramLabel = "RATE",
      description = "At most this many re-wraps per second over all workers (one KMS ReEncrypt each with AWS "
          + "KMS), to stay under a quota; rows already on the active key cost none (default: 0, no limit).")
  double maxKeyOpsPerSecond;

  @Option(names = "--id-from", paramLabel = "ID",
      description = "Only rows with id >= ID (needs --table with a single-column integer key). To split a table "
          + "across processes or machines, cut [min id, max id] into one range per process (IdRange.split, or "
          + "IdRange.splitTable in code) and run each process with its own --id-from/--id-to.")
  @Nullable Long idFrom;

  @Option(names = "--id-to", paramLabel = "ID", description = "Only rows with id <= ID (included); see --id-from.")
  @Nullable Long idTo;

  @Option(names = "--dry-run",
      description = "Change nothing and make no key operation: count the rows that would be re-wrapped (per key) "
          + "and list the rows that would fail (unreadable, or on a key the key ring does not hold).")
  boolean dryRun;

  @Option(names = "--keks",
      description = "Hierarchical mode: re-wrap the KEK rows of rowseal_kek under the active master key "
          + "(master-key rotation touches only KEK rows), instead of the data rows.")
  boolean keks;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (keks) {
      for (String option : new String[] {"--table", "--id-from", "--id-to", "--workers", "--batch-size",
          "--max-key-ops-per-second"}) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
          throw new ParameterException(spec.commandLine(), "--keks re-wraps the KEK rows of " + KekStore.TABLE
              + "; " + option + " applies to data rows only");
        }
      }
    }
    if ((idFrom != null || idTo != null) && db.table == null) {
      throw new ParameterException(spec.commandLine(), "--id-from/--id-to need --table: a range is one table's ids");
    }
    if (idFrom != null && idTo != null && idFrom > idTo) {
      throw new ParameterException(spec.commandLine(), "--id-from must not be above --id-to, was " + idFrom + " > " + idTo);
    }
    DataSource dataSource = db.dataSource();
    RowSeal rowSeal = db.rowSeal(dataSource);
    int code = keks ? rewrapKeks(out, rowSeal, dataSource) : rewrapRows(out, rowSeal, dataSource);
    out.flush();
    return code;
  }

  private int rewrapRows(PrintWriter out, RowSeal rowSeal, DataSource dataSource) throws Exception {
    boolean complete = true;
    for (EncryptedTable table : db.tables(rowSeal)) {
      RewrapJob.Builder job = RewrapJob.builder(dataSource, rowSeal, table).workers(workers).batchSize(batchSize)
          .maxKeyOperationsPerSecond(maxKeyOpsPerSecond).dryRun(dryRun);
      if (idFrom != null || idTo != null) {
        job.idRange(idFrom, idTo);
      }
      RewrapReport report;
      try (Progress progress = Progress.start(out, (dryRun ? "rewrap --dry-run " : "rewrap ") + table.name(), -1)) {
        report = job.progress(r -> progress.update(r.scanned(), r.totalRows().orElse(-1), r.rowsPerSecond(),
            r.estimatedRemaining().orElse(null))).build().run();
      }
      if (dryRun) {
        printDryRun(out, report, idFrom == null && idTo == null ? KeyStatus.count(dataSource, table) : null);
        complete &= report.failed() == 0;
      } else {
        print(out, report);
        complete &= report.isComplete();
      }
    }
    return complete ? RowSealCli.OK : RowSealCli.INCOMPLETE;
  }

  static void print(PrintWriter out, RewrapReport report) {
    out.printf("%s -> %s: %d scanned, %d re-wrapped, %d already on it, %d changed meanwhile, %d failed"
            + " (%d key operations, %.1fs)%n",
        report.table(), report.target(), report.scanned(), report.rewrapped(), report.alreadyActive(),
        report.changedMeanwhile(), report.failed(), report.keyOperations(), report.elapsed().toMillis() / 1000.0);
    printFailures(out, report, "failed");
  }

  /**
   * The job's dry-run counts; {@code byKey} (the companion column's key references, read-only) only splits
   * the rows that would move by the key they are on now, and is null for an id range.
   */
  private static void printDryRun(PrintWriter out, RewrapReport report, @Nullable Map<String, Long> byKey) {
    out.printf("%s -> %s (dry run, nothing changed): %d scanned, %d would be re-wrapped, %d already on it,"
            + " %d would fail%n",
        report.table(), report.target(), report.scanned(), report.wouldRewrap(), report.alreadyActive(),
        report.failed());
    if (byKey != null && report.wouldRewrap() > 0) {
      Map<String, Long> from = new TreeMap<>(byKey);
      from.keySet().removeIf(k -> k.equals(report.target().toString()) || k.equals(KeyStatus.NONE));
      from.forEach((key, rows) -> out.printf("  on %-20s %d rows%n", key, rows));
    }
    printFailures(out, report, "would fail");
  }

  private static void printFailures(PrintWriter out, RewrapReport report, String label) {
    for (String failure : report.failures()) {
      out.println("  " + label + ": " + failure);
    }
    if (report.failed() > report.failures().size()) {
      out.println("  ... " + (report.failed() - report.failures().size()) + " more not listed");
    }
  }

  /**
   * Re-wraps the KEK rows under the active master key. Refuses before changing anything when a KEK row is
   * unreadable or under a key the ring does not hold: those KEKs, and the data under them, need that key.
   */
  private int rewrapKeks(PrintWriter out, RowSeal rowSeal, DataSource dataSource) throws Exception {
    if (!DatabaseOptions.kekTableExists(dataSource)) {
      throw new IllegalArgumentException("the database has no " + KekStore.TABLE + " table: --keks applies to "
          + "rowseal.mode = hierarchical, whose KEKs live there (rowseal.kek.migrate = true creates it)");
    }
    KekStore store = KekStore.builder(dataSource).build();
    KeyRef target = rowSeal.keyRing().active().ref();
    Map<String, Long> before = store.status();
    long already = before.getOrDefault(target.toString(), 0L);
    long toMove = 0;
    Map<String, Long> cannot = new TreeMap<>();
    for (Map.Entry<String, Long> e : before.entrySet()) {
      if (e.getKey().equals(target.toString())) {
        continue;
      }
      if (e.getKey().equals(KeyStatus.UNREADABLE) || !rowSeal.keyRing().contains(KeyRef.of(e.getKey()))) {
        cannot.put(e.getKey(), e.getValue());
      } else {
        toMove += e.getValue();
      }
    }
    if (!cannot.isEmpty()) {
      out.printf("%s -> %s: refused, nothing re-wrapped%n", KekStore.TABLE, target);
      cannot.forEach((key, rows) -> out.printf("  cannot re-wrap %d KEK rows on %s (not in the key ring, which holds"
          + " %s)%n", rows, key, rowSeal.keyRing().refs()));
      return RowSealCli.INCOMPLETE;
    }
    if (dryRun) {
      out.printf("%s -> %s (dry run, nothing changed): %d KEK rows would be re-wrapped, %d already on it%n",
          KekStore.TABLE, target, toMove, already);
      before.forEach((key, rows) -> {
        if (!key.equals(target.toString())) {
          out.printf("  on %-20s %d KEK rows%n", key, rows);
        }
      });
      return RowSealCli.OK;
    }
    int moved = store.rewrapKeks(rowSeal.keyRing());
    long left = store.status().entrySet().stream().filter(e -> !e.getKey().equals(target.toString()))
        .mapToLong(Map.Entry::getValue).sum();
    out.printf("%s -> %s: %d KEK rows re-wrapped, %d already on it, %d left on other keys (data rows untouched)%n",
        KekStore.TABLE, target, moved, already, left);
    return left == 0 ? RowSealCli.OK : RowSealCli.INCOMPLETE;
  }
}
