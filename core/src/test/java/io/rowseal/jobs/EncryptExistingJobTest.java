package io.rowseal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.PlaintextAdoption;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The encrypt-existing job on real databases: a plaintext table ends fully encrypted with no plaintext
 * left, every row stays readable (in adoption mode) at every moment, a killed run is finished by a rerun,
 * and a row written meanwhile, through RowSeal or past it, is never overwritten.
 */
class EncryptExistingJobTest {
  private static final int ROWS = 1_200;
  private final AesGcmMasterKey k1 = AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32));

  /** One plaintext table on one database, the adopting model of it, and the same model with the mode off. */
  private final class Fixture implements AutoCloseable {
    final DataSource ds;
    final EncryptedTable adopting;
    final EncryptedTable strict;
    final RowSeal rowSeal;
    final RowSeal strictSeal;

    Fixture(String kind) throws SQLException {
      ds = kind.equals("postgres") ? TestDatabases.postgres()
          : kind.equals("mariadb") ? TestDatabases.mariadb() : TestDatabases.h2(TestDatabases.uniqueName("adopt"));
      String name = TestDatabases.uniqueName("adopt_cards");
      String bin = kind.equals("postgres") ? "bytea" : "varbinary(256)";
      int width = PlaintextAdoption.textFormLength(4 * 20); // holders up to 20 characters of any script
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("create table " + name + " (id bigint primary key, holder varchar(" + width + "),"
            + " card_number varchar(" + PlaintextAdoption.textFormLength(19) + "), since varchar(80),"
            + " note varchar(100), rowseal_dek " + bin + ")");
      }
      adopting = table(name, true);
      strict = table(name, false);
      rowSeal = RowSeal.builder().keyRing(KeyRing.of(k1)).table(adopting).build();
      strictSeal = RowSeal.builder().keyRing(KeyRing.of(k1)).table(strict).build();
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement("insert into " + name
              + " (id, holder, card_number, since, note) values (?, ?, ?, ?, ?)")) {
        for (long id = 1; id <= ROWS; id++) {
          ps.setLong(1, id);
          ps.setString(2, holder(id));
          ps.setString(3, number(id));
          ps.setString(4, since(id));
          ps.setString(5, "note " + id);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }

    private EncryptedTable table(String name, boolean adoptingPlaintext) {
      return EncryptedTable.builder(name).idColumns("id")
          .column("holder", String.class, StorageForm.TEXT)
          .column("card_number", String.class, StorageForm.TEXT)
          .column("since", LocalDate.class, StorageForm.TEXT)
          .adoptingPlaintext(adoptingPlaintext)
          .build();
    }

    String name() {
      return adopting.name();
    }

    @Override
    public void close() throws SQLException {
      exec("drop table " + name());
    }

    void exec(String sql) throws SQLException {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }

    /** Reads every row with {@code seal} through {@link PlaintextAdoption#read}; returns id -> "holder|number|since". */
    Map<Long, String> readAll(RowSeal seal, EncryptedTable t) throws SQLException {
      Map<Long, String> out = new java.util.TreeMap<>();
      try (Connection c = ds.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select id, holder, card_number, since, rowseal_dek from " + name())) {
        while (rs.next()) {
          long id = rs.getLong(1);
          byte[] companion = rs.getBytes(5);
          List<Object> values = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            values.add(PlaintextAdoption.read(seal, t.columns().get(i), RowId.of(id), companion, rs.getString(i + 2)));
          }
          out.put(id, values.get(0) + "|" + values.get(1) + "|" + values.get(2));
        }
      }
      return out;
    }

    /** Rows without a companion that hold a value. */
    long plaintextRows() throws SQLException {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select count(*) from " + name() + " where rowseal_dek is null and"
              + " (holder is not null or card_number is not null or since is not null)")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Every 10th holder is NULL; every 97th row has no value in any encrypted column. */
  static String holder(long id) {
    return id % 97 == 0 || id % 10 == 0 ? null : "Holder " + id + (id % 3 == 0 ? " Ünïcødé" : "");
  }

  static String number(long id) {
    return id % 97 == 0 ? null : String.format("4111111111%06d", id);
  }

  static String since(long id) {
    return id % 97 == 0 ? null : LocalDate.of(2000, 1, 1).plusDays(id).toString();
  }

  static Map<Long, String> expected() {
    Map<Long, String> out = new java.util.TreeMap<>();
    for (long id = 1; id <= ROWS; id++) {
      out.put(id, holder(id) + "|" + number(id) + "|" + (since(id) == null ? null : LocalDate.parse(since(id))));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_plaintextTable_encryptsEveryRowAndNoPlaintextRemains(String kind) throws Exception {
    try (Fixture f = new Fixture(kind)) {

      JobReport report = EncryptExistingJob.builder(f.ds, f.rowSeal, f.adopting).batchSize(250).build().run();

      long allNull = ROWS / 97;
      assertThat(report.scanned()).isEqualTo(ROWS - allNull);
      assertThat(report.written()).isEqualTo(ROWS - allNull);
      assertThat(report.failedRows()).isZero();
      assertThat(report.isComplete()).isTrue();
      assertThat(f.plaintextRows()).isZero();
      // raw: every non-NULL value is in the text form, NULL stays NULL, all-NULL rows keep no companion
      try (Connection c = f.ds.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select id, holder, card_number, since, note, rowseal_dek from " + f.name())) {
        while (rs.next()) {
          long id = rs.getLong(1);
          for (int i = 2; i <= 4; i++) {
            String raw = rs.getString(i);
            if (raw != null) {
              assertThat(raw).as("row %d column %d", id, i).startsWith("rs1:");
            }
          }
          assertThat(rs.getString(2) == null).isEqualTo(holder(id) == null);
          assertThat(rs.getString(5)).isEqualTo("note " + id);
          assertThat(rs.getBytes(6) == null).as("companion of row %d", id).isEqualTo(id % 97 == 0);
        }
      }
      // the mode can be turned off: every row decrypts to the original
      assertThat(f.readAll(f.strictSeal, f.strict)).isEqualTo(expected());
      // a second run finds nothing to do
      JobReport again = EncryptExistingJob.builder(f.ds, f.rowSeal, f.adopting).build().run();
      assertThat(again.scanned()).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_killedAfterSomePages_everyRowStaysReadableAndRerunFinishes(String kind) throws Exception {
    try (Fixture f = new Fixture(kind)) {
      RuntimeException kill = new RuntimeException("killed");
      int[] pages = {0};

      assertThatThrownBy(() -> EncryptExistingJob.builder(f.ds, f.rowSeal, f.adopting).batchSize(300).progress(r -> {
        if (++pages[0] == 2) {
          throw kill;
        }
      }).build().run()).isSameAs(kill);

      long left = f.plaintextRows();
      assertThat(left).isEqualTo(ROWS - ROWS / 97 - 600);
      assertThat(f.readAll(f.rowSeal, f.adopting)).as("midway, adoption mode").isEqualTo(expected());
      assertThatThrownBy(() -> f.readAll(f.strictSeal, f.strict)).as("midway, mode off fails closed")
          .hasMessageContaining("is NULL");

      JobReport rerun = EncryptExistingJob.builder(f.ds, f.rowSeal, f.adopting).batchSize(300).build().run();

      assertThat(rerun.scanned()).isEqualTo(left);
      assertThat(rerun.written()).isEqualTo(left);
      assertThat(f.plaintextRows()).isZero();
      assertThat(f.readAll(f.strictSeal, f.strict)).isEqualTo(expected());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_hookThrowsBeforeFirstWrite_writesNothingAndRerunFinishes(String kind) throws Exception {
    try (Fixture f = new Fixture(kind)) {
      RuntimeException kill = new RuntimeException("killed before writing");

      assertThatThrownBy(() -> EncryptExistingJob.builder(f.ds, f.rowSeal, f.adopting).build().runWithHooks(PageHooks.beforeWrite(() -> {
        throw kill;
      }))).isSameAs(kill);
      assertThat(f.plaintextRows()).isEqualTo(ROWS - ROWS / 97);
      assertThat(f.readAll(f.rowSeal, f.adopting)).isEqualTo(expected());

      assertThat(EncryptExistingJob.builder(f.ds, f.rowSeal, f.adopting).build().run().isComplete()).isTrue();
      assertThat(f.readAll(f.strictSeal, f.strict)).isEqualTo(expected());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_rowRewrittenThroughRowSealMeanwhile_isNotOverwritten(String kind) throws Exception {
    try (Fixture f = new Fixture(kind)) {
      boolean[] done = {false};

      // Between the job's read of the first page and its write, the application rewrites row 700 through
      // RowSeal (fresh data key, every encrypted column).
      JobReport report = EncryptExistingJob.builder(f.ds, f.rowSeal, f.adopting).batchSize(1000).build().runWithHooks(PageHooks.beforeWrite(() -> {
            if (!done[0]) {
              done[0] = true;
              try (Connection c = f.ds.getConnection();
                  PreparedStatement ps = c.prepareStatement("update " + f.name()
                      + " set holder = ?, card_number = ?, since = ?, rowseal_dek = ? where id = 700");
                  RowKey key = f.rowSeal.newRowKey(f.adopting, RowId.of(700))) {
                ps.setString(1, (String) key.encrypt(f.adopting.column("holder"), "New Holder"));
                ps.setString(2, (String) key.encrypt(f.adopting.column("card_number"), "5500000000000004"));
                ps.setString(3, null);
                ps.setBytes(4, key.companion());
                ps.executeUpdate();
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            }
          }));

      assertThat(report.changedMeanwhile()).isEqualTo(1);
      assertThat(report.written()).isEqualTo(ROWS - ROWS / 97 - 1);
      Map<Long, String> expected = expected();
      expected.put(700L, "New Holder|5500000000000004|null");
      assertThat(f.readAll(f.strictSeal, f.strict)).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres", "mariadb"}) // MariaDB compares text case-insensitively by default
  void run_plaintextChangedPastRowSealMeanwhile_isNotOverwrittenAndRerunEncryptsNewValue(String kind)
      throws Exception {
    try (Fixture f = new Fixture(kind)) {
      boolean[] done = {false};

      // An old instance of the application, not yet on RowSeal, changes row 5's plaintext (case only):
      // the compare on the values must notice, not just the companion.
      JobReport report = EncryptExistingJob.builder(f.ds, f.rowSeal, f.adopting).build().runWithHooks(PageHooks.beforeWrite(() -> {
        if (!done[0]) {
          done[0] = true;
          try {
            f.exec("update " + f.name() + " set holder = 'HOLDER 5' where id = 5");
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        }
      }));

      assertThat(report.changedMeanwhile()).isEqualTo(1);
      assertThat(f.plaintextRows()).isEqualTo(1);
      Map<Long, String> expected = expected();
      expected.put(5L, "HOLDER 5|" + number(5) + "|" + LocalDate.parse(since(5)));
      assertThat(f.readAll(f.rowSeal, f.adopting)).isEqualTo(expected);

      JobReport rerun = EncryptExistingJob.builder(f.ds, f.rowSeal, f.adopting).build().run();
      assertThat(rerun.written()).isEqualTo(1);
      assertThat(f.readAll(f.strictSeal, f.strict)).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_dryRun_countsRowsAndWritesNothing(String kind) throws Exception {
    try (Fixture f = new Fixture(kind)) {

      JobReport report = EncryptExistingJob.builder(f.ds, f.rowSeal, f.adopting).dryRun(true).build().run();

      assertThat(report.isDryRun()).isTrue();
      assertThat(report.wouldWrite()).isEqualTo(ROWS - ROWS / 97);
      assertThat(report.written()).isZero();
      assertThat(f.plaintextRows()).isEqualTo(ROWS - ROWS / 97);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_valueNotOfTypeOrTooWide_leavesRowPlaintextAndReportsItWithoutTheValue(String kind) throws Exception {
    try (Fixture f = new Fixture(kind)) {
      f.exec("update " + f.name() + " set since = 'SECRET-not-a-date' where id = 3");
      // a holder that fits its old column but not its text form: the column was not widened enough
      String narrow = kind.equals("postgres") ? " alter column holder type varchar(60)" : " alter column holder set data type varchar(60)";
      f.exec("update " + f.name() + " set holder = null where id <> 4");
      f.exec("update " + f.name() + " set holder = 'SECRET holder four' where id = 4");
      f.exec("alter table " + f.name() + narrow);

      JobReport report = EncryptExistingJob.builder(f.ds, f.rowSeal, f.adopting).build().run();

      assertThat(report.failedRows()).isEqualTo(2);
      assertThat(report.isComplete()).isFalse();
      assertThat(report.failures()).anySatisfy(m -> assertThat(m.toString()).contains("row 3").contains("since"));
      assertThat(report.failures()).anySatisfy(m -> assertThat(m.toString()).contains("row 4").contains("holder").contains("widen"));
      assertThat(report.failures().toString()).doesNotContain("SECRET");
      assertThat(f.plaintextRows()).isEqualTo(2);
      try (Connection c = f.ds.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select holder from " + f.name() + " where id = 4")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("SECRET holder four"); // untouched, not truncated
      }
    }
  }

  @Test
  void build_binaryColumn_isRejected() {
    EncryptedTable t = EncryptedTable.builder("cards").idColumns("id").column("card_number", String.class).build();
    RowSeal rs = RowSeal.builder().keyRing(KeyRing.of(k1)).table(t).build();
    assertThatThrownBy(() -> EncryptExistingJob.builder(TestDatabases.h2("unused"), rs, t).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("card_number").hasMessageContaining("binary storage");
  }

  @Test
  void build_compositeKey_isRejected() {
    EncryptedTable t = EncryptedTable.builder("cards").idColumns("a", "b")
        .column("holder", String.class, StorageForm.TEXT).build();
    RowSeal rs = RowSeal.builder().keyRing(KeyRing.of(k1)).table(t).build();
    assertThatThrownBy(() -> EncryptExistingJob.builder(TestDatabases.h2("unused"), rs, t).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("composite key");
  }
}
