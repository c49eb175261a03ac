package io.rowseal.key.kek;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.errors.DecryptionFailedException;
import io.rowseal.EncryptedTable;
import io.rowseal.errors.KeyUnavailableException;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.key.CountingMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hierarchical mode on real databases: KEKs in rowseal_kek, wrapped by the master key, rotated by age and count. */
class KekHierarchyTest {
  private final EncryptedTable cards = EncryptedTable.builder("cards").idColumns("id").column("card_number", String.class).build();
  private final CountingMasterKey kms1 = CountingMasterKey.remote("aws-kms:arn:aws:kms:us-east-1:111122223333:key/one");
  private final CountingMasterKey kms2 = CountingMasterKey.remote("aws-kms:arn:aws:kms:us-east-1:111122223333:key/two");

  /** A database of its own for rowseal_kek's fixed name: a fresh H2 database, or a fresh schema. */
  static DataSource isolated(String kind) {
    String name = TestDatabases.uniqueName("kek");
    switch (kind) {
      case "h2":
        return TestDatabases.h2(name);
      case "postgres":
        return TestDatabases.postgresSchema(name);
      case "mariadb":
        return TestDatabases.mariadbDatabase(name);
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  /** A migrated store that prepares the next KEK on the writer's thread, so rotation points are exact. */
  private static KekStore store(DataSource ds, KekStore.Builder settings) {
    KekStore store = settings.refreshExecutor(Runnable::run).build();
    store.migrate();
    return store;
  }

  private RowSeal rowSeal(KekStore store, CountingMasterKey active, CountingMasterKey... others) {
    return RowSeal.builder().keyRing(KeyRing.of(active, others)).hierarchical(store).table(cards).build();
  }

  private static byte[][] write(RowSeal rowSeal, EncryptedTable t, long id, String value) {
    try (RowKey key = rowSeal.newRowKey(t, RowId.of(id))) {
      return new byte[][] {key.companion(), key.encryptBinary(t.column("card_number"), value)};
    }
  }

  private static String read(RowSeal rowSeal, EncryptedTable t, long id, byte[][] row) {
    try (RowKey key = rowSeal.openRowKey(t, RowId.of(id), row[0])) {
      return key.decrypt(t.column("card_number"), row[1], String.class);
    }
  }

  static int kekRows(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from rowseal_kek")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres", "mariadb"})
  void newRowKey_manyRows_oneKekAndOneMasterKeyCall(String kind) throws SQLException {
    DataSource ds = isolated(kind);
    RowSeal rowSeal = rowSeal(store(ds, KekStore.builder(ds)), kms1);
    List<byte[][]> rows = new ArrayList<>();
    for (long id = 1; id <= 2_000; id++) {
      rows.add(write(rowSeal, cards, id, "card-" + id));
    }
    assertThat(kekRows(ds)).isEqualTo(1);
    assertThat(WrappedDataKey.decode(rows.get(0)[0]).keyRef().scheme()).isEqualTo("kek");
    // A second process: one unwrap of the KEK, then every row opens locally.
    RowSeal reader = rowSeal(KekStore.builder(ds).build(), kms1);
    for (long id = 1; id <= 2_000; id++) {
      assertThat(read(reader, cards, id, rows.get((int) id - 1))).isEqualTo("card-" + id);
    }
    assertThat(kms1.wraps.get()).isEqualTo(1);
    assertThat(kms1.unwraps.get()).isEqualTo(1);
  }

  @Test
  void migrate_twice_noError() throws SQLException {
    DataSource ds = isolated("h2");
    KekStore store = store(ds, KekStore.builder(ds));
    store.migrate();
    assertThat(kekRows(ds)).isZero();
  }

  @Test
  void active_maxWrapsReached_newKek() throws SQLException {
    DataSource ds = isolated("h2");
    RowSeal rowSeal = rowSeal(store(ds, KekStore.builder(ds).maxWraps(100)), kms1);
    Set<String> keks = new TreeSet<>();
    List<byte[][]> rows = new ArrayList<>();
    for (long id = 1; id <= 250; id++) {
      byte[][] row = write(rowSeal, cards, id, "v" + id);
      rows.add(row);
      keks.add(WrappedDataKey.decode(row[0]).keyRef().toString());
    }
    assertThat(keks).hasSize(3);
    assertThat(kekRows(ds)).isEqualTo(3);
    for (long id = 1; id <= 250; id++) {
      assertThat(read(rowSeal, cards, id, rows.get((int) id - 1))).isEqualTo("v" + id);
    }
  }

  @Test
  void active_twoProcesses_shareTheWrapBudget() throws SQLException {
    DataSource ds = isolated("h2");
    KekStore store = store(ds, KekStore.builder(ds).maxWraps(100));
    RowSeal a = rowSeal(store, kms1);
    RowSeal b = rowSeal(KekStore.builder(ds).maxWraps(100).build(), kms1);
    write(a, cards, 1, "x"); // a makes KEK 1 and reserves all 100 wraps of it
    byte[][] fromB = write(b, cards, 2, "y");
    // b cannot reserve wraps of KEK 1 (budget gone), so it makes KEK 2.
    assertThat(kekRows(ds)).isEqualTo(2);
    assertThat(read(a, cards, 2, fromB)).isEqualTo("y");
  }

  @Test
  void active_olderThanMaxAge_newKek() throws SQLException {
    DataSource ds = isolated("h2");
    MutableClock clock = new MutableClock();
    RowSeal rowSeal = rowSeal(store(ds, KekStore.builder(ds).maxAge(Duration.ofDays(30)).clock(clock)), kms1);
    byte[][] old = write(rowSeal, cards, 1, "old");
    clock.advance(Duration.ofDays(31));
    byte[][] fresh = write(rowSeal, cards, 2, "new");
    assertThat(WrappedDataKey.decode(fresh[0]).keyRef()).isNotEqualTo(WrappedDataKey.decode(old[0]).keyRef());
    assertThat(kekRows(ds)).isEqualTo(2);
    assertThat(read(rowSeal, cards, 1, old)).isEqualTo("old");
  }

  @Test
  void masterRotation_newWritesUseNewKek_rewrapKeksMovesOnlyKekRows() throws SQLException {
    DataSource ds = isolated("h2");
    KekStore store = store(ds, KekStore.builder(ds));
    byte[][] old = write(rowSeal(store, kms1), cards, 1, "old");
    RowSeal rotated = rowSeal(store, kms2, kms1);
    byte[][] fresh = write(rotated, cards, 2, "new");
    assertThat(store.status()).containsOnlyKeys(kms1.ref().toString(), kms2.ref().toString());

    assertThat(store.rewrapKeks(KeyRing.of(kms2, kms1))).isEqualTo(1);
    assertThat(store.rewrapKeks(KeyRing.of(kms2, kms1))).isZero();
    assertThat(store.status()).containsOnlyKeys(kms2.ref().toString());

    // kms1 can now be retired: a ring without it still opens every row, old and new.
    RowSeal withoutOld = rowSeal(KekStore.builder(ds).build(), kms2);
    assertThat(read(withoutOld, cards, 1, old)).isEqualTo("old");
    assertThat(read(withoutOld, cards, 2, fresh)).isEqualTo("new");
    assertThat(kms1.unwraps.get()).isEqualTo(1); // rewrapKeks opened the one KEK under kms1
  }

  @Test
  void openRowKey_kekWrapMovedToAnotherKekRow_failsNamingTheKek() throws SQLException {
    DataSource ds = isolated("h2");
    RowSeal writer = rowSeal(store(ds, KekStore.builder(ds).maxWraps(1)), kms1);
    byte[][] first = write(writer, cards, 1, "a");
    byte[][] second = write(writer, cards, 2, "b"); // maxWraps 1: under a second KEK
    KeyRef kek1 = WrappedDataKey.decode(first[0]).keyRef();
    KeyRef kek2 = WrappedDataKey.decode(second[0]).keyRef();
    assertThat(kek2).isNotEqualTo(kek1);
    try (Connection c = ds.getConnection();
        var ps = c.prepareStatement("update rowseal_kek set wrapped_kek = (select wrapped_kek from rowseal_kek where id = ?) where id = ?")) {
      ps.setString(1, kek1.toString().substring(4));
      ps.setString(2, kek2.toString().substring(4));
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    RowSeal reader = rowSeal(KekStore.builder(ds).build(), kms1);
    assertThat(read(reader, cards, 1, first)).isEqualTo("a");
    assertThatThrownBy(() -> read(reader, cards, 2, second))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContaining(kek2.toString())
        .hasMessageContaining("row 2");
  }

  @Test
  void openRowKey_kekMissingFromTable_keyUnavailableNamingIt() throws SQLException {
    DataSource ds = isolated("h2");
    RowSeal rowSeal = rowSeal(store(ds, KekStore.builder(ds)), kms1);
    byte[][] row = write(rowSeal, cards, 1, "a");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("delete from rowseal_kek");
    }
    KeyRef kek = WrappedDataKey.decode(row[0]).keyRef();
    RowSeal reader = rowSeal(KekStore.builder(ds).build(), kms1);
    assertThatThrownBy(() -> read(reader, cards, 1, row))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining(kek.toString())
        .hasMessageContaining("rowseal_kek");
  }

  @Test
  void openRowKey_kekWrapTampered_failsClosed() throws SQLException {
    DataSource ds = isolated("h2");
    RowSeal rowSeal = rowSeal(store(ds, KekStore.builder(ds)), kms1);
    byte[][] row = write(rowSeal, cards, 1, "a");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, wrapped_kek from rowseal_kek")) {
      rs.next();
      byte[] wrapped = rs.getBytes(2);
      wrapped[wrapped.length - 1] ^= 1;
      try (var ps = c.prepareStatement("update rowseal_kek set wrapped_kek = ? where id = ?")) {
        ps.setBytes(1, wrapped);
        ps.setString(2, rs.getString(1));
        ps.executeUpdate();
      }
    }
    RowSeal reader = rowSeal(KekStore.builder(ds).build(), kms1);
    assertThatThrownBy(() -> read(reader, cards, 1, row))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContaining(WrappedDataKey.decode(row[0]).keyRef().toString())
        .hasMessageContaining(kms1.ref().toString());
  }

  @Test
  void openRowKey_directModeRow_stillReadableInHierarchicalMode() throws SQLException {
    DataSource ds = isolated("h2");
    byte[][] direct = write(RowSeal.builder().keyRing(KeyRing.of(kms1)).table(cards).build(), cards, 1, "direct");
    RowSeal hierarchical = rowSeal(store(ds, KekStore.builder(ds)), kms1);
    assertThat(read(hierarchical, cards, 1, direct)).isEqualTo("direct");
  }

  @Test
  void kmsOutage_cachedKekKeepsReadsAndWritesGoing_coldProcessFails() throws SQLException {
    DataSource ds = isolated("h2");
    KekStore store = store(ds, KekStore.builder(ds));
    RowSeal warm = rowSeal(store, kms1);
    byte[][] row = write(warm, cards, 1, "a");
    kms1.unreachable = true;
    assertThat(read(warm, cards, 1, row)).isEqualTo("a");
    assertThat(read(warm, cards, 2, write(warm, cards, 2, "b"))).isEqualTo("b");
    RowSeal cold = rowSeal(KekStore.builder(ds).build(), kms1);
    assertThatThrownBy(() -> read(cold, cards, 1, row))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining(kms1.ref().toString());
  }

  @Test
  void kmsOutageLongerThanTheKekCache_activeKekPinned_writesAndNewestRowsReadable() throws Exception {
    DataSource ds = isolated("h2");
    RowSeal warm = rowSeal(store(ds, KekStore.builder(ds).cache(Duration.ofMillis(20), 10)), kms1);
    byte[][] row = write(warm, cards, 1, "a");
    long unwrapsBefore = kms1.unwraps.get();
    kms1.unreachable = true;
    Thread.sleep(300); // well past the KEK cache's time to live: the cached KEK has expired

    assertThat(read(warm, cards, 2, write(warm, cards, 2, "b"))).isEqualTo("b");
    assertThat(read(warm, cards, 1, row)).isEqualTo("a");
    assertThat(kms1.unwraps.get()).isEqualTo(unwrapsBefore);
  }

  @Test
  void builder_invalidSettings_rejected() throws SQLException {
    DataSource ds = isolated("h2");
    assertThatThrownBy(() -> KekStore.builder(ds).maxWraps(0)).hasMessageContaining("maxWraps");
    assertThatThrownBy(() -> KekStore.builder(ds).maxAge(Duration.ZERO)).hasMessageContaining("maxAge");
    assertThatThrownBy(() -> KekStore.builder(ds).cache(Duration.ofMinutes(1), 0)).hasMessageContaining("maximumSize");
  }

  @Test
  void toString_namesKeysOnly() throws SQLException {
    DataSource ds = isolated("h2");
    RowSeal rowSeal = rowSeal(store(ds, KekStore.builder(ds)), kms1);
    write(rowSeal, cards, 1, "a");
    assertThat(rowSeal.toString()).startsWith("RowSeal[hierarchical, KekHierarchy[active=kek:")
        .contains(kms1.ref().toString());
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
