package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.EncryptedTable;
import io.rowseal.PlaintextAdoption;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRing;
import io.rowseal.jobs.EncryptExistingJob;
import io.rowseal.jobs.JobReport;
import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Adopting a plaintext table through the wrapper: while the table is adopting plaintext the wrapper reads
 * encrypted and not-yet-encrypted rows alike, writes only ciphertext, encrypts a whole plaintext row on a
 * partial update, and still fails on a row with a companion whose value does not authenticate; with the
 * mode off a plaintext row fails closed.
 */
class AdoptionTest {
  private static final int ROWS = 50;

  /** A plaintext {@code accounts} table widened for adoption, with the adopting and the strict models. */
  private static final class Accounts implements AutoCloseable {
    final DataSource raw;
    final String name;
    final EncryptedTable adopting;
    final RowSeal rowSeal;
    final RowSealDataSource wrapped;
    final RowSealDataSource strict;

    Accounts(Db db) throws SQLException {
      raw = db.raw();
      name = TestDatabases.uniqueName("accounts");
      int width = PlaintextAdoption.textFormLength(4 * 40);
      exec("create table " + name + " (id bigint primary key, holder varchar(" + width + "), card_number varchar("
          + width + "), since varchar(" + width + "), note varchar(100), rowseal_dek " + db.binary() + ")");
      AesGcmMasterKey k1 = Cards.masterKey("k1");
      adopting = table(true);
      EncryptedTable strictTable = table(false);
      rowSeal = RowSeal.builder().keyRing(KeyRing.of(k1)).table(adopting).build();
      wrapped = RowSealDataSource.wrap(raw, rowSeal);
      strict = RowSealDataSource.wrap(raw, RowSeal.builder().keyRing(KeyRing.of(k1)).table(strictTable).build());
      try (Connection c = raw.getConnection();
          PreparedStatement ps = c.prepareStatement("insert into " + name
              + " (id, holder, card_number, since, note) values (?, ?, ?, ?, ?)")) {
        for (long id = 1; id <= ROWS; id++) {
          ps.setLong(1, id);
          ps.setString(2, holder(id));
          ps.setString(3, Cards.number(id));
          ps.setString(4, since(id).toString());
          ps.setString(5, "note " + id);
          ps.executeUpdate();
        }
      }
    }

    private EncryptedTable table(boolean adoptingPlaintext) {
      return EncryptedTable.builder(name).idColumns("id")
          .column("holder", String.class, StorageForm.TEXT)
          .column("card_number", String.class, StorageForm.TEXT)
          .column("since", LocalDate.class, StorageForm.TEXT)
          .adoptingPlaintext(adoptingPlaintext)
          .build();
    }

    static String holder(long id) {
      return id % 5 == 0 ? null : "Holder " + id;
    }

    static LocalDate since(long id) {
      return LocalDate.of(2010, 1, 1).plusDays(id);
    }

    void exec(String... sql) throws SQLException {
      try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
        for (String q : sql) {
          s.execute(q);
        }
      }
    }

    String sql(String template) {
      return template.replaceAll("\\bT\\b", name);
    }

    /** Every row read through {@code ds}: {@code id|holder|card_number|since}, since read as a LocalDate. */
    List<String> read(DataSource ds) throws SQLException {
      return read(ds, 1, ROWS);
    }

    /** Rows {@code from..to} read through {@code ds}. */
    List<String> read(DataSource ds, long from, long to) throws SQLException {
      List<String> rows = new ArrayList<>();
      try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
          sql("select id, holder, card_number, since from T where id >= ? and id <= ? order by id"))) {
        ps.setLong(1, from);
        ps.setLong(2, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|"
                + rs.getObject(4, LocalDate.class));
          }
        }
      }
      return rows;
    }

    static List<String> expected() {
      List<String> rows = new ArrayList<>();
      for (long id = 1; id <= ROWS; id++) {
        rows.add(id + "|" + holder(id) + "|" + Cards.number(id) + "|" + since(id));
      }
      return rows;
    }

    /** The raw values of row {@code id}: holder, card_number, since, and whether it has a companion. */
    List<String> raw(long id) throws SQLException {
      try (Connection c = raw.getConnection();
          PreparedStatement ps = c.prepareStatement(sql("select holder, card_number, since, rowseal_dek from T where id = ?"))) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          List<String> out = new ArrayList<>();
          out.add(rs.getString(1));
          out.add(rs.getString(2));
          out.add(rs.getString(3));
          out.add(rs.getBytes(4) == null ? "no companion" : "companion");
          return out;
        }
      }
    }

    /** Raw values in every row that are not in the text form, and rows holding a value without a companion. */
    List<String> plaintextLeft() throws SQLException {
      List<String> left = new ArrayList<>();
      for (long id = 1; id <= ROWS; id++) {
        List<String> r = raw(id);
        for (int i = 0; i < 3; i++) {
          if (r.get(i) != null && !r.get(i).startsWith("rs1:")) {
            left.add("row " + id + " column " + i);
          }
        }
        if (r.get(3).equals("no companion")) {
          left.add("row " + id + " has no companion");
        }
      }
      return left;
    }

    JobReport encryptExisting(Object fromId, Object toId) throws SQLException {
      return EncryptExistingJob.builder(raw, rowSeal, adopting).batchSize(7).idRange(fromId, toId).build().run();
    }

    @Override
    public void close() throws SQLException {
      exec("drop table " + name);
    }
  }

  private static int update(DataSource ds, String sql, Object... parameters) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      return ps.executeUpdate();
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void read_duringMigration_returnsEncryptedAndPlaintextRowsAlike(Db db) throws Exception {
    try (Accounts a = new Accounts(db)) {
      JobReport report = a.encryptExisting(1L, 25L);

      assertThat(report.written()).isEqualTo(25);
      assertThat(a.raw(3)).allSatisfy(v -> assertThat(v).matches("rs1:.*|companion"));
      assertThat(a.raw(30)).containsExactly(Accounts.holder(30), Cards.number(30), Accounts.since(30).toString(),
          "no companion");
      assertThat(a.read(a.wrapped)).isEqualTo(Accounts.expected());
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void encryptExisting_wholeTable_noPlaintextRemainsAndModeOffReadsEveryRow(Db db) throws Exception {
    try (Accounts a = new Accounts(db)) {
      a.encryptExisting(null, 20L); // a first worker, then the rest: the job resumes from the data
      JobReport rest = a.encryptExisting(null, null);

      assertThat(rest.written()).isEqualTo(ROWS - 20);
      assertThat(rest.isComplete()).isTrue();
      assertThat(a.plaintextLeft()).isEmpty();
      assertThat(a.read(a.strict)).isEqualTo(Accounts.expected());
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void read_plaintextRowWithModeOff_failsClosed(Db db) throws Exception {
    try (Accounts a = new Accounts(db)) {
      Throwable thrown = catchThrowable(() -> a.read(a.strict));

      assertThat(thrown).isInstanceOf(SQLException.class).hasMessageContaining(a.name + ".holder")
          .hasMessageContaining("NULL").hasMessageNotContaining("Holder 1");
      assertThat(((SQLException) thrown).getSQLState()).isEqualTo("22R01");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void read_rowWithCompanionAndTamperedValue_failsInsteadOfFallingBackToPlaintext(Db db) throws Exception {
    try (Accounts a = new Accounts(db)) {
      a.encryptExisting(null, null);
      String sealed = a.raw(3).get(0);
      char[] flipped = sealed.toCharArray();
      flipped[12] = flipped[12] == 'A' ? 'B' : 'A';

      for (String bad : new String[] {"Holder 3", new String(flipped)}) {
        try (Connection c = a.raw.getConnection();
            PreparedStatement ps = c.prepareStatement(a.sql("update T set holder = ? where id = 3"))) {
          ps.setString(1, bad);
          ps.executeUpdate();
        }
        Throwable thrown = catchThrowable(() -> a.read(a.wrapped));
        assertThat(thrown).isInstanceOf(SQLException.class).hasMessageContaining(a.name + ".holder")
            .hasMessageContaining("row 3");
        assertThat(((SQLException) thrown).getSQLState()).isEqualTo("22R01");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void insert_duringMigration_writesOnlyCiphertext(Db db) throws Exception {
    try (Accounts a = new Accounts(db)) {
      try (Connection c = a.wrapped.getConnection();
          PreparedStatement ps = c.prepareStatement(a.sql("insert into T (id, holder, card_number, since) values (?, ?, ?, ?)"))) {
        ps.setLong(1, 100);
        ps.setString(2, "New Holder");
        ps.setString(3, "5500000000000004");
        ps.setObject(4, LocalDate.of(2024, 5, 6));
        ps.executeUpdate();
      }
      assertThat(a.raw(100)).allSatisfy(v -> assertThat(v).matches("rs1:.*|companion"));
      try (Connection c = a.strict.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(a.sql("select holder, since from T where id = 100"))) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("New Holder");
        assertThat(rs.getObject(2, LocalDate.class)).isEqualTo(LocalDate.of(2024, 5, 6));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void partialUpdate_plaintextRow_encryptsWholeRowUnderOneKey(Db db) throws Exception {
    try (Accounts a = new Accounts(db)) {
      assertThat(update(a.wrapped, a.sql("update T set holder = ? where id = ?"), "Changed", 7L)).isEqualTo(1);

      assertThat(a.raw(7)).allSatisfy(v -> assertThat(v).matches("rs1:.*|companion"));
      List<String> expected = Accounts.expected();
      expected.set(6, "7|Changed|" + Cards.number(7) + "|" + Accounts.since(7));
      assertThat(a.read(a.strict, 7, 7)).as("row 7 needs no adoption mode").containsExactly(expected.get(6));
      assertThat(a.read(a.wrapped)).isEqualTo(expected);
      assertThat(a.raw(8).get(3)).as("other rows untouched").isEqualTo("no companion");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void partialUpdateBatch_plaintextRows_encryptsEachWholeRow(Db db) throws Exception {
    try (Accounts a = new Accounts(db)) {
      try (Connection c = a.wrapped.getConnection();
          PreparedStatement ps = c.prepareStatement(a.sql("update T set card_number = ? where id = ?"))) {
        for (long id : new long[] {10, 11, 10}) {
          ps.setString(1, "55000000000000" + id);
          ps.setLong(2, id);
          ps.addBatch();
        }
        assertThat(ps.executeBatch()).containsExactly(1, 1, 1);
      }
      for (long id : new long[] {10, 11}) {
        assertThat(a.raw(id)).allSatisfy(v -> assertThat(v == null || v.startsWith("rs1:") || v.equals("companion"))
            .as("row %d: %s", id, v).isTrue());
      }
      List<String> expected = Accounts.expected();
      expected.set(9, "10|null|5500000000000010|" + Accounts.since(10));
      expected.set(10, "11|Holder 11|5500000000000011|" + Accounts.since(11));
      assertThat(a.read(a.wrapped)).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void partialUpdate_plaintextRowWithValueNotOfColumnType_failsAndChangesNothing(Db db) throws Exception {
    try (Accounts a = new Accounts(db)) {
      a.exec(a.sql("update T set since = 'not a date' where id = 4"));
      List<String> before = a.raw(4);

      Throwable thrown = catchThrowable(() -> update(a.wrapped, a.sql("update T set holder = ? where id = ?"), "X", 4L));

      assertThat(thrown).isInstanceOf(SQLException.class).hasMessageContaining(a.name + ".since")
          .hasMessageContaining("row 4").hasMessageNotContaining("not a date");
      assertThat(((SQLException) thrown).getSQLState()).isEqualTo("22R01");
      assertThat(a.raw(4)).isEqualTo(before);
    }
  }
}
