package io.rowseal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.RowSeal;
import io.rowseal.config.RowSealConfiguration;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.sample.internal.DriverManagerDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** encrypt-existing on a plaintext H2 table prepared for in-place adoption (widened columns, companion added). */
class EncryptExistingCommandTest {
  @TempDir Path dir;
  private String url;
  private DataSource raw;
  private Path adopting;

  @BeforeEach
  void plaintextPeople() throws Exception {
    DemoCommand.createKeystore(dir.resolve("keys.p12"), CardsFixture.PASSWORD.toCharArray(), "k1");
    url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
    raw = new DriverManagerDataSource(url, "sa", "");
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table people(id bigint primary key, name varchar(400), email varchar(400),"
          + " rowseal_dek varbinary(512))");
      s.execute("insert into people(id, name, email) values (1, 'Ada Lovelace', 'ada@example.org'),"
          + " (2, 'Alan Turing', null), (3, null, null)");
    }
    adopting = config("adopting.properties", "rowseal.tables.people.adopting-plaintext = true\n");
  }

  private Path config(String name, String extra) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n",
        "rowseal.keystore.path = keys.p12",
        "rowseal.keystore.password = " + CardsFixture.PASSWORD,
        "rowseal.keystore.active = k1",
        "rowseal.tables.people.id = id",
        "rowseal.tables.people.columns.name = string, text",
        "rowseal.tables.people.columns.email = string, text",
        "") + extra);
    return file;
  }

  private CliRun run(Path config, String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of("--config", config.toString(), "--url", url, "--user", "sa", "--password", ""));
    return CliRun.of(args.toArray(String[]::new));
  }

  private List<String> stored() throws Exception {
    List<String> values = new ArrayList<>();
    try (Connection c = raw.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select name, email, rowseal_dek is not null from people order by id")) {
      while (rs.next()) {
        values.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getBoolean(3));
      }
    }
    return values;
  }

  @Test
  void encryptExisting_plaintextTable_encryptsRowsAndDataDecryptsThroughTheWrapper() throws Exception {
    CliRun run = run(adopting, "encrypt-existing", "--table", "people", "--batch-size", "1");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("people: 2 scanned, 2 encrypted, 0 changed meanwhile, 0 failed",
        "encrypt-existing people: 2 rows in").doesNotContain("Ada").doesNotContain("ada@");
    List<String> stored = stored();
    assertThat(stored.get(0)).startsWith("rs1:").endsWith("|true").doesNotContain("Ada", "ada@");
    assertThat(stored.get(1)).startsWith("rs1:").endsWith("|null|true");
    assertThat(stored.get(2)).isEqualTo("null|null|false");
    RowSeal rowSeal = RowSealConfiguration.load(config("plain.properties", ""));
    try (Connection c = RowSealDataSource.wrap(raw, rowSeal).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select name, email from people where id = 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("Ada Lovelace");
      assertThat(rs.getString(2)).isEqualTo("ada@example.org");
    }
  }

  @Test
  void encryptExisting_rerun_doesNothing() throws Exception {
    run(adopting, "encrypt-existing", "--table", "people");
    List<String> after = stored();

    CliRun rerun = run(adopting, "encrypt-existing", "--table", "people");

    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(rerun.out()).contains("people: 0 scanned, 0 encrypted");
    assertThat(stored()).isEqualTo(after);
  }

  @Test
  void encryptExistingDryRun_plaintextTable_countsAndWritesNothing() throws Exception {
    List<String> before = stored();

    CliRun run = run(adopting, "encrypt-existing", "--table", "people", "--dry-run");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("people (dry run, nothing changed): 2 scanned, 2 would be encrypted");
    assertThat(stored()).isEqualTo(before).contains("Ada Lovelace|ada@example.org|false");
  }

  @Test
  void encryptExisting_valueTooWideForColumn_exitCode3AndRowStaysPlaintext() throws Exception {
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("alter table people alter column name set data type varchar(20)");
    }

    CliRun run = run(adopting, "encrypt-existing", "--table", "people");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("2 failed", "failed: people.name row 1 (key local:k1): VALUE_TOO_WIDE: column name holds 20 characters")
        .doesNotContain("Ada");
    assertThat(stored()).contains("Ada Lovelace|ada@example.org|false");
  }

  @Test
  void encryptExisting_tableNotAdopting_failsAndWritesNothing() throws Exception {
    List<String> before = stored();

    CliRun run = run(config("plain.properties", ""), "encrypt-existing", "--table", "people");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("rowseal.tables.people.adopting-plaintext = true");
    assertThat(stored()).isEqualTo(before);
  }

  @Test
  void encryptExisting_noTable_isUsageError() throws Exception {
    CliRun run = run(adopting, "encrypt-existing");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing --table");
  }
}
