package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.ProxyConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.jdbc.PgConnection;

/**
 * One wrapped HikariCP pool on PostgreSQL, shared by eight threads that insert, update (partially and
 * fully, their own rows and a few rows every thread fights over) and read: every value read is the
 * row's own, and every final value is one that was written.
 */
class PooledConcurrencyTest {
  private static final int THREADS = 8;
  private static final int OPS_PER_THREAD = 500;
  private static final int HOT_ROWS = 4;
  private static final String[] COLUMNS = {"holder", "card_number", "cvv"};
  private static final String FULL_UPDATE = "update T set holder = ?, card_number = ?, cvv = ? where id = ?";

  private Cards cards;
  private HikariDataSource hikari;
  private RowSealDataSource wrapped;

  @BeforeEach
  void pool() throws SQLException {
    cards = Cards.create(Db.POSTGRES);
    HikariConfig config = new HikariConfig();
    config.setDataSource(cards.raw);
    config.setMaximumPoolSize(THREADS);
    config.setPoolName("rowseal-concurrency-test");
    hikari = new HikariDataSource(config);
    wrapped = RowSealDataSource.wrap(hikari, cards.rowSeal);
  }

  @AfterEach
  void close() throws SQLException {
    hikari.close();
    cards.close();
  }

  /** A value that names its row and column, so a value read from the wrong row or column is caught. */
  private static String value(String column, long id, int thread, int seq) {
    return column.charAt(0) + "-" + id + "-" + thread + "-" + seq;
  }

  private static String[] values(long id, int thread, int seq) {
    return new String[] {value("holder", id, thread, seq), value("card_number", id, thread, seq),
        value("cvv", id, thread, seq)};
  }

  @Test
  void pooledWrapper_eightThreadsWritingAndReading_everyValueRoundTrips() throws Exception {
    // hot rows first: every thread updates them
    Map<String, Set<String>> written = new ConcurrentHashMap<>();
    try (Connection c = wrapped.getConnection()) {
      for (long id = 1; id <= HOT_ROWS; id++) {
        insert(c, id, 0, 0, written);
      }
    }
    AtomicLong operations = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService executor = Executors.newFixedThreadPool(THREADS);
    List<Future<Map<Long, String[]>>> results = new ArrayList<>();
    for (int t = 1; t <= THREADS; t++) {
      int thread = t;
      results.add(executor.submit(() -> {
        start.await();
        return work(thread, operations, written);
      }));
    }
    start.countDown();
    Map<Long, String[]> expected = new HashMap<>();
    try {
      for (Future<Map<Long, String[]>> f : results) {
        expected.putAll(f.get(90, TimeUnit.SECONDS));
      }
    } finally {
      executor.shutdownNow();
    }
    assertThat(operations.get()).isGreaterThanOrEqualTo((long) THREADS * OPS_PER_THREAD);

    // every row, read through the pool at the end
    int rows = 0;
    try (Connection c = wrapped.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(cards.sql("select id, holder, card_number, cvv from T order by id"))) {
      while (rs.next()) {
        rows++;
        long id = rs.getLong("id");
        for (int k = 0; k < COLUMNS.length; k++) {
          String v = rs.getString(COLUMNS[k]);
          if (id <= HOT_ROWS) {
            assertThat(written.get(id + "/" + COLUMNS[k])).as("row %s %s", id, COLUMNS[k]).contains(v);
          } else {
            assertThat(v).as("row %s %s", id, COLUMNS[k]).isEqualTo(expected.get(id)[k]);
          }
        }
      }
    }
    assertThat(rows).isEqualTo(HOT_ROWS + expected.size());
  }

  private Map<Long, String[]> work(int thread, AtomicLong operations, Map<String, Set<String>> written)
      throws SQLException {
    SplittableRandom random = new SplittableRandom(thread);
    Map<Long, String[]> own = new HashMap<>();
    List<Long> ids = new ArrayList<>();
    long next = thread * 100_000L;
    for (int seq = 1; seq <= OPS_PER_THREAD; seq++) {
      int op = random.nextInt(10);
      // a connection per operation, as a web request would take one from the pool
      try (Connection c = wrapped.getConnection()) {
        if (ids.isEmpty() || op < 3) {
          long id = ++next;
          own.put(id, insert(c, id, thread, seq, null));
          ids.add(id);
        } else if (op < 5) {
          long id = ids.get(random.nextInt(ids.size()));
          int k = random.nextInt(COLUMNS.length);
          String v = value(COLUMNS[k], id, thread, seq);
          assertThat(update(c, "update T set " + COLUMNS[k] + " = ? where id = ?", v, id)).isEqualTo(1);
          own.get(id)[k] = v;
        } else if (op < 6) {
          long id = ids.get(random.nextInt(ids.size()));
          String[] v = values(id, thread, seq);
          assertThat(update(c, FULL_UPDATE, v[0], v[1], v[2], id)).isEqualTo(1);
          own.put(id, v);
        } else if (op < 7) {
          long id = 1 + random.nextInt(HOT_ROWS);
          if (random.nextBoolean()) {
            int k = random.nextInt(COLUMNS.length);
            String v = value(COLUMNS[k], id, thread, seq);
            written.computeIfAbsent(id + "/" + COLUMNS[k], x -> ConcurrentHashMap.newKeySet()).add(v);
            assertThat(update(c, "update T set " + COLUMNS[k] + " = ? where id = ?", v, id)).isEqualTo(1);
          } else {
            String[] v = new String[3];
            for (int k = 0; k < 3; k++) {
              v[k] = value(COLUMNS[k], id, thread, seq);
              written.computeIfAbsent(id + "/" + COLUMNS[k], x -> ConcurrentHashMap.newKeySet()).add(v[k]);
            }
            assertThat(update(c, FULL_UPDATE, v[0], v[1], v[2], id)).isEqualTo(1);
          }
        } else if (op < 9) {
          long id = ids.get(random.nextInt(ids.size()));
          assertThat(read(c, id)).as("own row %s", id).containsExactly(own.get(id));
        } else {
          // anyone's row, possibly being written right now: it must decrypt to that row's values
          long id = random.nextBoolean() ? 1 + random.nextInt(HOT_ROWS)
              : (1 + random.nextInt(THREADS)) * 100_000L + 1;
          String[] v = read(c, id);
          if (v != null) {
            for (int k = 0; k < 3; k++) {
              assertThat(v[k]).startsWith(COLUMNS[k].charAt(0) + "-" + id + "-");
            }
          }
        }
      }
      operations.incrementAndGet();
    }
    return own;
  }

  private String[] insert(Connection c, long id, int thread, int seq, Map<String, Set<String>> written)
      throws SQLException {
    String[] v = values(id, thread, seq);
    try (PreparedStatement ps = c.prepareStatement(cards.sql(Cards.INSERT))) {
      ps.setLong(1, id);
      ps.setString(2, v[0]);
      ps.setString(3, v[1]);
      ps.setString(4, v[2]);
      ps.setString(5, "thread " + thread);
      ps.executeUpdate();
    }
    if (written != null) {
      for (int k = 0; k < 3; k++) {
        written.computeIfAbsent(id + "/" + COLUMNS[k], x -> ConcurrentHashMap.newKeySet()).add(v[k]);
      }
    }
    return v;
  }

  private int update(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(cards.sql(sql))) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      return ps.executeUpdate();
    }
  }

  private String[] read(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(cards.sql("select holder, card_number, cvv from T where id = ?"))) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3)} : null;
      }
    }
  }

  /**
   * The DataSource unwraps to the pool (an explicit way past RowSeal); a connection never unwraps to the pool's or
   * the driver's (code holding a RowSeal connection must not reach plaintext writes by accident).
   */
  @Test
  void unwrap_pooledWrapper_dataSourceReachesPoolConnectionRefusesDriver() throws Exception {
    DataSource ds = wrapped;
    assertThat(ds.isWrapperFor(HikariDataSource.class)).isTrue();
    assertThat(ds.unwrap(HikariDataSource.class)).isSameAs(hikari);
    assertThat(ds.isWrapperFor(RowSealDataSource.class)).isTrue();
    assertThat(ds.unwrap(RowSealDataSource.class)).isSameAs(wrapped);
    try (Connection c = ds.getConnection()) {
      for (Class<?> iface : List.of(PgConnection.class, PGConnection.class, ProxyConnection.class)) {
        assertThat(c.isWrapperFor(iface)).as("isWrapperFor %s", iface.getSimpleName()).isFalse();
        Throwable thrown = catchThrowable(() -> c.unwrap(iface));
        assertThat(thrown).as("unwrap %s", iface.getSimpleName()).isInstanceOf(SQLFeatureNotSupportedException.class)
            .hasMessageContaining(iface.getName()).hasMessageContaining("bypass");
        assertThat(((SQLException) thrown).getSQLState()).isEqualTo("0A000");
      }
      assertThat(c.isWrapperFor(java.sql.Connection.class)).isTrue();
      assertThat(c.unwrap(java.sql.Connection.class)).isSameAs(c); // the RowSeal connection itself, not past it
    }
  }
}
