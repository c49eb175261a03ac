package io.rowseal.jobs;

import io.rowseal.key.local.LocalKeystoreFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.local.KeystorePassword;
import io.rowseal.key.local.LocalKeystore;
import io.rowseal.testsupport.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retirement against real keystore files and real databases: refused while any row needs the key. */
class KeyRetirementTest {
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

  private static final char[] PASSWORD = "test-only-password".toCharArray();
  private static final KeyRef K1 = KeyRef.of("local:k1");
  private static final KeyRef K2 = KeyRef.of("local:k2");

  @TempDir Path dir;
  private Path keystorePath;

  @BeforeEach
  void keystoreWithK1AndK2() {
    keystorePath = dir.resolve("rowseal.p12");
    try (LocalKeystoreFile file = LocalKeystoreFile.create(keystorePath, PASSWORD, "k1")) {
      file.addKey("k2");
    }
  }

  private LocalKeystore keystore() {
    return LocalKeystore.open(keystorePath, KeystorePassword.of(PASSWORD));
  }

  private static DataSource db(String kind) {
    return kind.equals("postgres") ? TestDatabases.postgres() : TestDatabases.h2(TestDatabases.uniqueName("retire"));
  }

  private static EncryptedTable table(DataSource ds, String kind) throws SQLException {
    String name = created(TestDatabases.uniqueName("rt_cards"), ds);
    String bin = kind.equals("postgres") ? "bytea" : "varbinary(256)";
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + name + " (id bigint primary key, card_number " + bin + ", rowseal_dek " + bin + ")");
    }
    return EncryptedTable.builder(name).idColumns("id").column("card_number", String.class).build();
  }

  private static void insert(DataSource ds, RowSeal rowSeal, EncryptedTable t, long from, long to) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + t.name() + " (id, card_number, rowseal_dek) values (?, ?, ?)")) {
      for (long id = from; id <= to; id++) {
        try (RowKey key = rowSeal.newRowKey(t, RowId.of(id))) {
          ps.setLong(1, id);
          ps.setBytes(2, key.encryptBinary(t.column("card_number"), "card-" + id));
          ps.setBytes(3, key.companion());
          ps.executeUpdate();
        }
      }
    }
  }

  private RowSeal on(String alias, EncryptedTable... tables) {
    RowSeal.Builder b = RowSeal.builder().keyRing(keystore().keyRing(alias));
    for (EncryptedTable t : tables) {
      b.table(t);
    }
    return b.build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void retireFrom_rowsStillOnKey_refusesWithCountPerTableAndKeepsEntry(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable cards = table(ds, kind);
    EncryptedTable other = table(ds, kind);
    insert(ds, on("k1", cards), cards, 1, 3);
    insert(ds, on("k2", cards), cards, 4, 5);
    insert(ds, on("k2", other), other, 1, 2);
    byte[] before = Files.readAllBytes(keystorePath);

    RetirementCheck check;
    try (LocalKeystoreFile file = LocalKeystoreFile.open(keystorePath, PASSWORD)) {
      check = KeyRetirement.builder(ds, K1).tables(List.of(cards, other)).activeKey(K2).build().retireFrom(file);
    }

    assertThat(check.isSafe()).isFalse();
    assertThat(check.isRetired()).isFalse();
    assertThat(check.rowsByTable()).isEqualTo(Map.of(cards.name(), 3L, other.name(), 0L));
    assertThat(check.reasons()).containsExactly(cards.name() + ": 3 rows wrapped by local:k1 (run rewrap)");
    assertThat(Files.readAllBytes(keystorePath)).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void retireFrom_noRowOnKeyAfterRewrap_deletesEntryAndRowsStillOpen(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable cards = table(ds, kind);
    insert(ds, on("k1", cards), cards, 1, 3);
    RowSeal onK2 = on("k2", cards);
    assertThat(RewrapJob.builder(ds, onK2, cards).build().run().isComplete()).isTrue();

    RetirementCheck check;
    try (LocalKeystoreFile file = LocalKeystoreFile.open(keystorePath, PASSWORD)) {
      check = KeyRetirement.builder(ds, K1).tables(List.of(cards)).activeKey(K2).build().retireFrom(file);
    }

    assertThat(check.isRetired()).as(check.reasons().toString()).isTrue();
    assertThat(keystore().aliases()).containsExactly("k2");
    RowSeal k2Only = on("k2", cards);
    assertThat(VerifyJob.builder(ds, k2Only, cards).build().run().processed()).isEqualTo(3);
    assertThat(VerifyJob.builder(ds, k2Only, cards).build().run().isComplete()).isTrue();
  }

  @Test
  void retireFrom_activeKey_refusesEvenWithoutRows() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable cards = table(ds, "h2");

    RetirementCheck check;
    try (LocalKeystoreFile file = LocalKeystoreFile.open(keystorePath, PASSWORD)) {
      check = KeyRetirement.builder(ds, K2).tables(List.of(cards)).activeKey(K2).build().retireFrom(file);
    }

    assertThat(check.isRetired()).isFalse();
    assertThat(check.reasons()).containsExactly("local:k2 is the active key: activate another key first");
    assertThat(keystore().aliases()).containsExactly("k1", "k2");
  }

  @Test
  void check_unreadableCompanion_refusesBecauseItMightNeedTheKey() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable cards = table(ds, "h2");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("insert into " + cards.name() + " (id, card_number, rowseal_dek) values (1, X'01', X'7f0000')");
    }

    RetirementCheck check = KeyRetirement.builder(ds, K1).tables(List.of(cards)).activeKey(K2).build().check();

    assertThat(check.isSafe()).isFalse();
    assertThat(check.unreadableByTable()).isEqualTo(Map.of(cards.name(), 1L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void check_kekTableHoldsKekWrappedByKey_refuses(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable cards = table(ds, kind);
    String kek = created(TestDatabases.uniqueName("rt_kek"), ds);
    String bin = kind.equals("postgres") ? "bytea" : "varbinary(256)";
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + kek + " (id varchar(36) primary key, wrapped_kek " + bin + ")");
    }
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + kek + " values (?, ?)")) {
      ps.setString(1, "0b7c2f8e-0000-4000-8000-000000000001");
      ps.setBytes(2, WrappedDataKey.encode(K1, false, new byte[60]));
      ps.executeUpdate();
    }

    RetirementCheck k1 = KeyRetirement.builder(ds, K1).tables(List.of(cards)).kekTable(kek, "wrapped_kek").build().check();
    RetirementCheck k2 = KeyRetirement.builder(ds, K2).tables(List.of(cards)).kekTable(kek, "wrapped_kek").build().check();

    assertThat(k1.kekTableChecked()).isTrue();
    assertThat(k1.rowsByTable()).containsEntry(kek, 1L);
    assertThat(k1.isSafe()).isFalse();
    assertThat(k2.rowsByTable()).containsEntry(kek, 0L);
    assertThat(k2.isSafe()).isTrue();
  }

  @Test
  void check_noKekTable_skipsItAndIsSafe() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable cards = table(ds, "h2");

    RetirementCheck check = KeyRetirement.builder(ds, K1).tables(List.of(cards)).activeKey(K2).build().check();

    assertThat(check.kekTableChecked()).isFalse();
    assertThat(check.rowsByTable()).containsOnlyKeys(cards.name());
    assertThat(check.isSafe()).isTrue();
  }

  @Test
  void check_kekTableWithoutExpectedColumn_refuses() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable cards = table(ds, "h2");
    String kek = created(TestDatabases.uniqueName("rt_kek"), ds);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + kek + " (id varchar(36) primary key, something_else varbinary(100))");
    }

    RetirementCheck check = KeyRetirement.builder(ds, K1).tables(List.of(cards)).kekTable(kek, "wrapped_kek").build().check();

    assertThat(check.isSafe()).isFalse();
    assertThat(check.reasons()).singleElement().asString().contains(kek, "wrapped_kek");
  }

  @Test
  void keystoreFile_create_writesOwnerOnlyFileThatLocalKeystoreOpens() throws Exception {
    Path file = dir.resolve("new.p12");

    try (LocalKeystoreFile created = LocalKeystoreFile.create(file, PASSWORD, "first")) {
      assertThat(created.entries()).extracting(LocalKeystoreFile.Entry::alias).containsExactly("first");
    }

    assertThat(LocalKeystore.open(file, KeystorePassword.of(PASSWORD)).aliases()).containsExactly("first");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void keystoreFile_createOverExistingFile_refusesAndLeavesItUnchanged() throws Exception {
    byte[] before = Files.readAllBytes(keystorePath);

    assertThatThrownBy(() -> LocalKeystoreFile.create(keystorePath, PASSWORD, "k9"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exists already");
    assertThat(Files.readAllBytes(keystorePath)).isEqualTo(before);
  }

  @Test
  void keystoreFile_addKey_newestEntryListedLastWithCreationDate() {
    try (LocalKeystoreFile file = LocalKeystoreFile.open(keystorePath, PASSWORD)) {
      file.addKey("k3");

      assertThat(file.entries()).extracting(LocalKeystoreFile.Entry::alias).endsWith("k3").contains("k1", "k2");
      assertThat(file.entries().get(2).created()).isAfter(java.time.Instant.now().minusSeconds(60));
    }
    assertThat(keystore().masterKey("k3").ref()).isEqualTo(KeyRef.of("local:k3"));
  }

  @Test
  void keystoreFile_addExistingAlias_refuses() {
    try (LocalKeystoreFile file = LocalKeystoreFile.open(keystorePath, PASSWORD)) {
      assertThatThrownBy(() -> file.addKey("k1")).isInstanceOf(IllegalStateException.class).hasMessageContaining("'k1'");
    }
  }

  @Test
  void keystoreFile_removeLastKey_refuses() {
    Path single = dir.resolve("single.p12");
    try (LocalKeystoreFile file = LocalKeystoreFile.create(single, PASSWORD, "only")) {
      assertThatThrownBy(() -> file.removeKey("only")).isInstanceOf(IllegalStateException.class).hasMessageContaining("last key");
    }
  }

  @Test
  void keystoreFile_openWithWrongPassword_failsWithoutShowingIt() {
    assertThatThrownBy(() -> LocalKeystoreFile.open(keystorePath, "wrong-password".toCharArray()))
        .isInstanceOf(KeyUnavailableException.class).hasMessageContaining("password is wrong")
        .hasMessageNotContaining("wrong-password");
  }
}
