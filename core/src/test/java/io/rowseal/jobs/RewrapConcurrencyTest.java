package io.rowseal.jobs;

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
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The re-wrap job beside application writers on PostgreSQL: an application update staged with latches
 * at the job's read point or write point is never overwritten, and a soak of 8 writers against 2
 * workers ends with every row on the new key, decrypting to the last value the application wrote.
 */
class RewrapConcurrencyTest {
  private final AesGcmMasterKey k1 = AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32));
  private final AesGcmMasterKey k2 = AesGcmMasterKey.of(KeyRef.of("local:k2"), Randomness.nextBytes(32));

  private EncryptedTable table(DataSource ds) throws SQLException {
    String name = TestDatabases.uniqueName("rw_conc");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + name + " (id bigint primary key, card_number bytea, rowseal_dek bytea)");
    }
    return EncryptedTable.builder(name).idColumns("id").column("card_number", String.class).build();
  }

  private static void drop(DataSource ds, EncryptedTable t) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("drop table if exists " + t.name());
    }
  }

  private static void insert(DataSource ds, RowSeal rowSeal, EncryptedTable t, long from, long to) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + t.name() + " (id, card_number, rowseal_dek) values (?, ?, ?)")) {
      for (long id = from; id <= to; id++) {
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

  /** The application's full rewrite of a row: a fresh data key under its active key, a new value. */
  private static void rewrite(DataSource ds, RowSeal app, EncryptedTable t, long id, String value) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("update " + t.name() + " set card_number = ?, rowseal_dek = ? where id = ?");
        RowKey key = app.newRowKey(t, RowId.of(id))) {
      ps.setBytes(1, key.encryptBinary(t.column("card_number"), value));
      ps.setBytes(2, key.companion());
      ps.setLong(3, id);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  /** Each row's decrypted value, opened with {@code rowSeal}, and the key reference of each row. */
  private static Map<Long, String[]> readAll(DataSource ds, RowSeal rowSeal, EncryptedTable t) throws SQLException {
    Map<Long, String[]> out = new java.util.HashMap<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, card_number, rowseal_dek from " + t.name())) {
      while (rs.next()) {
        long id = rs.getLong(1);
        byte[] companion = rs.getBytes(3);
        try (RowKey key = rowSeal.openRowKey(t, RowId.of(id), companion)) {
          out.put(id, new String[] {key.decrypt(t.column("card_number"), rs.getBytes(2), String.class),
              WrappedDataKey.decode(companion).keyRef().toString()});
        }
      }
    }
    return out;
  }

  /**
   * Runs the job with an application update of row 700 staged at one of its hook points: the job thread
   * stops at the hook, an application thread rewrites the row, and the job goes on only once that update
   * has committed.
   */
  private JobReport runWithUpdateAt(String point, DataSource ds, EncryptedTable t, RowSeal app) throws Exception {
    CountDownLatch atPoint = new CountDownLatch(1);
    CountDownLatch updated = new CountDownLatch(1);
    AtomicReference<Throwable> appFailure = new AtomicReference<>();
    Thread application = new Thread(() -> {
      try {
        if (atPoint.await(30, TimeUnit.SECONDS)) {
          rewrite(ds, app, t, 700, "app-700");
        }
      } catch (Throwable e) {
        appFailure.set(e);
      } finally {
        updated.countDown();
      }
    });
    application.start();
    AtomicBoolean first = new AtomicBoolean(true);
    Runnable hook = () -> {
      if (first.getAndSet(false)) {
        atPoint.countDown();
        try {
          assertThat(updated.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
    };
    TableJob.Builder job = RewrapJob.builder(ds, rowSeal(t, k2, k1), t).batchSize(1000);
    JobReport report = job.build().runWithHooks(point.equals("read") ? PageHooks.afterRead(hook) : PageHooks.beforeWrite(hook));
    application.join();
    assertThat(appFailure.get()).isNull();
    assertThat(first.get()).isFalse(); // the hook did run
    return report;
  }

  private static RowSeal rowSeal(EncryptedTable t, AesGcmMasterKey active, AesGcmMasterKey... others) {
    return RowSeal.builder().keyRing(KeyRing.of(active, others)).table(t).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"read", "write"})
  void run_applicationRewritesRowAtJobHookPoint_rowKeepsApplicationValue(String point) throws Exception {
    DataSource ds = TestDatabases.postgres();
    EncryptedTable t = table(ds);
    try {
      insert(ds, rowSeal(t, k1), t, 1, 2000);

      JobReport report = runWithUpdateAt(point, ds, t, rowSeal(t, k2, k1));

      assertThat(report.changedMeanwhile()).isEqualTo(1);
      assertThat(report.written()).isEqualTo(1999);
      Map<Long, String[]> rows = readAll(ds, rowSeal(t, k2), t);
      assertThat(rows).hasSize(2000);
      assertThat(rows.get(700L)).containsExactly("app-700", "local:k2");
      for (long id = 1; id <= 2000; id++) {
        if (id != 700) {
          assertThat(rows.get(id)).containsExactly("card-" + id, "local:k2");
        }
      }
    } finally {
      drop(ds, t);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"read", "write"})
  void run_applicationOnOldKeyRewritesRowAtJobHookPoint_rowKeepsItsValueAndRerunMovesIt(String point) throws Exception {
    DataSource ds = TestDatabases.postgres();
    EncryptedTable t = table(ds);
    try {
      insert(ds, rowSeal(t, k1), t, 1, 2000);

      // an application instance that has not yet got the new key ring still writes under k1
      JobReport report = runWithUpdateAt(point, ds, t, rowSeal(t, k1, k2));

      assertThat(report.changedMeanwhile()).isEqualTo(1);
      assertThat(readAll(ds, rowSeal(t, k1, k2), t).get(700L)).containsExactly("app-700", "local:k1");
      JobReport rerun = RewrapJob.builder(ds, rowSeal(t, k2, k1), t).build().run();
      assertThat(rerun.written()).isEqualTo(1);
      assertThat(readAll(ds, rowSeal(t, k2), t).get(700L)).containsExactly("app-700", "local:k2");
    } finally {
      drop(ds, t);
    }
  }

  @Test
  @Tag("slow") // a soak
  void run_eightApplicationWritersBesideTwoWorkers_everyRowOnNewKeyWithLastWrittenValue() throws Exception {
    DataSource ds = TestDatabases.postgres();
    EncryptedTable t = table(ds);
    int initial = 20_000;
    int writers = 8;
    try {
      insert(ds, rowSeal(t, k1), t, 1, initial);
      RowSeal app = rowSeal(t, k2, k1); // the application already writes under the new key
      Map<Long, String> expected = new ConcurrentHashMap<>();
      for (long id = 1; id <= initial; id++) {
        expected.put(id, "card-" + id);
      }
      AtomicLong nextId = new AtomicLong(1_000_000);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong writes = new AtomicLong();
      AtomicLong keptKeyWrites = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        Thread thread = new Thread(() -> {
          Random random = new Random(ThreadLocalRandom.current().nextLong());
          try {
            for (int n = 0; !stop.get() || n < 200; n++) {
              int op = random.nextInt(10);
              if (op < 2) {
                long id = nextId.incrementAndGet();
                insert(ds, app, t, id, id);
                expected.put(id, "card-" + id);
              } else {
                // each writer owns the existing ids congruent to its number: one writer per row, so the
                // last value it wrote is the row's last value
                long id = 1 + writer + (long) writers * random.nextInt(initial / writers);
                String value = "w" + writer + "-" + n;
                if (op < 7) {
                  rewrite(ds, app, t, id, value);
                } else {
                  updateValueKeepingKey(ds, app, t, id, value);
                  keptKeyWrites.incrementAndGet();
                }
                expected.put(id, value);
              }
              writes.incrementAndGet();
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        }, "app-writer-" + w);
        threads.add(thread);
        thread.start();
      }

      JobReport report;
      try {
        report = RewrapJob.builder(ds, app, t).batchSize(250).workers(2).build().run();
      } finally {
        stop.set(true);
        for (Thread thread : threads) {
          thread.join();
        }
      }

      assertThat(failure.get()).isNull();
      assertThat(report.failedRows()).isZero();
      assertThat(report.changedMeanwhile()).as("writes during the run: %s", writes).isPositive();
      assertThat(keptKeyWrites.get()).isPositive();
      Map<Long, String[]> rows = readAll(ds, rowSeal(t, k2), t); // k1 gone: every row must be on k2
      assertThat(rows).hasSameSizeAs(expected);
      List<String> wrong = new ArrayList<>();
      expected.forEach((id, value) -> {
        String[] row = rows.get(id);
        if (row == null || !row[0].equals(value) || !row[1].equals("local:k2")) {
          wrong.add(id + " expected " + value + " got " + (row == null ? null : String.join("/", row)));
        }
      });
      assertThat(wrong).isEmpty();
    } finally {
      drop(ds, t);
    }
  }

  /**
   * The application's partial update: a new value sealed with the row's existing data key, companion left as
   * it is (the job may move it to the new key before or after; either wrap opens the same data key).
   */
  private static void updateValueKeepingKey(DataSource ds, RowSeal app, EncryptedTable t, long id, String value)
      throws SQLException {
    try (Connection c = ds.getConnection()) {
      byte[] companion;
      try (PreparedStatement ps = c.prepareStatement("select rowseal_dek from " + t.name() + " where id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          companion = rs.getBytes(1);
        }
      }
      try (RowKey key = app.openRowKey(t, RowId.of(id), companion);
          PreparedStatement ps = c.prepareStatement("update " + t.name() + " set card_number = ? where id = ?")) {
        ps.setBytes(1, key.encryptBinary(t.column("card_number"), value));
        ps.setLong(2, id);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
    }
  }
}
