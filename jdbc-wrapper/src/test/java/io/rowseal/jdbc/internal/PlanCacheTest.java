package io.rowseal.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each distinct SQL text is parsed and planned once per wrapped data source (one {@link JdbcEngine}),
 * whichever connection, statement kind or outcome; the cache is bounded. Observed through the
 * engine's {@code plansMade()} counter.
 */
class PlanCacheTest {
  private DataSource raw;
  private RowSeal rowSeal;
  private String insert;
  private String select;

  @BeforeEach
  void table() throws SQLException {
    raw = TestDatabases.h2(TestDatabases.uniqueName("plans"));
    String name = TestDatabases.uniqueName("cards");
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table " + name + " (id bigint primary key, card_number varbinary(256), note varchar(50),"
          + " rowseal_dek varbinary(256))");
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    rowSeal = RowSeal.builder()
        .keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), key)))
        .table(EncryptedTable.builder(name).idColumns("id").column("card_number", String.class).build())
        .build();
    insert = "insert into " + name + " (id, card_number, note) values (?, ?, ?)";
    select = "select id, card_number from " + name + " where id = ?";
  }

  @Test
  void prepare_sameSqlManyTimesOnSeveralConnections_isPlannedOnce() throws Exception {
    JdbcEngine engine = new JdbcEngine(rowSeal, 100);
    try (Connection c1 = engine.wrap(raw.getConnection()); Connection c2 = engine.wrap(raw.getConnection())) {
      for (int i = 1; i <= 50; i++) {
        try (PreparedStatement ps = (i % 2 == 0 ? c1 : c2).prepareStatement(insert)) {
          ps.setLong(1, i);
          ps.setString(2, "4111" + i);
          ps.setString(3, "n");
          ps.executeUpdate();
        }
      }
      assertThat(engine.plansMade()).isEqualTo(1);

      for (int i = 1; i <= 50; i++) {
        try (PreparedStatement ps = (i % 2 == 0 ? c1 : c2).prepareStatement(select)) {
          ps.setLong(1, i);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("4111" + i);
          }
        }
      }
      assertThat(engine.plansMade()).isEqualTo(2);
    }
  }

  @Test
  void statementExecute_sameSqlAsPrepared_sharesThePlan() throws Exception {
    JdbcEngine engine = new JdbcEngine(rowSeal, 100);
    String literal = select.replace("?", "1");
    try (Connection c = engine.wrap(raw.getConnection()); Statement s = c.createStatement()) {
      for (int i = 0; i < 20; i++) {
        try (ResultSet rs = s.executeQuery(literal)) {
          assertThat(rs.next()).isFalse();
        }
      }
      assertThat(engine.plansMade()).isEqualTo(1);
      c.prepareStatement(literal).close();
      assertThat(engine.plansMade()).isEqualTo(1);
    }
  }

  @Test
  void prepare_rejectedSqlManyTimes_isPlannedOnceAndRejectedEveryTime() throws Exception {
    JdbcEngine engine = new JdbcEngine(rowSeal, 100);
    String rejected = select.replace("id = ?", "card_number = ?");
    try (Connection c = engine.wrap(raw.getConnection())) {
      for (int i = 0; i < 10; i++) {
        assertThatThrownBy(() -> c.prepareStatement(rejected)).isInstanceOf(SQLFeatureNotSupportedException.class);
      }
    }
    assertThat(engine.plansMade()).isEqualTo(1);
  }

  @Test
  void prepare_sqlWithoutEncryptedTables_isPlannedOnceToo() throws Exception {
    JdbcEngine engine = new JdbcEngine(rowSeal, 100);
    try (Connection c = engine.wrap(raw.getConnection())) {
      for (int i = 0; i < 10; i++) {
        try (PreparedStatement ps = c.prepareStatement("select 1")) {
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
          }
        }
      }
    }
    assertThat(engine.plansMade()).isEqualTo(1);
  }

  /** Caffeine evicts in its maintenance cycle (asynchronously), so this waits for eviction, bounded in time. */
  @Test
  void prepare_moreDistinctSqlThanCacheSize_replansEvictedText() throws Exception {
    JdbcEngine engine = new JdbcEngine(rowSeal, 1);
    // Waits for the event (a re-plan), not a time: the deadline only stops a broken cache from hanging the
    // build, so it is generous (a loaded 2-core machine can delay Caffeine's maintenance for seconds).
    long deadline = System.nanoTime() + 60_000_000_000L;
    try (Connection c = engine.wrap(raw.getConnection())) {
      while (engine.plansMade() <= 2 && System.nanoTime() < deadline) {
        c.prepareStatement(insert).close();
        c.prepareStatement(select).close();
        Thread.sleep(1);
      }
    }
    assertThat(engine.plansMade()).as("texts planned again after eviction from a one-entry cache").isGreaterThan(2);
  }
}
