package io.rowseal.sample;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.config.RowSealConfiguration;
import io.rowseal.key.kek.KekStore;
import io.rowseal.sample.internal.DriverManagerDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every database command shares: the configuration file (keystore, active key, tables) and
 * the database. Each option falls back to an environment variable, so secrets need not be on the command
 * line; a missing one is a usage error (exit code 2).
 */
final class DatabaseOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--config", defaultValue = "${env:ROWSEAL_CONFIG}", paramLabel = "FILE",
      description = "RowSeal configuration (.properties or .yaml): keystore, active key, tables "
          + "(default: $ROWSEAL_CONFIG).")
  @Nullable Path config;

  @Option(names = "--url", defaultValue = "${env:ROWSEAL_JDBC_URL}", paramLabel = "JDBC_URL",
      description = "JDBC URL of the database (default: $ROWSEAL_JDBC_URL).")
  @Nullable String url;

  @Option(names = "--user", defaultValue = "${env:ROWSEAL_JDBC_USER}", paramLabel = "USER",
      description = "Database user (default: $ROWSEAL_JDBC_USER).")
  @Nullable String user;

  @Option(names = "--password", defaultValue = "${env:ROWSEAL_JDBC_PASSWORD}", paramLabel = "PASSWORD",
      description = "Database password (default: $ROWSEAL_JDBC_PASSWORD; prefer the variable, "
          + "command lines are visible to other users).")
  @Nullable String password;

  @Option(names = "--table", paramLabel = "TABLE",
      description = "Only this configured table (default: every table in the configuration).")
  @Nullable String table;

  Path configFile() {
    if (config == null) {
      throw new ParameterException(spec.commandLine(), "Missing the configuration: --config FILE or $ROWSEAL_CONFIG");
    }
    return config;
  }

  /**
   * The engine the configuration file describes. The command's database is also where
   * {@code rowseal.mode = hierarchical} keeps its KEKs ({@code rowseal_kek}).
   */
  RowSeal rowSeal(DataSource dataSource) {
    return RowSealConfiguration.load(configFile(), dataSource);
  }

  DataSource dataSource() {
    if (url == null || url.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "Missing the database: --url JDBC_URL or $ROWSEAL_JDBC_URL");
    }
    return new DriverManagerDataSource(url, user, password);
  }

  List<EncryptedTable> tables(RowSeal rowSeal) {
    if (table != null) {
      return List.of(rowSeal.table(table));
    }
    if (rowSeal.tables().isEmpty()) {
      throw new IllegalArgumentException("the configuration " + config + " names no table (rowseal.tables.*)");
    }
    return rowSeal.tables();
  }

  /** Whether the database has the hierarchical mode's KEK table ({@value KekStore#TABLE}), in any letter case. */
  static boolean kekTableExists(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      for (String name : new String[] {KekStore.TABLE, KekStore.TABLE.toUpperCase(Locale.ROOT)}) {
        try (ResultSet rs = meta.getTables(c.getCatalog(), c.getSchema(), name, new String[] {"TABLE"})) {
          if (rs.next()) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** Rows of a table (with a companion, when {@code withCompanion}): the total a progress bar counts to. */
  static long count(DataSource dataSource, EncryptedTable table, boolean withCompanion) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table.name()
            + (withCompanion ? " WHERE " + table.companionColumn() + " IS NOT NULL" : ""))) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
