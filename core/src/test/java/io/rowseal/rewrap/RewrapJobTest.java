package io.rowseal.rewrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.format.WrappedDataKey;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The re-wrap job on real databases: only companions change, every row still opens with its data, a
 * killed run is finished by a rerun, and a row the application rewrote meanwhile is left alone.
 */
class RewrapJobTest {
  private static final int ROWS = 2_500;
  private final AesGcmMasterKey k1 = AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32));
  private final AesGcmMasterKey k2 = AesGcmMasterKey.of(KeyRef.of("local:k2"), Randomness.nextBytes(32));

  private static DataSource db(String kind) {
    return kind.equals("postgres") ? TestDatabases.postgres() : TestDatabases.h2(TestDatabases.uniqueName("rewrap"));
  }

  private EncryptedTable table(DataSource ds, String kind) throws SQLException {
    String name = TestDatabases.uniqueName("rw_cards");
    String bin = kind.equals("postgres") ? "bytea" : "varbinary(256)";
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + name + " (id bigint primary key, card_number " + bin + ", rowseal_dek " + bin + ")");
    }
    return EncryptedTable.builder(name).idColumns("id").column("card_number", String.class).build();
  }

  private static RowSeal rowSeal(EncryptedTable t, AesGcmMasterKey active, AesGcmMasterKey other) {
    return RowSeal.builder().keyRing(KeyRing.of(active, other)).table(t).build();
  }

  private static void insert(DataSource ds, RowSeal rowSeal, EncryptedTable t, int rows) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + t.name() + " (id, card_number, rowseal_dek) values (?, ?, ?)")) {
      for (long id = 1; id <= rows; id++) {
        try (RowKey key = rowSeal.newRowKey(t, RowId.of(id))) {
          ps.setLong(1, id);
          ps.setBytes(2, key.encryptBinary(t.column("card_number"), "card-" + id));
          ps.setBytes(3, key.companion());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  private static List<byte[]> column(DataSource ds, EncryptedTable t, String column) throws SQLException {
    List<byte[]> out = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select " + column + " from " + t.name() + " order by id")) {
      while (rs.next()) {
        out.add(rs.getBytes(1));
      }
    }
    return out;
  }

  /** Opens every row with {@code rowSeal} and checks its value; returns the rows per key reference. */
  private static void assertAllOpen(DataSource ds, RowSeal rowSeal, EncryptedTable t) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, card_number, rowseal_dek from " + t.name() + " order by id")) {
      int n = 0;
      while (rs.next()) {
        long id = rs.getLong(1);
        try (RowKey key = rowSeal.openRowKey(t, RowId.of(id), rs.getBytes(3))) {
          assertThat(key.decrypt(t.column("card_number"), rs.getBytes(2), String.class)).isEqualTo("card-" + id);
        }
        n++;
      }
      assertThat(n).isEqualTo(ROWS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_rowsUnderOldKey_movesEveryCompanionAndNoDataColumn(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = table(ds, kind);
    insert(ds, rowSeal(t, k1, k2), t, ROWS);
    List<byte[]> dataBefore = column(ds, t, "card_number");
    RowSeal rotated = rowSeal(t, k2, k1);

    RewrapReport report = RewrapJob.builder(ds, rotated, t).batchSize(300).build().run();

    assertThat(report.rewrapped()).isEqualTo(ROWS);
    assertThat(report.failed()).isZero();
    assertThat(column(ds, t, "card_number")).usingRecursiveComparison().isEqualTo(dataBefore);
    assertThat(KeyStatus.count(ds, t)).isEqualTo(Map.of("local:k2", (long) ROWS));
    for (byte[] companion : column(ds, t, "rowseal_dek")) {
      assertThat(WrappedDataKey.decode(companion).keyRef()).isEqualTo(k2.ref());
    }
    // k1 can now be dropped from the ring: every row opens with k2 alone
    assertAllOpen(ds, RowSeal.builder().keyRing(KeyRing.of(k2)).table(t).build(), t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_killedAfterSomePages_rerunFinishesAndSkipsDoneRows(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = table(ds, kind);
    insert(ds, rowSeal(t, k1, k2), t, ROWS);
    RowSeal rotated = rowSeal(t, k2, k1);
    RuntimeException kill = new RuntimeException("killed");
    int[] pages = {0};

    try {
      RewrapJob.builder(ds, rotated, t).batchSize(500).progress(r -> {
        if (++pages[0] == 2) {
          throw kill;
        }
      }).build().run();
    } catch (RuntimeException e) {
      assertThat(e).isSameAs(kill);
    }
    Map<String, Long> midway = KeyStatus.count(ds, t);
    assertThat(midway.get("local:k2")).isEqualTo(1000L);
    assertThat(midway.get("local:k1")).isEqualTo((long) ROWS - 1000);
    assertAllOpen(ds, rotated, t);

    RewrapReport rerun = RewrapJob.builder(ds, rotated, t).batchSize(500).build().run();

    assertThat(rerun.alreadyActive()).isEqualTo(1000);
    assertThat(rerun.rewrapped()).isEqualTo(ROWS - 1000);
    assertThat(KeyStatus.count(ds, t)).isEqualTo(Map.of("local:k2", (long) ROWS));
    assertAllOpen(ds, rotated, t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_rowRewrittenByApplicationMeanwhile_isLeftAsWritten(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = table(ds, kind);
    insert(ds, rowSeal(t, k1, k2), t, ROWS);
    RowSeal rotated = rowSeal(t, k2, k1);
    boolean[] done = {false};

    // Between the job's read of the first page and its write, the application rewrites row 700 with a
    // fresh data key (as RowSeal's JDBC wrapper does for a full update).
    RewrapReport report = RewrapJob.builder(ds, rotated, t).batchSize(1000).beforeWrite(() -> {
      if (!done[0]) {
        done[0] = true;
        try (Connection c = ds.getConnection();
            PreparedStatement ps = c.prepareStatement("update " + t.name() + " set card_number = ?, rowseal_dek = ? where id = 700");
            RowKey key = rotated.newRowKey(t, RowId.of(700))) {
          ps.setBytes(1, key.encryptBinary(t.column("card_number"), "card-700"));
          ps.setBytes(2, key.companion());
          ps.executeUpdate();
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    }).build().run();

    assertThat(report.changedMeanwhile()).isEqualTo(1);
    assertThat(report.rewrapped()).isEqualTo(ROWS - 1);
    assertThat(report.failed()).isZero();
    assertThat(report.rewrapped() + report.alreadyActive() + report.changedMeanwhile()).isEqualTo(ROWS);
    assertThat(KeyStatus.count(ds, t)).isEqualTo(Map.of("local:k2", (long) ROWS));
    assertAllOpen(ds, rotated, t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_unknownKeyOnSomeRows_reportsThemAndMovesTheRest(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = table(ds, kind);
    AesGcmMasterKey lost = AesGcmMasterKey.of(KeyRef.of("local:lost"), Randomness.nextBytes(32));
    insert(ds, rowSeal(t, k1, k2), t, ROWS);
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("update " + t.name() + " set card_number = ?, rowseal_dek = ? where id = 5")) {
      RowSeal withLost = rowSeal(t, lost, k1);
      try (RowKey key = withLost.newRowKey(t, RowId.of(5))) {
        ps.setBytes(1, key.encryptBinary(t.column("card_number"), "card-5"));
        ps.setBytes(2, key.companion());
        ps.executeUpdate();
      }
    }

    RewrapReport report = RewrapJob.builder(ds, rowSeal(t, k2, k1), t).build().run();

    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.isComplete()).isFalse();
    assertThat(report.failures()).singleElement().asString().contains("row 5").contains("local:lost");
    assertThat(KeyStatus.count(ds, t)).containsEntry("local:lost", 1L).containsEntry("local:k2", (long) ROWS - 1);
  }
}
