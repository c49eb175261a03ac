package io.rowseal.sample;

import io.rowseal.RowSeal;
import io.rowseal.config.RowSealConfiguration;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.sample.internal.DriverManagerDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A file H2 database with a {@code cards} table of three rows written through the JDBC wrapper on
 * {@code k1}, a real keystore file holding {@code k1} and {@code k2}, and configuration files naming them.
 */
final class CardsFixture {
  static final String PASSWORD = "test-only-password";

  final Path dir;
  final String url;
  final DataSource raw;

  CardsFixture(Path dir) throws Exception {
    this.dir = dir;
    DemoCommand.createKeystore(dir.resolve("keys.p12"), PASSWORD.toCharArray(), "k1", "k2");
    DemoCommand.createKeystore(dir.resolve("only-k2.p12"), PASSWORD.toCharArray(), "k2");
    url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
    raw = new DriverManagerDataSource(url, "sa", "");
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table cards(id bigint primary key, holder varchar, card_number varbinary,"
          + " cvv varbinary, note varchar, rowseal_dek varbinary)");
    }
    RowSeal onK1 = RowSealConfiguration.load(config("k1-active.properties", "keys.p12", "k1"));
    try (Connection c = RowSealDataSource.wrap(raw, onK1).getConnection();
        PreparedStatement ps = c.prepareStatement("insert into cards (id, holder, card_number, cvv) values (?, ?, ?, ?)")) {
      for (long id = 1; id <= 3; id++) {
        ps.setLong(1, id);
        ps.setString(2, "holder " + id);
        ps.setString(3, "4111 0000 0000 000" + id);
        ps.setString(4, "12" + id);
        ps.executeUpdate();
      }
    }
  }

  /** A configuration file for {@code keystore} with {@code active} active and the cards table. */
  Path config(String name, String keystore, String active) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n",
        "rowseal.keystore.path = " + keystore,
        "rowseal.keystore.password = " + PASSWORD,
        "rowseal.keystore.active = " + active,
        "rowseal.tables.cards.id = id",
        "rowseal.tables.cards.columns.card_number = string",
        "rowseal.tables.cards.columns.cvv = string",
        ""));
    return file;
  }

  /** Runs a database command with {@code config} and this database. */
  CliRun run(Path config, String... command) {
    String[] args = new String[command.length + 8];
    System.arraycopy(command, 0, args, 0, command.length);
    String[] db = {"--config", config.toString(), "--url", url, "--user", "sa", "--password", ""};
    System.arraycopy(db, 0, args, command.length, db.length);
    return CliRun.of(args);
  }
}
