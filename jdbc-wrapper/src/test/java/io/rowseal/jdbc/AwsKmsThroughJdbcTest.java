package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.key.KeyRing;
import io.rowseal.key.awskms.AwsKmsMasterKey;
import io.rowseal.key.kek.KekStore;
import io.rowseal.testsupport.TestDatabases;
import io.rowseal.testsupport.kms.FakeKms;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * AWS KMS master keys under the JDBC wrapper on PostgreSQL, through the real AWS SDK client over HTTP
 * to the in-JVM KMS endpoint: throttling, outages, concurrent cold reads and hierarchical mode's call
 * count.
 */
class AwsKmsThroughJdbcTest {
  private static final Duration BUDGET = Duration.ofSeconds(2);

  private FakeKms kms;
  private KmsClient client;
  private String arn;
  private DataSource raw;
  private EncryptedTable cards;

  @BeforeEach
  void start() throws SQLException {
    kms = FakeKms.start();
    client = kms.client();
    arn = kms.createKey("alias/rowseal");
    raw = TestDatabases.postgresSchema(TestDatabases.uniqueName("kmsjdbc"));
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table cards (id bigint primary key, card_number bytea, rowseal_dek bytea)");
    }
    cards = EncryptedTable.builder("cards").idColumns("id").column("card_number", String.class).build();
  }

  @AfterEach
  void stop() {
    client.close();
    kms.close();
  }

  private AwsKmsMasterKey master() {
    return AwsKmsMasterKey.builder(client, arn).retryBudget(BUDGET).callTimeout(Duration.ofSeconds(1)).build();
  }

  private DataSource direct() {
    return RowSealDataSource.wrap(raw, RowSeal.builder().keyRing(KeyRing.of(master())).table(cards).build());
  }

  private DataSource hierarchical() {
    KekStore store = KekStore.builder(raw).build();
    store.migrate();
    return RowSealDataSource.wrap(raw, RowSeal.builder().keyRing(KeyRing.of(master())).hierarchical(store).table(cards).build());
  }

  private static void insert(Connection c, long id, String number) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("insert into cards (id, card_number) values (?, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, number);
      ps.executeUpdate();
    }
  }

  private static String read(DataSource ds, long id) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("select card_number from cards where id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  private long rawCount() throws SQLException {
    try (Connection c = raw.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from cards")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void insert_twoThrottlesThenSuccess_writesExactlyOneRow() throws SQLException {
    DataSource ds = direct();
    kms.throttleNext(2);
    try (Connection c = ds.getConnection()) {
      insert(c, 1, "4111111111111111");
    }
    assertThat(rawCount()).isEqualTo(1);
    assertThat(kms.calls("Encrypt")).isEqualTo(3);
    assertThat(kms.successfulCalls("Encrypt")).isEqualTo(1);
    assertThat(read(ds, 1)).isEqualTo("4111111111111111");
  }

  @Test
  void insert_persistentThrottling_failsWithinBudgetAndRollsBack() throws SQLException {
    DataSource ds = direct();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      insert(c, 1, "4111111111111111"); // KMS answers: the first row is wrapped and written
      kms.throttleNext(1_000_000);
      long start = System.nanoTime();
      assertThatThrownBy(() -> insert(c, 2, "5500000000000004"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("58R01"))
          .hasMessageContaining("aws-kms:" + arn)
          .hasMessageNotContaining("5500000000000004");
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      // A generous bound, on purpose: it proves the insert gave up instead of working through a million
      // throttles (hours), not the budget's arithmetic (AwsKmsMasterKeyTest checks the attempts). A tight
      // bound (budget + 1.5 s) failed on a loaded 2-core machine.
      assertThat(elapsedMs).isLessThan(BUDGET.toMillis() + 30_000);
      c.rollback();
    }
    assertThat(rawCount()).isZero();
  }

  /**
   * A wrapper whose KMS calls have room to spare: for tests about caching, not time budgets, so that a busy
   * machine (a slow first SDK call) cannot fail them.
   */
  private DataSource patientDirect() {
    AwsKmsMasterKey patient = AwsKmsMasterKey.builder(client, arn).retryBudget(Duration.ofSeconds(30))
        .callTimeout(Duration.ofSeconds(10)).build();
    return RowSealDataSource.wrap(raw, RowSeal.builder().keyRing(KeyRing.of(patient)).table(cards).build());
  }

  @Test
  void select_fiftyConcurrentColdReads_oneDecrypt() throws Exception {
    try (Connection c = patientDirect().getConnection()) {
      insert(c, 7, "4111111111111111");
    }
    DataSource cold = patientDirect(); // another process: nothing cached
    int threads = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    kms.latency(Duration.ofMillis(20)); // the first Decrypt is still in flight when the others miss
    try {
      List<Future<String>> reads = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        reads.add(pool.submit(() -> {
          go.await();
          return read(cold, 7);
        }));
      }
      go.countDown();
      for (Future<String> f : reads) {
        assertThat(f.get()).isEqualTo("4111111111111111");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(kms.calls("Decrypt")).isEqualTo(1);
  }

  @Test
  void kmsOutage_directMode_cachedReadsGoOnAndWritesFail() throws SQLException {
    DataSource ds = direct();
    try (Connection c = ds.getConnection()) {
      insert(c, 1, "4111111111111111");
    }
    kms.failNext(1_000_000);
    assertThat(read(ds, 1)).isEqualTo("4111111111111111");
    try (Connection c = ds.getConnection()) {
      assertThatThrownBy(() -> insert(c, 2, "5500000000000004"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("58R01"));
    }
    assertThat(rawCount()).isEqualTo(1);
  }

  @Test
  void hierarchical_insertAndRead100kRows_kmsCallsIndependentOfRowCount() throws SQLException {
    long[] callsFor = new long[2];
    int[] sizes = {1_000, 100_000};
    for (int round = 0; round < 2; round++) {
      try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
        s.execute("delete from cards");
        s.execute("drop table if exists rowseal_kek");
        s.execute("drop table if exists rowseal_index_key"); // created by the same migrations (V2)
        s.execute("drop table if exists rowseal_schema_history");
      }
      long before = kms.calls("Encrypt") + kms.calls("Decrypt");
      DataSource writer = hierarchical();
      int rows = sizes[round];
      try (Connection c = writer.getConnection();
          PreparedStatement ps = c.prepareStatement("insert into cards (id, card_number) values (?, ?)")) {
        c.setAutoCommit(false);
        for (int id = 1; id <= rows; id++) {
          ps.setLong(1, id);
          ps.setString(2, "4111-" + id);
          ps.addBatch();
          if (id % 1_000 == 0) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
        c.commit();
      }
      DataSource reader = hierarchical(); // a second process, cold caches
      long seen = 0;
      try (Connection c = reader.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("select id, card_number from cards")) {
          ps.setFetchSize(5_000);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              assertThat(rs.getString(2)).isEqualTo("4111-" + rs.getLong(1));
              seen++;
            }
          }
        }
        c.commit();
      }
      assertThat(seen).isEqualTo(rows);
      callsFor[round] = kms.calls("Encrypt") + kms.calls("Decrypt") - before;
    }
    System.out.println("hierarchical mode, KMS Encrypt+Decrypt calls (besides one DescribeKey per process): " + callsFor[0] + " for 1k rows written and read, "
        + callsFor[1] + " for 100k rows written and read");
    assertThat(callsFor[1]).isEqualTo(callsFor[0]);
    // One Encrypt to wrap the new KEK, one Decrypt in the reading process.
    assertThat(callsFor[1]).isEqualTo(2);
  }
}
