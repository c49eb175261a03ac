package io.rowseal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.CountingMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

  private final List<Map.Entry<DataSource, String>> created = new ArrayList<>();

  @AfterEach
  void dropTables() throws SQLException {
    for (Map.Entry<DataSource, String> table : created) {
      drop(table.getKey(), table.getValue());
    }
  }

  private static DataSource db(String kind) {
    switch (kind) {
      case "postgres":
        return TestDatabases.postgres();
      case "mariadb":
        return TestDatabases.mariadb();
      default:
        return TestDatabases.h2(TestDatabases.uniqueName("rewrap"));
    }
  }

  private static String bin(String kind) {
    return kind.equals("postgres") ? "bytea" : "varbinary(256)";
  }

  private EncryptedTable table(DataSource ds, String kind) throws SQLException {
    String name = TestDatabases.uniqueName("rw_cards");
    String bin = bin(kind);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + name + " (id bigint primary key, card_number " + bin + ", rowseal_dek " + bin + ")");
    }
    created.add(Map.entry(ds, name));
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

    JobReport report = RewrapJob.builder(ds, rotated, t).batchSize(300).build().run();

    assertThat(report.written()).isEqualTo(ROWS);
    assertThat(report.failedRows()).isZero();
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

    JobReport rerun = RewrapJob.builder(ds, rotated, t).batchSize(500).build().run();

    assertThat(rerun.unchanged()).isEqualTo(1000);
    assertThat(rerun.written()).isEqualTo(ROWS - 1000);
    assertThat(KeyStatus.count(ds, t)).isEqualTo(Map.of("local:k2", (long) ROWS));
    assertAllOpen(ds, rotated, t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres", "mariadb", "h2-no-update-counts"})
  void run_rowRewrittenByApplicationMeanwhile_isLeftAsWritten(String kind) throws Exception {
    // h2-no-update-counts: a driver that answers executeBatch with SUCCESS_NO_INFO, as some do
    DataSource ds = kind.equals("h2-no-update-counts") ? withoutUpdateCounts(db("h2")) : db(kind);
    EncryptedTable t = table(ds, kind);
    insert(ds, rowSeal(t, k1, k2), t, ROWS);
    RowSeal rotated = rowSeal(t, k2, k1);
    boolean[] done = {false};

    // Between the job's read of the first page and its write, the application rewrites row 700 with a
    // fresh data key (as RowSeal's JDBC wrapper does for a full update).
    JobReport report = RewrapJob.builder(ds, rotated, t).batchSize(1000).build().runWithHooks(PageHooks.beforeWrite(() -> {
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
    }));

    assertThat(report.changedMeanwhile()).isEqualTo(1);
    assertThat(report.written()).isEqualTo(ROWS - 1);
    assertThat(report.failedRows()).isZero();
    assertThat(report.written() + report.unchanged() + report.changedMeanwhile()).isEqualTo(ROWS);
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

    JobReport report = RewrapJob.builder(ds, rowSeal(t, k2, k1), t).build().run();

    assertThat(report.failedRows()).isEqualTo(1);
    assertThat(report.isComplete()).isFalse();
    assertThat(report.failures()).singleElement().asString().contains("row 5").contains("local:lost");
    assertThat(KeyStatus.count(ds, t)).containsEntry("local:lost", 1L).containsEntry("local:k2", (long) ROWS - 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres", "mariadb"})
  void run_compositePrimaryKey_movesEveryRowAndEachOpens(String kind) throws Exception {
    DataSource ds = db(kind);
    String name = TestDatabases.uniqueName("rw_composite");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + name + " (tenant varchar(20) not null, seq int not null, card_number " + bin(kind)
          + ", rowseal_dek " + bin(kind) + ", primary key (tenant, seq))");
    }
    created.add(Map.entry(ds, name));
    EncryptedTable t = EncryptedTable.builder(name).idColumns("tenant", "seq").column("card_number", String.class).build();
    RowSeal old = rowSeal(t, k1, k2);
    // tenants chosen so that pages end in the middle of a tenant: the row-value comparison must carry on within it
    String[] tenants = {"acme", "bolt", "zeta"};
    int perTenant = 70;
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + name + " (tenant, seq, card_number, rowseal_dek) values (?, ?, ?, ?)")) {
      for (String tenant : tenants) {
        for (int seq = 1; seq <= perTenant; seq++) {
          try (RowKey key = old.newRowKey(t, RowId.composite(tenant, seq))) {
            ps.setString(1, tenant);
            ps.setInt(2, seq);
            ps.setBytes(3, key.encryptBinary(t.column("card_number"), tenant + "/" + seq));
            ps.setBytes(4, key.companion());
            ps.addBatch();
          }
        }
      }
      ps.executeBatch();
    }
    JobReport report = RewrapJob.builder(ds, rowSeal(t, k2, k1), t).batchSize(33).workers(2).build().run();

    assertThat(report.written()).isEqualTo(tenants.length * perTenant);
    assertThat(report.scanned()).isEqualTo(tenants.length * perTenant);
    assertThat(report.failedRows()).isZero();
    assertThat(KeyStatus.count(ds, t)).isEqualTo(Map.of("local:k2", (long) tenants.length * perTenant));
    RowSeal k2Only = RowSeal.builder().keyRing(KeyRing.of(k2)).table(t).build();
    int n = 0;
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select tenant, seq, card_number, rowseal_dek from " + name)) {
      while (rs.next()) {
        try (RowKey key = k2Only.openRowKey(t, RowId.composite(rs.getString(1), rs.getInt(2)), rs.getBytes(4))) {
          assertThat(key.decrypt(t.column("card_number"), rs.getBytes(3), String.class))
              .isEqualTo(rs.getString(1) + "/" + rs.getInt(2));
        }
        n++;
      }
    }
    assertThat(n).isEqualTo(tenants.length * perTenant);
  }

  @Test
  void build_idRangeOnCompositeKey_fails() {
    EncryptedTable t = EncryptedTable.builder("composite").idColumns("a", "b").column("v", String.class).build();
    TableJob.Builder builder = RewrapJob.builder(TestDatabases.h2("unused"), rowSeal(t, k2, k1), t).idRange(1L, 10L);

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("single-column");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_rerunOverFullyRotatedTable_makesZeroKeyOperations(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = table(ds, kind);
    CountingMasterKey c1 = new CountingMasterKey(k1);
    CountingMasterKey c2 = new CountingMasterKey(k2);
    insert(ds, rowSeal(t, k1, k2), t, ROWS);
    RowSeal rotated = RowSeal.builder().keyRing(KeyRing.of(c2, c1)).table(t).build();
    JobReport first = RewrapJob.builder(ds, rotated, t).batchSize(400).build().run();
    assertThat(first.keyOperations()).isEqualTo(ROWS);
    assertThat(c1.unwraps.get()).isEqualTo(ROWS); // the counter sees the real key work: one unwrap and one wrap per row
    assertThat(c2.wraps.get()).isEqualTo(ROWS);
    c1.reset();
    c2.reset();

    JobReport rerun = RewrapJob.builder(ds, rotated, t).batchSize(400).workers(2).build().run();

    assertThat(c1.operations() + c2.operations()).isZero();
    assertThat(rerun.keyOperations()).isZero();
    assertThat(rerun.unchanged()).isEqualTo(ROWS);
    assertThat(rerun.written()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_fourWorkers_rewrapsEachRowExactlyOnce(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = table(ds, kind);
    CountingMasterKey c1 = new CountingMasterKey(k1);
    insert(ds, rowSeal(t, k1, k2), t, ROWS);
    RowSeal rotated = RowSeal.builder().keyRing(KeyRing.of(k2, c1)).table(t).build();
    List<String> threads = Collections.synchronizedList(new ArrayList<>());

    JobReport report = RewrapJob.builder(ds, rotated, t).batchSize(100).workers(4)
        .progress(r -> threads.add(Thread.currentThread().getName())).build().run();

    assertThat(report.written()).isEqualTo(ROWS);
    assertThat(report.changedMeanwhile()).isZero(); // no two workers wrote the same row
    assertThat(c1.unwraps.get()).isEqualTo(ROWS); // nor opened the same row twice
    assertThat(threads).hasSize(ROWS / 100);
    assertThat(threads.stream().distinct().count()).isGreaterThan(1);
    assertThat(KeyStatus.count(ds, t)).isEqualTo(Map.of("local:k2", (long) ROWS));
    assertAllOpen(ds, RowSeal.builder().keyRing(KeyRing.of(k2)).table(t).build(), t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_dryRun_countsWhatWouldMoveAndWritesNothing(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = table(ds, kind);
    insert(ds, rowSeal(t, k1, k2), t, ROWS);
    RowSeal rotated = rowSeal(t, k2, k1);
    RewrapJob.builder(ds, rotated, t).idRange(1L, 100L).build().run(); // 100 rows already on k2
    List<byte[]> before = column(ds, t, "rowseal_dek");
    CountingMasterKey c1 = new CountingMasterKey(k1);
    CountingMasterKey c2 = new CountingMasterKey(k2);

    JobReport report = RewrapJob.builder(ds, RowSeal.builder().keyRing(KeyRing.of(c2, c1)).table(t).build(), t)
        .dryRun(true).batchSize(300).build().run();

    assertThat(report.isDryRun()).isTrue();
    assertThat(report.wouldWrite()).isEqualTo(ROWS - 100);
    assertThat(report.unchanged()).isEqualTo(100);
    assertThat(report.written()).isZero();
    assertThat(report.keyOperations()).isZero();
    assertThat(report.isComplete()).isFalse();
    assertThat(c1.operations() + c2.operations()).isZero();
    assertThat(column(ds, t, "rowseal_dek")).usingRecursiveComparison().isEqualTo(before);
  }

  @Test
  void run_dryRunWithKeyMissingFromRing_reportsTheRowsItCouldNotMove() throws Exception {
    DataSource ds = db("postgres");
    EncryptedTable t = table(ds, "postgres");
    insert(ds, rowSeal(t, k1, k2), t, ROWS);

    JobReport report = RewrapJob.builder(ds, RowSeal.builder().keyRing(KeyRing.of(k2)).table(t).build(), t)
        .dryRun(true).build().run();

    assertThat(report.failedRows()).isEqualTo(ROWS);
    assertThat(report.wouldWrite()).isZero();
    assertThat(report.failures().get(0).toString()).contains("row 1").contains("local:k1");
  }

  @Test
  void run_maxKeyOperationsPerSecond_throttlesOnlyRowsThatNeedAKeyOperation() throws Exception {
    DataSource ds = db("postgres");
    EncryptedTable t = table(ds, "postgres");
    insert(ds, rowSeal(t, k2, k1), t, ROWS); // every row on k2 already ...
    RowSeal old = rowSeal(t, k1, k2);
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("update " + t.name() + " set card_number = ?, rowseal_dek = ? where id = ?")) {
      for (int i = 0; i < 150; i++) { // ... but 150 rows, spread over the table
        long id = 1 + i * 16L;
        try (RowKey key = old.newRowKey(t, RowId.of(id))) {
          ps.setBytes(1, key.encryptBinary(t.column("card_number"), "card-" + id));
          ps.setBytes(2, key.companion());
          ps.setLong(3, id);
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
    long start = System.nanoTime();

    JobReport report = RewrapJob.builder(ds, rowSeal(t, k2, k1), t).batchSize(250).workers(2)
        .maxKeyOperationsPerSecond(100).build().run();

    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(report.keyOperations()).isEqualTo(150);
    assertThat(report.written()).isEqualTo(150);
    // 150 permits at 100/s from an empty bucket: at least 1.5 s whatever the number of workers
    assertThat(seconds).isGreaterThanOrEqualTo(1.45);
    assertThat(report.keyOperations() * 1e9 / report.elapsed().toNanos()).isLessThanOrEqualTo(101);
    assertAllOpen(ds, rowSeal(t, k2, k1), t);
  }

  @Test
  void run_progressListener_getsTotalScannedRateAndEta() throws Exception {
    DataSource ds = db("postgres");
    EncryptedTable t = table(ds, "postgres");
    insert(ds, rowSeal(t, k1, k2), t, ROWS);
    List<JobReport> reports = Collections.synchronizedList(new ArrayList<>());

    JobReport last = RewrapJob.builder(ds, rowSeal(t, k2, k1), t).batchSize(500).workers(2)
        .progress(reports::add).build().run();

    assertThat(reports).hasSize(ROWS / 500);
    long previous = 0;
    for (JobReport r : reports) {
      assertThat(r.totalRows()).hasValue(ROWS);
      assertThat(r.scanned()).isEqualTo(previous + 500);
      assertThat(r.rowsPerSecond()).isPositive();
      assertThat(r.estimatedRemaining()).isPresent();
      previous = r.scanned();
    }
    assertThat(reports.get(0).estimatedRemaining().orElseThrow()).isPositive();
    assertThat(last.estimatedRemaining()).hasValue(java.time.Duration.ZERO);
    assertThat(RewrapJob.builder(ds, rowSeal(t, k2, k1), t).countRowsFirst(false).build().run().totalRows()).isEmpty();
  }

  @Test
  void split_anyRange_coversEveryIdExactlyOnceInOrder() {
    assertThat(IdRange.split(1, 10, 3)).containsExactly(IdRange.of(1, 4), IdRange.of(5, 7), IdRange.of(8, 10));
    assertThat(IdRange.split(5, 6, 4)).containsExactly(IdRange.of(5, 5), IdRange.of(6, 6));
    List<IdRange> full = IdRange.split(Long.MIN_VALUE, Long.MAX_VALUE, 7);
    assertThat(full).hasSize(7);
    assertThat(full.get(0).from()).isEqualTo(Long.MIN_VALUE);
    assertThat(full.get(6).to()).isEqualTo(Long.MAX_VALUE);
    for (int i = 1; i < full.size(); i++) {
      assertThat(full.get(i).from()).isEqualTo(full.get(i - 1).to() + 1);
    }
    assertThatThrownBy(() -> IdRange.split(1, 10, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void run_processesOnSplitTableRanges_moveEveryRowOnceBetweenThem() throws Exception {
    DataSource ds = db("postgres");
    EncryptedTable t = table(ds, "postgres");
    insert(ds, rowSeal(t, k1, k2), t, ROWS);
    CountingMasterKey c1 = new CountingMasterKey(k1);
    RowSeal rotated = RowSeal.builder().keyRing(KeyRing.of(k2, c1)).table(t).build();
    List<IdRange> ranges = IdRange.splitTable(ds, t, 3);
    assertThat(ranges).containsExactly(IdRange.of(1, 834), IdRange.of(835, 1667), IdRange.of(1668, ROWS));

    List<JobReport> reports = runConcurrently(ranges.stream()
        .map(r -> RewrapJob.builder(ds, rotated, t).idRange(r).batchSize(200).build()).toList());

    assertThat(reports.stream().mapToLong(JobReport::written).sum()).isEqualTo(ROWS);
    assertThat(reports.stream().mapToLong(r -> r.totalRows().orElseThrow()).sum()).isEqualTo(ROWS);
    assertThat(c1.unwraps.get()).isEqualTo(ROWS); // no row opened by two processes
    assertThat(KeyStatus.count(ds, t)).isEqualTo(Map.of("local:k2", (long) ROWS));
  }

  @Test
  void run_twoProcessesOverTheSameRows_eachRowIsWrittenByExactlyOne() throws Exception {
    DataSource ds = db("postgres");
    EncryptedTable t = table(ds, "postgres");
    insert(ds, rowSeal(t, k1, k2), t, ROWS);
    RowSeal rotated = rowSeal(t, k2, k1);

    List<JobReport> reports = runConcurrently(List.of(
        RewrapJob.builder(ds, rotated, t).batchSize(50).build(), RewrapJob.builder(ds, rotated, t).batchSize(70).build()));

    // a row both opened is written by one; the other's compare-and-set fails and it counts the row as changed
    assertThat(reports.get(0).written() + reports.get(1).written()).isEqualTo(ROWS);
    for (JobReport r : reports) {
      assertThat(r.written() + r.unchanged() + r.changedMeanwhile()).isEqualTo(ROWS);
      assertThat(r.failedRows()).isZero();
    }
    assertThat(KeyStatus.count(ds, t)).isEqualTo(Map.of("local:k2", (long) ROWS));
    assertAllOpen(ds, rotated, t);
  }

  private static List<JobReport> runConcurrently(List<TableJob> jobs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(jobs.size());
    try {
      List<Future<JobReport>> futures = new ArrayList<>();
      for (TableJob job : jobs) {
        futures.add(pool.submit(job::run));
      }
      List<JobReport> out = new ArrayList<>();
      for (Future<JobReport> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void drop(DataSource ds, String name) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("drop table if exists " + name);
    }
  }

  /** {@code ds} with every {@code PreparedStatement.executeBatch} answering {@link Statement#SUCCESS_NO_INFO}. */
  private static DataSource withoutUpdateCounts(DataSource ds) {
    return proxy(DataSource.class, ds, (m, result) -> m.getName().equals("getConnection")
        ? proxy(Connection.class, (Connection) result, (m2, r2) -> m2.getName().equals("prepareStatement")
            ? proxy(PreparedStatement.class, (PreparedStatement) r2, (m3, r3) -> {
              if (m3.getName().equals("executeBatch")) {
                int[] counts = ((int[]) r3).clone();
                java.util.Arrays.fill(counts, Statement.SUCCESS_NO_INFO);
                return counts;
              }
              return r3;
            })
            : r2)
        : result);
  }

  private static <T> T proxy(Class<T> type, T target, java.util.function.BiFunction<java.lang.reflect.Method, Object, Object> after) {
    return type.cast(java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
      try {
        return after.apply(m, m.invoke(target, args));
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause();
      }
    }));
  }
}
