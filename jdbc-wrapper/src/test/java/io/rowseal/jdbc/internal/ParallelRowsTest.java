package io.rowseal.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.lang.reflect.Method;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read-ahead machinery itself: it never depends on a free pool thread (a reader whose pool is busy
 * decrypts its own rows), closing a result early leaves nothing running or queued and no extra thread, and
 * {@link PrefetchedResultSet} answers every cursor-dependent {@link ResultSet} method itself (served or
 * refused), never from the driver whose cursor is elsewhere.
 */
class ParallelRowsTest {
  private static final int ROWS = 1000;
  /** Methods that do not depend on the driver's cursor position, so the driver may answer them. */
  private static final Set<String> CURSOR_INDEPENDENT = Set.of("clearWarnings", "findColumn", "getConcurrency",
      "getCursorName", "getFetchDirection", "getFetchSize", "getHoldability", "getType", "getWarnings", "isClosed",
      "setFetchDirection", "setFetchSize");

  private DataSource raw;
  private RowSeal rowSeal;
  private String select;

  @BeforeEach
  void table() throws SQLException {
    raw = TestDatabases.h2(TestDatabases.uniqueName("prefetch"));
    String name = TestDatabases.uniqueName("cards");
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + name + " (id bigint primary key, card_number varbinary(256), rowseal_dek varbinary(256))");
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    rowSeal = RowSeal.builder()
        .keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), key)))
        .table(EncryptedTable.builder(name).idColumns("id").column("card_number", String.class).build())
        .build();
    JdbcEngine serial = new JdbcEngine(rowSeal, 16, null, 1);
    try (Connection c = serial.wrap(raw.getConnection());
        PreparedStatement ps = c.prepareStatement("insert into " + name + " (id, card_number) values (?, ?)")) {
      for (int i = 1; i <= ROWS; i++) {
        ps.setLong(1, i);
        ps.setString(2, "4111-" + i);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    select = "select id, card_number from " + name + " order by id";
  }

  private static List<String> read(Connection c, String sql, int limit) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.isWrapperFor(DecryptingResultSet.class)).isTrue();
      while (out.size() < limit && rs.next()) {
        out.add(rs.getLong(1) + "=" + rs.getString(2));
      }
    }
    return out;
  }

  @Test
  void read_poolThreadsAllBusy_readerDecryptsItsOwnRows() throws Exception {
    JdbcEngine engine = new JdbcEngine(rowSeal, 16, null, 2);
    DecryptPool pool = engine.decryptPool();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      pool.execute(() -> {
        blocked.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
    try (Connection c = engine.wrap(raw.getConnection())) {
      List<String> rows = read(c, select, Integer.MAX_VALUE);
      assertThat(rows).hasSize(ROWS);
      for (int i = 0; i < ROWS; i++) {
        assertThat(rows.get(i)).isEqualTo((i + 1) + "=4111-" + (i + 1));
      }
    } finally {
      release.countDown();
    }
  }

  @Test
  void close_early_leavesNothingRunningOrQueued_andNoExtraThreads() throws Exception {
    JdbcEngine engine = new JdbcEngine(rowSeal, 16, null, 2);
    DecryptPool pool = engine.decryptPool();
    try (Connection c = engine.wrap(raw.getConnection())) {
      for (int i = 0; i < 30; i++) {
        assertThat(read(c, select, 1 + i * 7)).hasSize(1 + i * 7);
      }
    }
    // Whatever was queued when each result closed is skipped; the pool drains without reading anything.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((pool.running() > 0 || pool.queued() > 0) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(pool.running()).isZero();
    assertThat(pool.queued()).isZero();
    long threads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(pool.namePrefix())).count();
    assertThat(threads).isBetween(1L, 2L);
  }

  @Test
  void cancel_duringReadAhead_nextFailsWithHY008() throws Exception {
    JdbcEngine engine = new JdbcEngine(rowSeal, 16, null, 2);
    try (Connection c = engine.wrap(raw.getConnection()); PreparedStatement ps = c.prepareStatement(select)) {
      ResultSet rs = ps.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(2)).isEqualTo("4111-1");
      ps.cancel();
      SQLException e = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class, rs::next);
      assertThat(e.getSQLState()).isEqualTo("HY008");
    }
  }

  @Test
  void statementReExecuted_previousReadAheadStops() throws Exception {
    JdbcEngine engine = new JdbcEngine(rowSeal, 16, null, 2);
    try (Connection c = engine.wrap(raw.getConnection()); Statement s = c.createStatement()) {
      ResultSet first = s.executeQuery(select);
      assertThat(first.next()).isTrue();
      ResultSet second = s.executeQuery(select);
      assertThat(org.assertj.core.api.Assertions.catchThrowable(first::next)).isInstanceOf(SQLException.class);
      int n = 0;
      while (second.next()) {
        n++;
      }
      assertThat(n).isEqualTo(ROWS);
    }
  }

  @Test
  void prefetchedResultSet_declaresEveryCursorDependentMethod() throws Exception {
    // Every method is RowSeal's own (served, or refused by the generated base), never an interface default;
    // only the cursor-independent ones (a second, hand-kept list) reach the driver.
    JdbcSurface surface = JdbcSurface.load();
    List<String> wrong = new ArrayList<>();
    for (Method m : JdbcSurface.methods(ResultSet.class)) {
      Class<?> owner = PrefetchedResultSet.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
      if (owner != PrefetchedResultSet.class && owner != ReadAheadResultSet.class) {
        wrong.add(m + " comes from " + owner.getName());
      }
      boolean delegated = surface.kind(DelegateGenerator.READ_AHEAD, m) == JdbcSurface.Kind.SAFE;
      if (delegated != CURSOR_INDEPENDENT.contains(m.getName())) {
        wrong.add(m + (delegated ? " reaches the driver" : " does not reach the driver"));
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void prefetchedResultSet_scrollingAndLobs_areRefusedWith0A000() throws Exception {
    JdbcEngine engine = new JdbcEngine(rowSeal, 16, null, 2);
    try (Connection c = engine.wrap(raw.getConnection()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(select)) {
      assertThat(rs.isBeforeFirst()).isTrue();
      assertThat(rs.next()).isTrue();
      assertThat(rs.isFirst()).isTrue();
      assertThat(rs.getRow()).isEqualTo(1);
      for (ThrowingCall call : List.<ThrowingCall>of(() -> rs.getClob(1), () -> rs.getCharacterStream(1),
          () -> rs.getTimestamp(1, java.util.Calendar.getInstance()))) {
        SQLException e = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class, call::call);
        assertThat(e.getSQLState()).isEqualTo("0A000");
        assertThat(e.getMessage()).contains("decrypt-parallelism");
      }
    }
  }

  private interface ThrowingCall {
    void call() throws Exception;
  }
}
