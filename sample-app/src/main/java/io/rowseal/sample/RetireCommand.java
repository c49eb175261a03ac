package io.rowseal.sample;

import io.rowseal.RowSeal;
import io.rowseal.key.KeyRef;
import io.rowseal.key.local.LocalKeystore;
import io.rowseal.jobs.KeyRetirement;
import io.rowseal.key.local.LocalKeystoreFile;
import io.rowseal.jobs.RetirementCheck;
import io.rowseal.sample.internal.ConfigFile;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code retire}: deletes a master key from the keystore, only when no row needs it. */
@Command(name = "retire", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Retire a master key: count the rows of every configured table (and the rowseal_kek table, if it "
        + "exists) still wrapped by it, refuse while any row is, and otherwise delete its entry from the keystore file "
        + "(written to a temporary file, synced, renamed atomically). The active key is never retired.",
        "Retire only after every application instance uses the new active key and rewrap has finished "
            + "(in hierarchical mode: rewrap --keks).",
        "A KMS key (aws-kms:...) is only checked: rowseal never deletes it; remove it from rowseal.kms.keys (a "
            + "configuration naming a disabled key does not load), then disable it and schedule its deletion in the KMS."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:retired (with --dry-run, or for a KMS key: safe to retire)",
        "1:failed (configuration, keystore or database; the message says why)",
        "2:wrong usage",
        "3:refused: rows still need the key (counted per table), or it is the active key"})
final class RetireCommand implements Callable<Integer> {
  @Mixin DatabaseOptions db = new DatabaseOptions();
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "KEY", description = "The key to retire: local:<alias>, just <alias>, or a KMS key's "
      + "reference (aws-kms:<arn>, as status shows it).")
  String key;

  @Option(names = "--dry-run", description = "Only check; delete nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (db.table != null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "retire checks every configured table; --table is not accepted");
    }
    KeyRef ref = KeyRef.of(key.contains(":") ? key : LocalKeystore.SCHEME + ":" + key);
    DataSource dataSource = db.dataSource();
    RowSeal rowSeal = db.rowSeal(dataSource);
    // the active master key, not rowSeal.activeKeyRef(): in hierarchical mode that is the active KEK
    KeyRetirement retirement = KeyRetirement.builder(dataSource, ref).tables(db.tables(rowSeal))
        .activeKey(rowSeal.keyRing().active().ref()).build();
    boolean local = LocalKeystore.SCHEME.equals(ref.scheme());
    RetirementCheck check;
    if (dryRun || !local) {
      check = retirement.check();
    } else {
      ConfigFile config = ConfigFile.read(db.configFile());
      char[] password = config.keystorePassword();
      try (LocalKeystoreFile keystore = LocalKeystoreFile.open(config.keystorePath(), password)) {
        check = retirement.retireFrom(keystore);
      } finally {
        Arrays.fill(password, '\0');
      }
    }
    check.rowsByTable().forEach((table, rows) -> out.printf("  %-20s %d rows on %s%n", table, rows, ref));
    if (!check.kekTableChecked()) {
      out.println("  (no " + KeyRetirement.DEFAULT_KEK_TABLE + " table: no hierarchical KEKs to check)");
    }
    if (!check.isSafe()) {
      out.println("refused: " + ref + " is still needed");
      check.reasons().forEach(reason -> out.println("  " + reason));
      out.flush();
      return RowSealCli.INCOMPLETE;
    }
    out.println(dryRun ? "safe to retire " + ref + " (dry run, nothing deleted)"
        : local ? "retired " + ref + ": deleted from the keystore"
        : "safe to retire " + ref + ": rowseal deletes only local keystore keys; remove it from rowseal.kms.keys "
            + "and restart the applications (a configuration naming a disabled key does not load), then disable it "
            + "in its KMS and schedule its deletion there");
    out.flush();
    return RowSealCli.OK;
  }
}
