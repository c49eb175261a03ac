package io.rowseal.jdbc;

import io.rowseal.jdbc.KeySetups.EveryKeySetup;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.format.WrappedDataKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rows whose id the database generates are written unbound (row-bound flag 0, empty row id in every
 * AAD), hand back only the id as the generated key, and read back.
 */
class GeneratedIdsTest {

  @EveryKeySetup
  void insertWithoutId_returnGeneratedKeys_returnsOnlyTheIdAndRowReadsBack(KeySetups.Setup setup) throws Exception {
    try (Cards cards = Cards.on(setup).withIdentityId().build()) {
      List<Long> ids = new ArrayList<>();
      try (Connection c = cards.wrapped.getConnection();
          PreparedStatement ps = c.prepareStatement(
              cards.sql("insert into T (holder, card_number, cvv, note) values (?, ?, ?, ?)"),
              Statement.RETURN_GENERATED_KEYS)) {
        for (int i = 1; i <= 2; i++) {
          ps.setString(1, Cards.holder(i));
          ps.setString(2, Cards.number(i));
          ps.setString(3, Cards.cvv(i));
          ps.setString(4, "generated");
          assertThat(ps.executeUpdate()).isEqualTo(1);
          try (ResultSet keys = ps.getGeneratedKeys()) {
            assertThat(keys.getMetaData().getColumnCount()).as("generated key columns").isEqualTo(1);
            assertThat(keys.next()).isTrue();
            ids.add(keys.getLong(1));
            assertThat(keys.next()).isFalse();
          }
        }
      }
      assertThat(ids).doesNotHaveDuplicates();
      for (int i = 1; i <= 2; i++) {
        long id = ids.get(i - 1);
        byte[] companion = cards.rawBytes(id, "rowseal_dek");
        assertThat(companion[1]).as("flags byte: row-bound bit clear").isEqualTo((byte) 0);
        assertThat(WrappedDataKey.decode(companion).isRowBound()).isFalse();
        assertThat(cards.read(id, "card_number")).isEqualTo(Cards.number(i));
        assertThat(cards.read(id, "holder")).isEqualTo(Cards.holder(i));
        assertThat(cards.read(id, "cvv")).isEqualTo(Cards.cvv(i));
      }
    }
  }

  @EveryKeySetup
  void statementInsertWithoutId_returnGeneratedKeys_returnsOnlyTheId(KeySetups.Setup setup) throws Exception {
    try (Cards cards = Cards.on(setup).withIdentityId().build()) {
      long id;
      try (Connection c = cards.wrapped.getConnection(); Statement s = c.createStatement()) {
        assertThat(s.executeUpdate(cards.sql("insert into T (holder, card_number, cvv, note) values"
            + " ('Lit Holder', '4000000000000077', '077', 'literal')"), Statement.RETURN_GENERATED_KEYS)).isEqualTo(1);
        try (ResultSet keys = s.getGeneratedKeys()) {
          assertThat(keys.getMetaData().getColumnCount()).isEqualTo(1);
          assertThat(keys.next()).isTrue();
          id = keys.getLong(1);
        }
      }
      assertThat(cards.rawBytes(id, "rowseal_dek")[1]).isEqualTo((byte) 0);
      assertThat(cards.read(id, "card_number")).isEqualTo("4000000000000077");
    }
  }

  @EveryKeySetup
  void updateOfUnboundRow_someColumns_keepsItReadable(KeySetups.Setup setup) throws Exception {
    try (Cards cards = Cards.on(setup).withIdentityId().build()) {
      long id;
      try (Connection c = cards.wrapped.getConnection()) {
        try (PreparedStatement ps = c.prepareStatement(
            cards.sql("insert into T (holder, card_number, cvv) values (?, ?, ?)"), Statement.RETURN_GENERATED_KEYS)) {
          ps.setString(1, "Unbound Holder");
          ps.setString(2, "4000000000000010");
          ps.setString(3, "010");
          ps.executeUpdate();
          try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            id = keys.getLong(1);
          }
        }
        try (PreparedStatement ps = c.prepareStatement(cards.sql("update T set cvv = ? where id = ?"))) {
          ps.setString(1, "011");
          ps.setLong(2, id);
          assertThat(ps.executeUpdate()).isEqualTo(1);
        }
      }
      assertThat(cards.read(id, "cvv")).isEqualTo("011");
      assertThat(cards.read(id, "card_number")).isEqualTo("4000000000000010");
      assertThat(cards.read(id, "holder")).isEqualTo("Unbound Holder");
    }
  }
}
