package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.format.WrappedDataKey;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Updates re-encrypt per row: a partial update keeps the row's data key (re-wrapped under the active
 * master key if an older one wrapped it), a full update gives the row a new one, and an update that
 * matches no row changes nothing.
 */
class UpdateTest {

  private static DataKey dataKey(Cards cards, long id, AesGcmMasterKey... keys) throws SQLException {
    return Cards.unwrap(cards.rawBytes(id, "rowseal_dek"), cards.table, Long.toString(id), keys);
  }

  private static int update(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      return ps.executeUpdate();
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void partialUpdate_oneEncryptedColumn_keepsDataKeyAndOtherColumnsReadable(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      cards.seed(2);
      DataKey before = dataKey(cards, 1, cards.k1);
      byte[] cvvBefore = cards.rawBytes(1, "cvv");
      try (Connection c = cards.wrapped.getConnection()) {
        assertThat(update(c, cards.sql("update T set card_number = ? where id = ?"), "5500000000000004", 1L))
            .isEqualTo(1);
      }
      assertThat(dataKey(cards, 1, cards.k1).equalsKey(before)).as("same data key").isTrue();
      assertThat(cards.rawBytes(1, "cvv")).as("untouched column's ciphertext").isEqualTo(cvvBefore);
      assertThat(cards.read(1, "card_number")).isEqualTo("5500000000000004");
      assertThat(cards.read(1, "cvv")).isEqualTo(Cards.cvv(1));
      assertThat(cards.read(1, "holder")).isEqualTo(Cards.holder(1));
      assertThat(cards.read(2, "card_number")).isEqualTo(Cards.number(2)); // the other row is untouched
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void partialUpdate_afterKeyRotation_rewrapsCompanionUnderActiveKey(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      cards.seed(2);
      DataKey before = dataKey(cards, 1, cards.k1);
      AesGcmMasterKey k2 = Cards.masterKey("k2");
      RowSealDataSource rotated = RowSealDataSource.wrap(cards.raw, cards.rowSeal(KeyRing.of(k2, cards.k1)));

      try (Connection c = rotated.getConnection()) {
        assertThat(update(c, cards.sql("update T set cvv = ? where id = ?"), "999", 1L)).isEqualTo(1);
      }
      byte[] companion = cards.rawBytes(1, "rowseal_dek");
      assertThat(WrappedDataKey.decode(companion).keyRef()).isEqualTo(KeyRef.of("local:k2"));
      assertThat(WrappedDataKey.decode(companion).isRowBound()).isTrue();
      assertThat(dataKey(cards, 1, k2).equalsKey(before)).as("same data key, new wrap").isTrue();
      assertThat(WrappedDataKey.decode(cards.rawBytes(2, "rowseal_dek")).keyRef())
          .as("a row not written stays under its key").isEqualTo(KeyRef.of("local:k1"));

      assertThat(cards.read(rotated, 1, "cvv")).isEqualTo("999");
      assertThat(cards.read(rotated, 1, "card_number")).isEqualTo(Cards.number(1));
      assertThat(cards.read(rotated, 1, "holder")).isEqualTo(Cards.holder(1));
      assertThat(cards.read(rotated, 2, "card_number")).isEqualTo(Cards.number(2));

      // the old configuration (k1 only) can no longer open the rewrapped row: proof the wrap moved
      Throwable thrown = catchThrowable(() -> cards.read(1, "card_number"));
      assertThat(thrown).isInstanceOf(SQLException.class).hasMessageContaining("local:k2");
      assertThat(((SQLException) thrown).getSQLState()).isEqualTo("58R01");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void fullUpdate_everyEncryptedColumn_givesRowNewDataKey(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      cards.seed(1);
      DataKey before = dataKey(cards, 1, cards.k1);
      try (Connection c = cards.wrapped.getConnection()) {
        assertThat(update(c, cards.sql("update T set holder = ?, card_number = ?, cvv = ?, note = ? where id = ?"),
            "New Holder", "5500000000000004", "321", "rewritten", 1L)).isEqualTo(1);
      }
      assertThat(dataKey(cards, 1, cards.k1).equalsKey(before)).as("same data key").isFalse();
      assertThat(cards.read(1, "holder")).isEqualTo("New Holder");
      assertThat(cards.read(1, "card_number")).isEqualTo("5500000000000004");
      assertThat(cards.read(1, "cvv")).isEqualTo("321");
      assertThat(cards.read(1, "note")).isEqualTo("rewritten");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void update_missingId_returnsZeroAndChangesNothing(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      cards.seed(2);
      List<String> before = cards.snapshot();
      try (Connection c = cards.wrapped.getConnection()) {
        assertThat(update(c, cards.sql("update T set card_number = ? where id = ?"), "5500000000000004", 99L))
            .as("partial").isZero();
        assertThat(update(c, cards.sql("update T set holder = ?, card_number = ?, cvv = ? where id = ?"),
            "H", "5500000000000004", "321", 99L)).as("full").isZero();
        // a batch of partial updates where one id is missing
        try (PreparedStatement ps = c.prepareStatement(cards.sql("update T set cvv = ? where id = ?"))) {
          ps.setString(1, "111");
          ps.setLong(2, 98);
          ps.addBatch();
          ps.setString(1, "222");
          ps.setLong(2, 99);
          ps.addBatch();
          assertThat(ps.executeBatch()).containsExactly(0, 0);
        }
      }
      assertThat(cards.count()).isEqualTo(2);
      assertThat(cards.snapshot()).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void execute_partialUpdateOfMissingRow_reportsUpdateCountZeroThenNoMoreResults(Db db) throws Exception {
    try (Cards cards = Cards.create(db); Connection c = cards.wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement(cards.sql("update T set card_number = ? where id = ?"))) {
      ps.setString(1, "5500000000000004");
      ps.setLong(2, 99);
      assertThat(ps.execute()).isFalse();
      assertThat(ps.getUpdateCount()).isZero();
      assertThat(ps.getResultSet()).isNull();
      assertThat(ps.getMoreResults()).isFalse();
      assertThat(ps.getUpdateCount()).isEqualTo(-1);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void partialUpdate_idAsStringLiteral_locksAndUpdatesTheRow(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      cards.seed(2);
      try (Connection c = cards.wrapped.getConnection(); Statement s = c.createStatement()) {
        assertThat(s.executeUpdate(cards.sql("update T set card_number = '5500000000000004' where id = '1'")))
            .isEqualTo(1);
      }
      assertThat(cards.read(1, "card_number")).isEqualTo("5500000000000004");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void versionedUpdate_staleVersion_returnsZeroAndChangesNothing(Db db) throws Exception {
    try (Cards cards = Cards.on(db).withVersion().build()) {
      cards.seed(1);
      cards.rawExec(cards.sql("update T set version = 3 where id = 1"));
      AesGcmMasterKey k2 = Cards.masterKey("k2");
      // a rotated configuration too: a stale update must not even rewrap the companion
      RowSealDataSource rotated = RowSealDataSource.wrap(cards.raw, cards.rowSeal(KeyRing.of(k2, cards.k1)));
      List<String> before = cards.snapshot();
      try (Connection c = rotated.getConnection()) {
        assertThat(update(c, cards.sql("update T set card_number = ?, version = ? where id = ? and version = ?"),
            "5500000000000004", 3L, 1L, 2L)).as("partial, stale").isZero();
        assertThat(update(c, cards.sql(
            "update T set holder = ?, card_number = ?, cvv = ?, version = ? where id = ? and version = ?"),
            "H", "5500000000000004", "321", 3L, 1L, 2L)).as("full, stale").isZero();
      }
      assertThat(cards.snapshot()).isEqualTo(before);

      try (Connection c = rotated.getConnection()) {
        assertThat(update(c, cards.sql("update T set card_number = ?, version = ? where id = ? and version = ?"),
            "5500000000000004", 4L, 1L, 3L)).as("partial, current").isEqualTo(1);
      }
      assertThat(cards.read(rotated, 1, "card_number")).isEqualTo("5500000000000004");
      assertThat(cards.read(rotated, 1, "cvv")).isEqualTo(Cards.cvv(1));
      assertThat(cards.read(rotated, 1, "version")).isEqualTo("4");
    }
  }
}
