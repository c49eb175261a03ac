package io.rowseal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.StorageForm;
import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine with an action of the test's own, shaped like a re-index (a derived column recomputed from a
 * value column, written per row with a compare-and-set): what any new job gets from {@link TableJob}
 * without code of its own. A composite key, so keyset paging and the write's WHERE use both parts.
 */
class TableJobTest {
  private static final int ROWS = 250;

  /** Sets {@code code_index} to a function of {@code code} where it is not already that. */
  private static class Reindex implements RowAction {
    @Override
    public String name() {
      return "re-index";
    }

    @Override
    public List<JobColumn> columns() {
      return List.of(JobColumn.text("code"), JobColumn.text("code_index"));
    }

    @Override
    public String condition() {
      return "code IS NOT NULL";
    }

    @Override
    public boolean readOnly() {
      return false;
    }

    @Override
    public Pass begin(Connection connection, boolean dryRun) {
      return Pass.movingTo("index-v2", row -> {
        String wanted = index(row.text(0));
        return wanted.equals(row.text(1)) ? RowOutcome.unchanged(1) : RowOutcome.write(Map.of("code_index", wanted), 1);
      });
    }
  }

  static String index(@Nullable String code) {
    return "v2:" + String.valueOf(code).toUpperCase(Locale.ROOT);
  }

  private static DataSource db(String kind) {
    return kind.equals("h2") ? TestDatabases.h2(TestDatabases.uniqueName("table_job"))
        : TestDatabases.postgresSchemaDroppedAtExit("table_job");
  }

  private static EncryptedTable items(DataSource ds) throws SQLException {
    exec(ds, "create table items (tenant varchar(10), id bigint, code varchar(40), code_index varchar(60),"
        + " primary key (tenant, id))");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (int i = 1; i <= ROWS; i++) {
        String tenant = i % 2 == 0 ? "even" : "odd";
        // every 5th row is already indexed; every 50th has no code (not selected)
        String code = i % 50 == 0 ? "null" : "'code-" + i + "'";
        String idx = i % 5 == 0 && i % 50 != 0 ? "'" + index("code-" + i) + "'" : "null";
        s.addBatch("insert into items values ('" + tenant + "', " + i + ", " + code + ", " + idx + ")");
      }
      s.executeBatch();
    }
    return EncryptedTable.builder("items").idColumns("tenant", "id").column("code", String.class, StorageForm.TEXT)
        .build();
  }

  private static void exec(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static Map<Long, String> indexes(DataSource ds) throws SQLException {
    Map<Long, String> out = new HashMap<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, code, code_index from items where code is not null")) {
      while (rs.next()) {
        out.put(rs.getLong(1), rs.getString(3) == null ? "NULL" : rs.getString(3).equals(index(rs.getString(2))) ? "ok"
            : "stale");
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_customActionOnCompositeKey_writesRowsThatNeedItAndRerunWritesNothing(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = items(ds);

    JobReport report = TableJob.builder(ds, t, new Reindex()).batchSize(17).workers(3).build().run();

    assertThat(report.job()).isEqualTo("re-index");
    assertThat(report.target()).contains("index-v2");
    assertThat(report.totalRows()).hasValue(ROWS - ROWS / 50);
    assertThat(report.scanned()).isEqualTo(ROWS - ROWS / 50);
    assertThat(report.unchanged()).isEqualTo(ROWS / 5 - ROWS / 50);
    assertThat(report.written()).isEqualTo(ROWS - ROWS / 5);
    assertThat(report.values()).isEqualTo(ROWS - ROWS / 50);
    assertThat(report.changedMeanwhile() + report.failedRows()).isZero();
    assertThat(indexes(ds).values()).containsOnly("ok");

    JobReport rerun = TableJob.builder(ds, t, new Reindex()).batchSize(17).build().run();
    assertThat(rerun.written()).isZero();
    assertThat(rerun.unchanged()).isEqualTo(ROWS - ROWS / 50);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_valueColumnChangedMeanwhile_derivedColumnNotWrittenAndRerunFixesIt(String kind) throws Exception {
    DataSource ds = db(kind);
    EncryptedTable t = items(ds);
    boolean[] done = {false};

    // between the job's read and its write the application changes a row's code (not the column the job
    // writes): the job's index, computed from the old code, must not land
    JobReport report = TableJob.builder(ds, t, new Reindex()).build().runWithHooks(PageHooks.beforeWrite(() -> {
      if (!done[0]) {
        done[0] = true;
        try {
          exec(ds, "update items set code = 'changed' where tenant = 'odd' and id = 7");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    }));

    assertThat(report.changedMeanwhile()).isEqualTo(1);
    assertThat(indexes(ds).get(7L)).isEqualTo("NULL");
    JobReport rerun = TableJob.builder(ds, t, new Reindex()).build().run();
    assertThat(rerun.written()).isEqualTo(1);
    assertThat(indexes(ds).values()).containsOnly("ok");
  }

  @Test
  void run_dryRun_countsWhatWouldBeWrittenAndWritesNothing() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable t = items(ds);

    JobReport report = TableJob.builder(ds, t, new Reindex()).dryRun(true).build().run();

    assertThat(report.isDryRun()).isTrue();
    assertThat(report.wouldWrite()).isEqualTo(ROWS - ROWS / 5);
    assertThat(report.written()).isZero();
    assertThat(report.isComplete()).isFalse();
    assertThat(indexes(ds).values()).contains("NULL");
  }

  @Test
  void run_actionWritesColumnItDoesNotRead_failsWithoutWriting() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable t = items(ds);
    RowAction sneaky = new Reindex() {
      @Override
      public List<JobColumn> columns() {
        return List.of(JobColumn.text("code_index"), JobColumn.text("code"));
      }

      @Override
      public Pass begin(Connection connection, boolean dryRun) {
        return row -> RowOutcome.write(Map.of("tenant", "other"), 0);
      }
    };

    assertThatThrownBy(() -> TableJob.builder(ds, t, sneaky).build().run()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("wrote column tenant of items, which it does not read");
    assertThat(indexes(ds).values()).contains("NULL");
  }

  @Test
  void build_sampleOrLimitOnActionThatWrites_isRefused() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable t = items(ds);

    assertThatThrownBy(() -> TableJob.builder(ds, t, new Reindex()).sample(0.5).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("must visit every row of items");
    assertThatThrownBy(() -> TableJob.builder(ds, t, new Reindex()).limit(3).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only");
  }

  @Test
  void build_actionDeclaringKeyColumn_isRefused() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable t = items(ds);
    RowAction movesRows = new Reindex() {
      @Override
      public List<JobColumn> columns() {
        return List.of(JobColumn.text("code"), JobColumn.text("TENANT"));
      }
    };

    assertThatThrownBy(() -> TableJob.builder(ds, t, movesRows).build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("key column TENANT of items");
  }

  @Test
  void build_idRangeOnCompositeKey_isRefused() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable t = items(ds);

    assertThatThrownBy(() -> TableJob.builder(ds, t, new Reindex()).idRange(1L, 5L).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("composite key");
  }

  /** A read-only action over {@code code} whose verdict on each row is {@code pass}'s. */
  private static RowAction reading(RowAction.Pass pass) {
    return new Reindex() {
      @Override
      public boolean readOnly() {
        return true;
      }

      @Override
      public String condition() {
        return "";
      }

      @Override
      public Pass begin(Connection connection, boolean dryRun) {
        return pass;
      }
    };
  }

  @Test
  void run_workersBusy_readerReadsAheadTwiceWorkersPlusOnePagesAndNoMore() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable t = items(ds);
    CountDownLatch readAhead = new CountDownLatch(5);
    AtomicInteger timedOut = new AtomicInteger();
    // each worker holds its first row until the reader has read 5 pages: 2 being processed, 2 queued, 1 waiting
    RowAction held = reading(row -> {
      if (!readAhead.await(30, TimeUnit.SECONDS)) {
        timedOut.incrementAndGet();
      }
      return RowOutcome.unchanged(1);
    });

    JobReport report = TableJob.builder(ds, t, held).workers(2).batchSize(10).build()
        .runWithHooks(PageHooks.afterRead(readAhead::countDown));

    assertThat(timedOut).hasValue(0);
    assertThat(report.scanned()).isEqualTo(ROWS);
    assertThat(report.maxPagesInFlight()).isEqualTo(2 * 2 + 1);
  }

  @Test
  void run_workerFails_otherWorkerStopsBeforeItsNextRowWithoutWriting() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable t = items(ds);
    AtomicReference<Thread> first = new AtomicReference<>();
    AtomicReference<Thread> failing = new AtomicReference<>();
    AtomicInteger afterFailure = new AtomicInteger();
    AtomicInteger timedOut = new AtomicInteger();
    // The first worker to see a row holds it until the other worker has failed (its thread has ended, so the
    // run's failure is recorded), then counts the rows it is still given.
    RowAction failsOnOtherPage = reading(row -> {
      Thread me = Thread.currentThread();
      if (first.compareAndSet(null, me)) {
        Thread other;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((other = failing.get()) == null && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        if (other == null) {
          timedOut.incrementAndGet();
        } else {
          other.join(TimeUnit.SECONDS.toMillis(30));
        }
        return RowOutcome.unchanged(1);
      }
      if (first.get() == me) {
        afterFailure.incrementAndGet();
        return RowOutcome.unchanged(1);
      }
      failing.set(me);
      throw new IllegalStateException("the action failed on this row");
    });

    assertThatThrownBy(() -> TableJob.builder(ds, t, failsOnOtherPage).workers(2).batchSize(50).build().run())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("the action failed");
    assertThat(timedOut).hasValue(0);
    assertThat(afterFailure).hasValue(0);
  }

  @Test
  void run_interrupted_workersStopBeforeTheirNextRowAndRunSaysInterrupted() throws Exception {
    DataSource ds = db("h2");
    EncryptedTable t = items(ds);
    CountDownLatch held = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger afterRelease = new AtomicInteger();
    AtomicInteger timedOut = new AtomicInteger();
    // both workers hold their first row; the reader fills the queue and waits for a slot
    RowAction holding = reading(row -> {
      if (release.getCount() == 0) {
        afterRelease.incrementAndGet();
        return RowOutcome.unchanged(1);
      }
      held.countDown();
      if (!release.await(30, TimeUnit.SECONDS)) {
        timedOut.incrementAndGet();
      }
      return RowOutcome.unchanged(1);
    });
    TableJob job = TableJob.builder(ds, t, holding).workers(2).batchSize(50).build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        job.run();
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    runner.start();
    assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
    runner.interrupt();
    // the run records the interrupt, then waits for its workers (join: WAITING)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!joining(runner) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    release.countDown();
    runner.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(runner.isAlive()).isFalse();
    assertThat(timedOut).hasValue(0);
    assertThat(thrown.get()).hasMessageContaining("was interrupted");
    assertThat(afterRelease).hasValue(0);
  }

  /** Whether {@code t} waits in {@link Thread#join()}. */
  private static boolean joining(Thread t) {
    if (t.getState() != Thread.State.WAITING) {
      return false;
    }
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().equals(Thread.class.getName()) && e.getMethodName().equals("join")) {
        return true;
      }
    }
    return false;
  }
}
