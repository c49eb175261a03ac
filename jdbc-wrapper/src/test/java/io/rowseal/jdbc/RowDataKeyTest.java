package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.key.DataKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every row written gets its own data key, however many rows one statement writes. */
class RowDataKeyTest {
  private static final int ROWS = 25;

  @ParameterizedTest
  @EnumSource(Db.class)
  void executeBatch_manyRows_givesEachRowItsOwnDataKey(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      try (Connection c = cards.wrapped.getConnection();
          PreparedStatement ps = c.prepareStatement(cards.sql(Cards.INSERT))) {
        for (int id = 1; id <= ROWS; id++) {
          ps.setLong(1, id);
          ps.setString(2, Cards.holder(id));
          ps.setString(3, Cards.number(id));
          ps.setString(4, Cards.cvv(id));
          ps.setString(5, "batch");
          ps.addBatch();
        }
        assertThat(ps.executeBatch()).hasSize(ROWS);
      }
      assertDistinctDataKeys(cards, ROWS);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void executeUpdate_multiRowValues_givesEachRowItsOwnDataKey(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      try (Connection c = cards.wrapped.getConnection();
          PreparedStatement ps = c.prepareStatement(cards.sql("insert into T (id, holder, card_number, cvv, note)"
              + " values (?, ?, ?, ?, 'multi'), (?, ?, ?, ?, 'multi'),"
              + " (?, ?, ?, ?, 'multi'), (?, ?, ?, ?, 'multi')"))) {
        for (int id = 1; id <= 4; id++) {
          int at = (id - 1) * 4;
          ps.setLong(at + 1, id);
          ps.setString(at + 2, Cards.holder(id));
          ps.setString(at + 3, Cards.number(id));
          ps.setString(at + 4, Cards.cvv(id));
        }
        assertThat(ps.executeUpdate()).isEqualTo(4);
      }
      assertDistinctDataKeys(cards, 4);
    }
  }

  /**
   * Unwraps every row's data key from its raw companion with the master key (companion bytes alone
   * would differ anyway: each wrap has a random nonce) and checks no two rows share one; also opens
   * each row with core and decrypts its values.
   */
  private static void assertDistinctDataKeys(Cards cards, int rows) throws SQLException {
    List<DataKey> keys = new ArrayList<>();
    Set<String> companions = new HashSet<>();
    for (long id = 1; id <= rows; id++) {
      byte[] companion = cards.rawBytes(id, "rowseal_dek");
      assertThat(companion).as("companion of row %s", id).isNotNull();
      assertThat(WrappedDataKey.decode(companion).isRowBound()).isTrue();
      companions.add(HexFormat.of().formatHex(companion));
      keys.add(Cards.unwrap(companion, cards.table, Long.toString(id), cards.k1));
      try (RowKey key = cards.rowSeal.openRowKey(cards.table, RowId.of(id), companion)) {
        assertThat(key.decrypt(cards.table.column("card_number"), cards.rawBytes(id, "card_number"), String.class))
            .isEqualTo(Cards.number(id));
      }
    }
    assertThat(companions).hasSize(rows);
    List<String> shared = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      for (int j = i + 1; j < keys.size(); j++) {
        if (keys.get(i).equalsKey(keys.get(j))) {
          shared.add("rows " + (i + 1) + " and " + (j + 1));
        }
      }
    }
    assertThat(shared).as("rows sharing a data key").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void read_valueSwappedBetweenRows_failsWith22R01(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      cards.seed(2);
      swapCardNumbers(cards, 1, 2);
      SQLException e = readCardNumberFailure(cards, 1);
      assertThat(e.getSQLState()).isEqualTo("22R01");
      assertThat(e.getMessage()).contains(cards.name + ".card_number").contains("row 1").contains("local:k1")
          .doesNotContain(Cards.number(1)).doesNotContain(Cards.number(2));
      assertThat(cards.read(1, "cvv")).isEqualTo(Cards.cvv(1)); // the row's other values are intact
    }
  }

  /**
   * Unbound rows (database-generated ids) share the AAD's empty row id, so only distinct data keys
   * stop a value moved from one such row to another from decrypting.
   */
  @ParameterizedTest
  @EnumSource(Db.class)
  void read_valueSwappedBetweenUnboundBatchRows_failsWith22R01(Db db) throws Exception {
    try (Cards cards = Cards.on(db).withIdentityId().build()) {
      try (Connection c = cards.wrapped.getConnection();
          PreparedStatement ps = c.prepareStatement(
              cards.sql("insert into T (holder, card_number, cvv, note) values (?, ?, ?, ?)"))) {
        for (int i = 1; i <= 2; i++) {
          ps.setString(1, Cards.holder(i));
          ps.setString(2, Cards.number(i));
          ps.setString(3, Cards.cvv(i));
          ps.setString(4, "unbound");
          ps.addBatch();
        }
        ps.executeBatch();
      }
      long[] ids = ids(cards);
      assertThat(ids).hasSize(2);
      assertThat(WrappedDataKey.decode(cards.rawBytes(ids[0], "rowseal_dek")).isRowBound()).isFalse();
      assertThat(cards.read(ids[0], "card_number")).isEqualTo(Cards.number(1)); // readable before the swap
      swapCardNumbers(cards, ids[0], ids[1]);
      assertThat(readCardNumberFailure(cards, ids[0]).getSQLState()).isEqualTo("22R01");
      assertThat(readCardNumberFailure(cards, ids[1]).getSQLState()).isEqualTo("22R01");
    }
  }

  private static long[] ids(Cards cards) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection c = cards.raw.getConnection();
        PreparedStatement ps = c.prepareStatement(cards.sql("select id from T order by id"));
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  private static void swapCardNumbers(Cards cards, long a, long b) throws SQLException {
    byte[] va = cards.rawBytes(a, "card_number");
    byte[] vb = cards.rawBytes(b, "card_number");
    try (Connection c = cards.raw.getConnection();
        PreparedStatement ps = c.prepareStatement(cards.sql("update T set card_number = ? where id = ?"))) {
      ps.setBytes(1, vb);
      ps.setLong(2, a);
      ps.executeUpdate();
      ps.setBytes(1, va);
      ps.setLong(2, b);
      ps.executeUpdate();
    }
  }

  private static SQLException readCardNumberFailure(Cards cards, long id) {
    Throwable thrown = catchThrowable(() -> cards.read(id, "card_number"));
    assertThat(thrown).as("reading row %s", id).isInstanceOf(SQLException.class);
    return (SQLException) thrown;
  }
}
