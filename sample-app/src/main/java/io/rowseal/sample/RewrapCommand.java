package io.rowseal.sample;

import io.rowseal.RowSeal;
import io.rowseal.key.KeyRef;
import io.rowseal.key.kek.KekStore;
import io.rowseal.jobs.KeyStatus;
import io.rowseal.jobs.RewrapJob;
import io.rowseal.jobs.JobReport;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
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
  @Mixin JobOptions job = new JobOptions();
  @Spec CommandSpec spec;

  @Option(names = "--keks",
      description = "Hierarchical mode: re-wrap the KEK rows of rowseal_kek under the active master key "
          + "(master-key rotation touches only KEK rows), instead of the data rows.")
  boolean keks;

  private static final JobRunner.Labels LABELS = new JobRunner.Labels("re-wrapped", "already on it", null, false);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (keks && (db.table != null || job.anyGiven())) {
      throw new ParameterException(spec.commandLine(), "--keks re-wraps the KEK rows of " + KekStore.TABLE
          + "; --table, --workers, --batch-size, --rate, --from and --to apply to data rows only");
    }
    job.validate(db.table);
    DataSource dataSource = db.dataSource();
    RowSeal rowSeal = db.rowSeal(dataSource);
    if (keks) {
      int code = rewrapKeks(out, rowSeal, dataSource);
      out.flush();
      return code;
    }
    boolean wholeTable = job.from == null && job.to == null;
    return JobRunner.run(out, "rewrap", db.tables(rowSeal), job, LABELS,
        table -> RewrapJob.builder(dataSource, rowSeal, table),
        (o, table, report) -> {
          if (report.isDryRun() && wholeTable) {
            printByKey(o, report, KeyStatus.count(dataSource, table));
          }
        });
  }

  /** In a dry run, the rows that would move split by the key they are on now (read-only). */
  private static void printByKey(PrintWriter out, JobReport report, Map<String, Long> byKey) {
    if (report.wouldWrite() == 0) {
      return;
    }
    Map<String, Long> from = new TreeMap<>(byKey);
    from.keySet().removeIf(k -> k.equals(report.target().orElse("")) || k.equals(KeyStatus.NONE));
    from.forEach((key, rows) -> out.printf("  on %-20s %d rows%n", key, rows));
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
    if (job.dryRun) {
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
