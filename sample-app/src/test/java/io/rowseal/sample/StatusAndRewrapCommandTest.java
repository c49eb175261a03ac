package io.rowseal.sample;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusAndRewrapCommandTest {
  private static final String PASSWORD = "test-only-password";

  @TempDir Path dir;
  private String url;

  @BeforeEach
  void threeRowsOnK1() throws Exception {
    DemoCommand.createKeystore(dir.resolve("keys.p12"), PASSWORD.toCharArray(), "k1", "k2");
    DemoCommand.createKeystore(dir.resolve("only-k2.p12"), PASSWORD.toCharArray(), "k2");
    url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
    DataSource raw = new DriverManagerDataSource(url, "sa", "");
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

  @Test
  void status_rowsOnK1_countsThemPerKey() throws Exception {
    CliRun run = run("status", config("k1-active.properties", "keys.p12", "k1"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("active key: local:k1", "cards:", "local:k1         3 rows");
  }

  @Test
  void rewrap_k2Active_movesEveryRowAndStatusShowsK2() throws Exception {
    Path k2 = config("k2-active.properties", "keys.p12", "k2");

    CliRun rewrap = run("rewrap", k2);
    CliRun status = run("status", k2);

    assertThat(rewrap.exitCode()).as(rewrap.err()).isZero();
    assertThat(rewrap.out()).contains("cards -> local:k2: 3 scanned, 3 re-wrapped", "0 failed");
    assertThat(status.out()).contains("local:k2         3 rows").doesNotContain("local:k1");
  }

  @Test
  void rewrap_oldKeyMissingFromKeystore_failsWithExitCode3() throws Exception {
    CliRun run = run("rewrap", config("only-k2.properties", "only-k2.p12", "k2"));

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
    assertThat(run.out()).contains("3 failed");
  }

  @Test
  void status_unknownTable_failsWithMessage() throws Exception {
    CliRun run = CliRun.of("status", "--config", config("k1.properties", "keys.p12", "k1").toString(),
        "--url", url, "--user", "sa", "--password", "", "--table", "nope");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("rowseal status: ").contains("nope");
  }

  private CliRun run(String command, Path config) {
    return CliRun.of(command, "--config", config.toString(), "--url", url, "--user", "sa", "--password", "");
  }

  private Path config(String name, String keystore, String active) throws Exception {
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
}
