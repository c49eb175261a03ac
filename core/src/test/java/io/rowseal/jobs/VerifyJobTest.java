package io.rowseal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.jobs.RowFailure.Kind;
import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The verify job on real databases: clean tables verify, and each kind of damage is found where it is. */
class VerifyJobTest {
  private static final List<Map.Entry<String, DataSource>> CREATED =
      Collections.synchronizedList(new ArrayList<>());

  /** Remembers a table to drop after the test (the PostgreSQL database is shared). */
  private static String created(String table, DataSource ds) {
    CREATED.add(Map.entry(table, ds));
    return table;
  }

  @AfterEach
  void dropTables() throws SQLException {
    synchronized (CREATED) {
      for (Map.Entry<String, DataSource> e : CREATED) {
        try (Connection c = e.getValue().getConnection(); Statement s = c.createStatement()) {
          s.execute("drop table if exists " + e.getKey());
        }
      }
      CREATED.clear();
    }
  }

  private static final int ROWS = 250;
  private final AesGcmMasterKey k1 = AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32));
  private final AesGcmMasterKey k2 = AesGcmMasterKey.of(KeyRef.of("local:k2"), Randomness.nextBytes(32));

  private static DataSource db(String kind) {
    return kind.equals("postgres") ? TestDatabases.postgres() : TestDatabases.h2(TestDatabases.uniqueName("verify"));
  }

  private static EncryptedTable table(DataSource ds, String kind) throws SQLException {
    String name = created(TestDatabases.uniqueName("vf_cards"), ds);
    String bin = kind.equals("postgres") ? "bytea" : "varbinary(256)";
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + name + " (id bigint primary key, card_number " + bin + ", holder varchar(200), rowseal_dek "
          + bin + ")");
    }
    return EncryptedTable.builder(name).idColumns("id").column("card_number", String.class)
        .column("holder", String.class, StorageForm.TEXT).build();
  }

  private RowSeal rowSeal(EncryptedTable t) {
    return RowSeal.builder().keyRing(KeyRing.of(k1, k2)).table(t).build();
  }

  private static void insert(DataSource ds, RowSeal rowSeal, EncryptedTable t, long from, long to) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "insert into " + t.name() + " (id, card_number, holder, rowseal_dek) values (?, ?, ?, ?)")) {
      for (long id = from; id <= to; id++) {
        try (RowKey key = rowSeal.newRowKey(t, RowId.of(id))) {
          ps.setLong(1, id);
          ps.setBytes(2, key.encryptBinary(t.column("card_number"), "card-" + id));
          ps.setString(3, (String) key.encrypt(t.column("holder"), "holder " + id));
          ps.setBytes(4, key.companion());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  private static byte[] bytes(DataSource ds, EncryptedTable t, String column, long id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("select " + column + " from " + t.name() + " where id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBytes(1);
      }
    }
  }

  private static void set(DataSource ds, EncryptedTable t, String column, long id, Object value) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("update " + t.name() + " set " + column + " = ? where id = ?")) {
      ps.setObject(1, value);
      ps.setLong(2, id);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private JobReport verify(DataSource ds, EncryptedTable t, RowSeal rowSeal) throws SQLException {
    return VerifyJob.builder(ds, rowSeal, t).batchSize(40).build().run();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_cleanTable_verifiesEveryRowAndValue(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = table(ds, kind);
    RowSeal rowSeal = rowSeal(t);
    insert(ds, rowSeal, t, 1, ROWS);
    // a row whose encrypted values are all NULL may have no companion
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("insert into " + t.name() + " (id) values (" + (ROWS + 1) + ")");
    }
    List<Long> pages = new ArrayList<>();

    JobReport report = VerifyJob.builder(ds, rowSeal, t).batchSize(40).progress(r -> pages.add(r.scanned())).build().run();

    assertThat(report.isComplete()).as(report.failures().toString()).isTrue();
    assertThat(report.scanned()).isEqualTo(ROWS + 1);
    assertThat(report.processed()).isEqualTo(ROWS + 1);
    assertThat(report.values()).isEqualTo(2L * ROWS);
    assertThat(pages).hasSize(7).endsWith((long) ROWS + 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_corruptedValue_reportsItsRowColumnAndKey(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = table(ds, kind);
    RowSeal rowSeal = rowSeal(t);
    insert(ds, rowSeal, t, 1, ROWS);
    byte[] value = bytes(ds, t, "card_number", 77);
    value[value.length - 1] ^= 1;
    set(ds, t, "card_number", 77, value);

    JobReport report = verify(ds, t, rowSeal);

    assertThat(report.failures()).containsExactly(
        new RowFailure(t.name(), "card_number", "77", "local:k1", Kind.VALUE_AUTHENTICATION_FAILED));
    assertThat(report.failedRows()).isEqualTo(1);
    assertThat(report.values()).isEqualTo(2L * ROWS - 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_companionsSwappedBetweenRows_reportsBothRows(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = table(ds, kind);
    RowSeal rowSeal = rowSeal(t);
    insert(ds, rowSeal, t, 1, ROWS);
    byte[] of10 = bytes(ds, t, "rowseal_dek", 10);
    byte[] of200 = bytes(ds, t, "rowseal_dek", 200);
    set(ds, t, "rowseal_dek", 10, of200);
    set(ds, t, "rowseal_dek", 200, of10);

    JobReport report = verify(ds, t, rowSeal);

    assertThat(report.failures()).containsExactly(
        new RowFailure(t.name(), "rowseal_dek", "10", "local:k1", Kind.COMPANION_AUTHENTICATION_FAILED),
        new RowFailure(t.name(), "rowseal_dek", "200", "local:k1", Kind.COMPANION_AUTHENTICATION_FAILED));
    assertThat(report.failedRows()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_rowsWrappedByKeyMissingFromRing_reportsKeyUnavailable(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = table(ds, kind);
    AesGcmMasterKey lost = AesGcmMasterKey.of(KeyRef.of("local:lost"), Randomness.nextBytes(32));
    insert(ds, rowSeal(t), t, 1, 100);
    insert(ds, RowSeal.builder().keyRing(KeyRing.of(lost)).table(t).build(), t, 101, 102);

    JobReport report = verify(ds, t, rowSeal(t));

    assertThat(report.failures()).containsExactly(
        new RowFailure(t.name(), "rowseal_dek", "101", "local:lost", Kind.KEY_UNAVAILABLE),
        new RowFailure(t.name(), "rowseal_dek", "102", "local:lost", Kind.KEY_UNAVAILABLE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_encryptedValueWithoutCompanion_reportsMissingCompanion(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = table(ds, kind);
    RowSeal rowSeal = rowSeal(t);
    insert(ds, rowSeal, t, 1, 50);
    set(ds, t, "holder", 33, null);
    set(ds, t, "rowseal_dek", 33, null);

    JobReport report = verify(ds, t, rowSeal);

    assertThat(report.failures()).containsExactly(
        new RowFailure(t.name(), "card_number", "33", null, Kind.MISSING_COMPANION));
  }

  @Test
  void run_textValueMovedToAnotherRow_reportsValueFailure() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable t = table(ds, "h2");
    RowSeal rowSeal = rowSeal(t);
    insert(ds, rowSeal, t, 1, 20);
    String holderOf5;
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select holder from " + t.name() + " where id = 5")) {
      rs.next();
      holderOf5 = rs.getString(1);
    }
    set(ds, t, "holder", 6, holderOf5);

    JobReport report = verify(ds, t, rowSeal);

    assertThat(report.failures()).containsExactly(
        new RowFailure(t.name(), "holder", "6", "local:k1", Kind.VALUE_AUTHENTICATION_FAILED));
  }

  @Test
  void run_sampleFraction_verifiesAboutThatShareAndSkipsTheRest() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable t = table(ds, "h2");
    RowSeal rowSeal = rowSeal(t);
    insert(ds, rowSeal, t, 1, 1000);

    JobReport report = VerifyJob.builder(ds, rowSeal, t).sample(0.1).seed(42).build().run();

    assertThat(report.scanned()).isEqualTo(1000);
    assertThat(report.processed()).isBetween(50L, 150L);
    assertThat(report.processed() + report.skipped()).isEqualTo(1000);
    assertThat(report.values()).isEqualTo(2 * report.processed());
  }

  @Test
  void run_limit_stopsAfterThatManyRows() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable t = table(ds, "h2");
    RowSeal rowSeal = rowSeal(t);
    insert(ds, rowSeal, t, 1, ROWS);

    JobReport report = VerifyJob.builder(ds, rowSeal, t).batchSize(40).limit(55).build().run();

    assertThat(report.processed()).isEqualTo(55);
    assertThat(report.scanned()).isEqualTo(55);
  }

  @Test
  void run_compositeKey_verifiesAcrossPages() throws Exception {
    DataSource ds = db("h2");
    String name = created(TestDatabases.uniqueName("vf_lines"), ds);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + name + " (order_id bigint, line int, secret varbinary(256), rowseal_dek varbinary(256),"
          + " primary key (order_id, line))");
    }
    EncryptedTable t = EncryptedTable.builder(name).idColumns("order_id", "line").column("secret", String.class).build();
    RowSeal rowSeal = rowSeal(t);
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + name + " values (?, ?, ?, ?)")) {
      for (long order = 1; order <= 10; order++) {
        for (int line = 1; line <= 7; line++) {
          try (RowKey key = rowSeal.newRowKey(t, RowId.composite(order, line))) {
            ps.setLong(1, order);
            ps.setInt(2, line);
            ps.setBytes(3, key.encryptBinary(t.column("secret"), "s" + order + "/" + line));
            ps.setBytes(4, key.companion());
            ps.executeUpdate();
          }
        }
      }
    }

    JobReport report = VerifyJob.builder(ds, rowSeal, t).batchSize(9).build().run();

    assertThat(report.isComplete()).as(report.failures().toString()).isTrue();
    assertThat(report.processed()).isEqualTo(70);
  }

  @Test
  void failure_toString_namesPlaceAndKindOnly() {
    RowFailure failure = new RowFailure("cards", "cvv", "42", "local:k1", Kind.VALUE_AUTHENTICATION_FAILED);

    assertThat(failure).hasToString("cards.cvv row 42 (key local:k1): VALUE_AUTHENTICATION_FAILED");
  }
}
