package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.Normalization;
import io.rowseal.RowSeal;
import io.rowseal.SearchIndex;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.search.IndexKeyVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A lookup statement prepared before an index-key rotation and executed after it has moved on. The statement's
 * SQL compares only the index columns in use when it was prepared; once the rotation looks up a version in
 * another column, running that SQL would miss every row whose index is only there. It must fail (SQLState
 * 40001, prepare again), never answer with fewer rows; a statement prepared again finds them all.
 */
class SearchLookupAcrossRotationTest {
  private final KeyRing ring = KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), new byte[32]));

  @ParameterizedTest
  @EnumSource(Db.class)
  void lookupPreparedBeforeARotation_executedAfterItLooksUpAnotherColumn_failsInsteadOfMissingRows(Db db)
      throws Exception {
    DataSource raw = db.raw();
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table accounts (id bigint primary key, email " + db.binary() + ", email_idx " + db.binary()
          + ", email_idx_next " + db.binary() + ", rowseal_dek " + db.binary() + ")");
    }
    EncryptedTable table = EncryptedTable.builder("accounts").idColumns("id").column("email", String.class)
        .search("email", SearchIndex.in("email_idx").normalize(Normalization.LOWERCASE)).build();
    EncryptedColumn email = table.column("email");
    IndexKeyStore admin = IndexKeyStore.builder(raw, ring).stateTtl(Duration.ZERO).build();
    admin.migrate();
    AtomicLong nanos = new AtomicLong();
    IndexKeyStore store = IndexKeyStore.builder(raw, ring).stateTtl(Duration.ofSeconds(1)).ticker(nanos::get).build();
    DataSource ds = RowSealDataSource.builder(raw, RowSeal.builder().keyRing(ring).table(table).build())
        .indexKeys(store).build();
    Runnable catchUp = () -> nanos.addAndGet(Duration.ofSeconds(2).toNanos());

    try (Connection app = ds.getConnection();
        PreparedStatement oldLookup = app.prepareStatement("select id from accounts where email = ?")) {
      insert(app, 1, "a@x.example");
      assertThat(ids(oldLookup, "A@X.example")).containsExactly(1L);

      IndexKeyVersion v2 = admin.startRotation(email);
      catchUp.run();
      insert(app, 2, "b@x.example");
      assertThat(ids(oldLookup, "b@x.example")).as("phase 1: still one column looked up").containsExactly(2L);
      admin.activate(email, v2.version());
      catchUp.run();
      insert(app, 3, "c@x.example"); // written into both columns
      // phase 2: every row still has its version-1 value in email_idx, so the old SQL would still be complete; it
      // may answer, or refuse as below, never answer with fewer rows
      assertThat(idsOrRetry(oldLookup, "c@x.example")).isIn(List.of(3L), null);
      admin.stopWriting(email, 1);
      catchUp.run();
      insert(app, 4, "d@x.example"); // only in email_idx_next: the old SQL would answer with no row
      assertThatThrownBy(() -> ids(oldLookup, "d@x.example")).isInstanceOf(SQLException.class)
          .hasMessageContaining("email_idx_next").hasMessageContaining("prepare the statement again")
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("40001"));

      try (PreparedStatement again = app.prepareStatement("select id from accounts where email = ?")) {
        assertThat(ids(again, "d@x.example")).containsExactly(4L);
        assertThat(ids(again, "C@X.EXAMPLE")).containsExactly(3L);
        assertThat(ids(again, "a@x.example")).containsExactly(1L); // not re-indexed yet: found by version 1
      }
    }
  }

  private static void insert(Connection c, long id, String email) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("insert into accounts (id, email) values (?, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, email);
      ps.executeUpdate();
    }
  }

  /** The ids found, or null if the statement refused with 40001 (prepare again). */
  private static List<Long> idsOrRetry(PreparedStatement lookup, String email) throws SQLException {
    try {
      return ids(lookup, email);
    } catch (SQLException e) {
      if ("40001".equals(e.getSQLState())) {
        return null;
      }
      throw e;
    }
  }

  private static List<Long> ids(PreparedStatement lookup, String email) throws SQLException {
    lookup.setString(1, email);
    List<Long> out = new ArrayList<>();
    try (ResultSet rs = lookup.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }
}
