package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import io.rowseal.key.WrapContext;
import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL, with rows decrypted on 2 threads: an application thread waiting for the next chunk, which a
 * worker is still decrypting because its key call hangs (a stalled KMS), wakes as soon as the statement is
 * cancelled (HY008) or the result set is closed (24000) from another thread, not when the key call returns.
 * The key call is held by a latch the test releases only afterwards; the wait for the wake-up is generous
 * (30 s) because it only bounds a failure.
 */
class ReadAheadWakeTest {
  private static final int CHUNK = 64; // ParallelRows.CHUNK_ROWS
  private static final int ROWS = 8 * CHUNK;

  private DataSource raw;
  private String name;
  private AesGcmMasterKey k1;
  private final CountDownLatch release = new CountDownLatch(1);
  private final Semaphore stalled = new Semaphore(0);
  private final ExecutorService consumer = Executors.newSingleThreadExecutor();

  /** A master key whose unwraps of rows after the first chunk hang until {@link #release} (a stalled KMS). */
  private final class StallingKey implements MasterKey {
    @Override
    public KeyRef ref() {
      return k1.ref();
    }

    @Override
    public byte[] wrap(DataKey dataKey, WrapContext context) {
      return k1.wrap(dataKey, context);
    }

    @Override
    public DataKey unwrap(byte[] wrappedKey, WrapContext context) {
      if (Long.parseLong(context.rowId()) > CHUNK) {
        stalled.release();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return k1.unwrap(wrappedKey, context);
    }
  }

  @BeforeEach
  void rows() throws SQLException {
    raw = TestDatabases.postgresSchemaDroppedAtExit("rowseal");
    name = TestDatabases.uniqueName("wake");
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + name + " (id bigint primary key, card_number bytea, rowseal_dek bytea)");
    }
    k1 = Cards.masterKey("k1");
    try (Connection c = RowSealDataSource.wrap(raw, rowSeal(k1)).getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + name + " (id, card_number) values (?, ?)")) {
      for (int i = 1; i <= ROWS; i++) {
        ps.setLong(1, i);
        ps.setString(2, "4111-" + i);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @AfterEach
  void unstall() {
    release.countDown();
    consumer.shutdownNow();
  }

  private RowSeal rowSeal(MasterKey key) {
    return RowSeal.builder().keyRing(KeyRing.of(key))
        .table(EncryptedTable.builder(name).idColumns("id").column("card_number", String.class).build()).build();
  }

  /**
   * Runs the query on 2 decrypt threads, reads the first chunk, and returns once the consumer thread is
   * waiting in next() for the second chunk, which both workers are stuck in (FIFO: they claimed chunks 2 and 3).
   */
  private Future<Boolean> consumerWaiting(PreparedStatement ps, AtomicReference<ResultSet> results)
      throws Exception {
    ResultSet rs = ps.executeQuery();
    results.set(rs);
    for (int i = 1; i <= CHUNK; i++) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(2)).isEqualTo("4111-" + i);
    }
    assertThat(stalled.tryAcquire(2, 30, TimeUnit.SECONDS)).as("both workers stuck in a key call").isTrue();
    AtomicReference<Thread> thread = new AtomicReference<>();
    Future<Boolean> next = consumer.submit(() -> {
      thread.set(Thread.currentThread());
      return rs.next();
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((thread.get() == null || thread.get().getState() != Thread.State.WAITING) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(thread.get().getState()).as("consumer waiting for the chunk").isEqualTo(Thread.State.WAITING);
    return next;
  }

  private static SQLException failure(Future<Boolean> next) throws Exception {
    try {
      next.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SQLException.class);
      return (SQLException) e.getCause();
    }
    throw new AssertionError("next() returned instead of failing");
  }

  @Test
  void cancel_consumerWaitingForChunk_wakesWithHY008() throws Exception {
    DataSource wrapped = RowSealDataSource.builder(raw, rowSeal(new StallingKey())).decryptParallelism(2).build();
    AtomicReference<ResultSet> results = new AtomicReference<>();
    try (Connection c = wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement("select id, card_number from " + name + " order by id")) {
      Future<Boolean> next = consumerWaiting(ps, results);
      ps.cancel();
      assertThat(failure(next).getSQLState()).isEqualTo("HY008");
      release.countDown();
      results.get().close();
    }
  }

  @Test
  void close_consumerWaitingForChunk_wakesWithClosedError() throws Exception {
    DataSource wrapped = RowSealDataSource.builder(raw, rowSeal(new StallingKey())).decryptParallelism(2).build();
    AtomicReference<ResultSet> results = new AtomicReference<>();
    try (Connection c = wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement("select id, card_number from " + name + " order by id")) {
      Future<Boolean> next = consumerWaiting(ps, results);
      results.get().close();
      assertThat(failure(next).getSQLState()).isEqualTo("24000");
    }
  }
}
