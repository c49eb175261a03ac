package io.rowseal.sample;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.config.RowSealConfiguration;
import io.rowseal.sample.internal.DriverManagerDataSource;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The options {@code status} and {@code rewrap} share: configuration file, database, table. */
final class DatabaseOptions {
  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "RowSeal configuration (.properties or .yaml): keystore and tables.")
  @Nullable Path config;

  @Option(names = "--url", required = true, paramLabel = "JDBC_URL", description = "JDBC URL of the database.")
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

  RowSeal rowSeal() {
    return RowSealConfiguration.load(requireNonNull(config));
  }

  DataSource dataSource() {
    return new DriverManagerDataSource(requireNonNull(url), user, password);
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

  private static <T> T requireNonNull(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("required option missing"); // picocli enforces required options
    }
    return value;
  }
}
