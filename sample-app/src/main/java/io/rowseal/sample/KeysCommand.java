package io.rowseal.sample;

import io.rowseal.key.local.LocalKeystoreFile;
import io.rowseal.sample.internal.ConfigFile;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keys}: the local PKCS#12 keystore named by a configuration file. The active key (the one that
 * wraps new rows) is recorded as {@code rowseal.keystore.active} in that file, which is what the
 * application reads; the commands that change it edit that one line.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = {"Manage the master keys of a local PKCS#12 keystore (AES-256 entries).",
        "The active key, which wraps every new row, is the alias named by rowseal.keystore.active in the "
            + "configuration file: the setting the application reads. 'keys create', 'keys add --activate' and "
            + "'keys activate' edit that line in place. Applications pick the new key up when they reload their "
            + "configuration; run rewrap after that."},
    subcommands = {KeysCommand.Create.class, KeysCommand.Add.class, KeysCommand.Activate.class, KeysCommand.ListKeys.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:failed (the message says why)", "2:wrong usage"})
final class KeysCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: create, add, activate or list");
  }

  /** The configuration file option every keys subcommand takes. */
  static final class ConfigOption {
    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    @Option(names = "--config", defaultValue = "${env:ROWSEAL_CONFIG}", paramLabel = "FILE",
        description = "RowSeal .properties configuration naming the keystore (rowseal.keystore.path), its password "
            + "source and the active key (default: $ROWSEAL_CONFIG).")
    @Nullable Path config;

    Path file() {
      if (config == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing the configuration: --config FILE or $ROWSEAL_CONFIG");
      }
      return config;
    }

    LocalKeystoreFile openKeystore(ConfigFile file) {
      char[] password = file.keystorePassword();
      try {
        return LocalKeystoreFile.open(file.keystorePath(), password);
      } finally {
        Arrays.fill(password, '\0');
      }
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Create a new keystore with a first random AES-256 key, and make it the active key.",
          "If the configuration file exists, the keystore is created at its rowseal.keystore.path with its password "
              + "source. Otherwise a new configuration file is written with the keystore path, the password source "
              + "(--password-file or --password-env) and the active key; add your tables to it. An existing "
              + "keystore file is never overwritten."},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:created", "1:failed (for example the keystore exists; the message says why)", "2:wrong usage"})
  static final class Create implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption config = new ConfigOption();
    @Spec CommandSpec spec;

    @Option(names = "--alias", defaultValue = "k1", paramLabel = "ALIAS",
        description = "Alias of the first key (default: ${DEFAULT-VALUE}); its reference is local:<alias>.")
    String alias;

    @Option(names = "--keystore", defaultValue = "rowseal.p12", paramLabel = "PATH",
        description = "For a new configuration file: the keystore path, relative to it (default: ${DEFAULT-VALUE}).")
    String keystore;

    @Option(names = "--password-file", paramLabel = "FILE",
        description = "For a new configuration file: read the keystore password from this file (first line).")
    @Nullable Path passwordFile;

    @Option(names = "--password-env", defaultValue = "ROWSEAL_KEYSTORE_PASSWORD", paramLabel = "VARIABLE",
        description = "For a new configuration file: read the keystore password from this environment variable "
            + "(default: ${DEFAULT-VALUE}), unless --password-file is given.")
    String passwordEnv;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Path file = config.file();
      boolean newConfig = !Files.exists(file);
      if (newConfig) {
        String source = passwordFile != null
            ? "rowseal.keystore.password-file = " + file.toAbsolutePath().getParent().relativize(passwordFile.toAbsolutePath())
            : "rowseal.keystore.password-env = " + passwordEnv;
        ConfigFile.write(file, String.join(System.lineSeparator(),
            "# RowSeal configuration written by 'rowseal keys create'",
            "rowseal.keystore.path = " + keystore,
            source,
            ConfigFile.ACTIVE + " = " + alias,
            "# Add each encrypted table, for example:",
            "# rowseal.tables.cards.id = id",
            "# rowseal.tables.cards.columns.card_number = string",
            ""));
      }
      ConfigFile cfg = ConfigFile.read(file);
      char[] password;
      try {
        password = cfg.keystorePassword();
      } catch (IllegalArgumentException e) {
        if (newConfig) {
          deleteQuietly(file);
        }
        throw e;
      }
      try (LocalKeystoreFile created = LocalKeystoreFile.create(cfg.keystorePath(), password, alias)) {
        out.println("created keystore " + created.path() + " with AES-256 key local:" + alias);
      } catch (RuntimeException e) {
        if (newConfig) {
          deleteQuietly(file);
        }
        throw e;
      } finally {
        Arrays.fill(password, '\0');
      }
      if (!newConfig) {
        cfg.setActive(alias);
      }
      out.println((newConfig ? "wrote " : "updated ") + file + ": " + ConfigFile.ACTIVE + " = " + alias);
      out.flush();
      return RowSealCli.OK;
    }

    private static void deleteQuietly(Path file) {
      try {
        Files.deleteIfExists(file);
      } catch (java.io.IOException e) {
        // the configuration file stays; the error being reported is the one that matters
      }
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Add a new random AES-256 key to the keystore.",
          "Without --activate the active key stays as it is: new rows keep using it until you run 'keys activate "
              + "<alias>' (useful to distribute the key to every instance first)."},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:added", "1:failed (for example the alias exists; the message says why)", "2:wrong usage"})
  static final class Add implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption config = new ConfigOption();
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ALIAS", description = "Alias of the new key; its reference is local:<alias>.")
    String alias;

    @Option(names = "--activate", description = "Also make it the active key (sets rowseal.keystore.active).")
    boolean activate;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ConfigFile cfg = ConfigFile.read(config.file());
      try (LocalKeystoreFile keystore = config.openKeystore(cfg)) {
        keystore.addKey(alias);
      }
      out.println("added AES-256 key local:" + alias);
      if (activate) {
        cfg.setActive(alias);
        out.println("updated " + cfg.file() + ": " + ConfigFile.ACTIVE + " = " + alias);
      } else {
        out.println("active key unchanged: " + cfg.active() + " (activate with: rowseal keys activate " + alias + ")");
      }
      out.flush();
      return RowSealCli.OK;
    }
  }

  @Command(name = "activate", mixinStandardHelpOptions = true,
      description = "Make an existing key the active key (sets rowseal.keystore.active in the configuration file).",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:activated", "1:failed (for example no such key; the message says why)", "2:wrong usage"})
  static final class Activate implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption config = new ConfigOption();
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ALIAS", description = "Alias of a key in the keystore.")
    String alias;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ConfigFile cfg = ConfigFile.read(config.file());
      try (LocalKeystoreFile keystore = config.openKeystore(cfg)) {
        if (keystore.entries().stream().noneMatch(e -> e.alias().equals(alias))) {
          throw new IllegalArgumentException("keystore " + keystore.path() + " has no key '" + alias + "'");
        }
      }
      cfg.setActive(alias);
      out.println("updated " + cfg.file() + ": " + ConfigFile.ACTIVE + " = " + alias);
      out.flush();
      return RowSealCli.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the keystore's keys (alias, reference, creation date) and which one is active. Never key bytes.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:listed", "1:failed (the message says why)", "2:wrong usage"})
  static final class ListKeys implements Callable<Integer> {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
        .withZone(ZoneOffset.UTC);

    @CommandLine.Mixin ConfigOption config = new ConfigOption();
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ConfigFile cfg = ConfigFile.read(config.file());
      List<LocalKeystoreFile.Entry> entries;
      try (LocalKeystoreFile keystore = config.openKeystore(cfg)) {
        entries = keystore.entries();
        out.println("keystore " + keystore.path());
      }
      String active = cfg.active();
      for (LocalKeystoreFile.Entry e : entries) {
        out.printf("  %s %-22s created %s%s%n", e.alias().equals(active) ? "*" : " ", "local:" + e.alias(),
            DATE.format(e.created()), e.alias().equals(active) ? "   (active)" : "");
      }
      if (active == null) {
        out.println("no active key: set " + ConfigFile.ACTIVE + " (rowseal keys activate <alias>)");
      } else if (entries.stream().noneMatch(e -> e.alias().equals(active))) {
        out.println("the active key " + active + " (" + ConfigFile.ACTIVE + ") is not in the keystore");
        out.flush();
        return RowSealCli.FAILED;
      }
      out.flush();
      return RowSealCli.OK;
    }
  }
}
