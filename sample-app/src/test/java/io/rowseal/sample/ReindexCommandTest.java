package io.rowseal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.RowSeal;
import io.rowseal.config.RowSealConfiguration;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.sample.internal.DriverManagerDataSource;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.search.IndexView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reindex}, {@code status} with rows per index key version, and {@code encrypt-existing} filling the blind
 * index, on an H2 file database with a searchable (lowercase, full-length, UNIQUE) e-mail column. The state TTL
 * is configured to 1 ms and the phase margin to 0, so the rotation does not wait (no other process runs).
 */
class ReindexCommandTest {
  @TempDir Path dir;
  private String url;
  private DataSource raw;
  private Path config;

  @BeforeEach
  void customers() throws Exception {
    DemoCommand.createKeystore(dir.resolve("keys.p12"), CardsFixture.PASSWORD.toCharArray(), "k1");
    url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
    raw = new DriverManagerDataSource(url, "sa", "");
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table customers(id bigint primary key, name varchar(400), email varchar(400),"
          + " rowseal_dek varbinary(512), email_idx varbinary(40) unique, email_idx_next varbinary(40) unique)");
    }
    config = config("customers.properties", "");
  }

  private Path config(String name, String extra) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n",
        "rowseal.keystore.path = keys.p12",
        "rowseal.keystore.password = " + CardsFixture.PASSWORD,
        "rowseal.keystore.active = k1",
        "rowseal.search.state-ttl = 1ms",
        "rowseal.tables.customers.id = id",
        "rowseal.tables.customers.columns.name = string, text",
        "rowseal.tables.customers.columns.email = string, text",
        "rowseal.tables.customers.search.email.column = email_idx",
        "rowseal.tables.customers.search.email.normalize = lowercase",
        "") + extra);
    return file;
  }

  private RowSeal rowSeal(Path file) {
    RowSeal rowSeal = RowSealConfiguration.load(file, raw);
    indexKeys(rowSeal).migrate();
    return rowSeal;
  }

  /** The index key store the CLI uses: table rowseal_index_key in the same database. */
  private IndexKeyStore indexKeys(RowSeal rowSeal) {
    return IndexKeyStore.of(raw, rowSeal);
  }

  private void insert(RowSeal rowSeal, String... emails) throws Exception {
    try (Connection c = RowSealDataSource.wrap(raw, rowSeal).getConnection();
        PreparedStatement ps = c.prepareStatement("insert into customers (id, name, email) values (?, ?, ?)")) {
      for (int i = 0; i < emails.length; i++) {
        ps.setLong(1, i + 1);
        ps.setString(2, "name " + (i + 1));
        ps.setString(3, emails[i]);
        ps.executeUpdate();
      }
    }
  }

  private List<Long> lookup(String email) throws Exception {
    try (Connection c = RowSealDataSource.wrap(raw, RowSealConfiguration.load(config, raw)).getConnection();
        PreparedStatement ps = c.prepareStatement("select id from customers where email = ?")) {
      ps.setString(1, email);
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    }
  }

  private CliRun run(Path file, String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of("--config", file.toString(), "--url", url, "--user", "sa", "--password", ""));
    return CliRun.of(args.toArray(String[]::new));
  }

  private List<String> stored() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = raw.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select email, rowseal_dek, email_idx, email_idx_next from customers order by id")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + "|" + Arrays.toString(rs.getBytes(2)) + "|" + Arrays.toString(rs.getBytes(3))
            + "|" + Arrays.toString(rs.getBytes(4)));
      }
    }
    return rows;
  }

  @Test
  void reindex_rotatesTheIndexKeyAndLookupsStillFindEveryRow() throws Exception {
    insert(rowSeal(config), "Ada@Example.org", "alan@example.org", null);

    CliRun run = run(config, "reindex", "--phase-margin", "0", "--batch-size", "1", "--workers", "2");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("customers.email: added version 2 (pending) in email_idx_next",
        "customers.email: activated version 2", "customers.email: stopped writing version 1",
        "customers.email: retired version 1", "customers.email: rotation complete")
        .containsPattern("customers -> email_idx_next \\(v2\\): 2 scanned, 2 re-indexed, 0 changed meanwhile, 0 failed")
        .containsPattern("v1 +retired +in email_idx +0 rows")
        .containsPattern("v2 +active +in email_idx_next +2 rows")
        .doesNotContainIgnoringCase("ada@");
    assertThat(lookup("ADA@example.org")).containsExactly(1L);
    assertThat(lookup("alan@EXAMPLE.org")).containsExactly(2L);

    CliRun status = run(config, "status");
    assertThat(status.exitCode()).as(status.out() + status.err()).isZero();
    assertThat(status.out()).contains("index of email (rows per index key version):")
        .containsPattern("v2 +active +in email_idx_next +2 rows");

    CliRun again = run(config, "reindex", "--phase-margin", "0");
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).containsPattern("v3 +active +in email_idx +2 rows");
    assertThat(lookup("ada@example.org")).containsExactly(1L);
  }

  @Test
  void reindex_dryRun_changesNothingAndSaysWhatItWouldDo() throws Exception {
    insert(rowSeal(config), "ada@example.org", "alan@example.org");
    List<String> before = stored();

    CliRun run = run(config, "reindex", "--dry-run");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("would add version 2 in email_idx_next, index 2 rows into it",
        "dry run, nothing changed");
    assertThat(stored()).isEqualTo(before);
  }

  @Test
  void reindex_withIdRange_isAUsageError() throws Exception {
    CliRun run = run(config, "reindex", "--table", "customers", "--from", "1");

    assertThat(run.exitCode()).isEqualTo(RowSealCli.USAGE);
    assertThat(run.err()).contains("must visit every row");
  }

  @Test
  void reindex_tableWithoutSearchableColumn_failsNamingIt() throws Exception {
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table notes(id bigint primary key, body varchar(400), rowseal_dek varbinary(512))");
    }
    Path both = config("both.properties", "rowseal.tables.notes.id = id\nrowseal.tables.notes.columns.body = string, text\n");
    rowSeal(both);

    CliRun run = run(both, "reindex", "--table", "notes");

    assertThat(run.exitCode()).isEqualTo(RowSealCli.FAILED);
    assertThat(run.err()).contains("table notes has no searchable column");
  }

  @Test
  void encryptExisting_searchableColumn_fillsItsBlindIndex() throws Exception {
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("insert into customers(id, name, email) values (1, 'Ada', 'Ada@Example.org'), (2, 'Alan', null)");
    }
    Path adopting = config("adopting.properties", "rowseal.tables.customers.adopting-plaintext = true\n");
    RowSeal rowSeal = rowSeal(adopting);

    CliRun run = run(adopting, "encrypt-existing", "--table", "customers");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    IndexView view = indexKeys(rowSeal).view(rowSeal.table("customers").column("email"));
    try (Connection c = raw.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select email, email_idx from customers order by id")) {
      rs.next();
      assertThat(rs.getString(1)).startsWith("rs1:");
      assertThat(rs.getBytes(2)).isEqualTo(view.writeValue("email_idx", "ada@example.org"));
      rs.next();
      assertThat(rs.getBytes(2)).isNull();
    }
    assertThat(lookup("ada@example.org")).containsExactly(1L);
  }
}
