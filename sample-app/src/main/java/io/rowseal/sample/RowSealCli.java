package io.rowseal.sample;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rowseal} command: {@code demo}, {@code keys}, {@code status}, {@code rewrap}, {@code verify},
 * {@code retire}, {@code encrypt-existing} and {@code reindex}. Run {@code java -jar rowseal.jar --help}. Failures print one
 * line (the exception's message, which never holds key material or data) instead of a stack trace.
 */
@Command(
    name = "rowseal",
    mixinStandardHelpOptions = true,
    versionProvider = RowSealCli.Version.class,
    description = {"Per-row envelope encryption: demo, key management and key rotation commands.",
        "Database commands read the configuration file (--config or $ROWSEAL_CONFIG) and the database "
            + "(--url/--user/--password or $ROWSEAL_JDBC_URL/_USER/_PASSWORD)."},
    subcommands = {DemoCommand.class, KeysCommand.class, StatusCommand.class, RewrapCommand.class,
        VerifyCommand.class, RetireCommand.class, EncryptExistingCommand.class, ReindexCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done",
        "1:failed: configuration, keystore or database (the message says why)",
        "2:wrong usage",
        "3:refused or incomplete: rewrap left rows it could not move, verify found rows that do not decrypt, "
            + "retire refused (rows still on the key), encrypt-existing left rows as plaintext, reindex left rows "
            + "it could not re-index"})
public final class RowSealCli {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int INCOMPLETE = 3;

  static {
    // Hibernate logs through JBoss Logging, which picks java.util.logging unless told: route it to SLF4J,
    // whose simple logger (simplelogger.properties) shows warnings only.
    if (System.getProperty("org.jboss.logging.provider") == null) {
      System.setProperty("org.jboss.logging.provider", "slf4j");
    }
  }

  private RowSealCli() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** A fresh command line; tests set its output writers and call {@code execute}. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new RowSealCli());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      err.println("rowseal " + commandLine.getCommandName() + ": " + describe(e));
      err.flush();
      return FAILED;
    });
    return cli;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = RowSealCli.class.getPackage().getImplementationVersion();
      return new String[] {"rowseal " + (version == null ? "(development build)" : version)};
    }
  }
}
