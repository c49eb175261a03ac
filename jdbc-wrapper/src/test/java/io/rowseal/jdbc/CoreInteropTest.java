package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedColumn;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.key.KeyRing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The wrapper writes nothing but the documented formats: what it writes opens with core alone from
 * the raw bytes, and what core alone writes reads back through the wrapper.
 */
class CoreInteropTest {

  @ParameterizedTest
  @EnumSource(Db.class)
  void wrapperWrites_coreAloneDecryptsRawBytes(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      try (Connection c = cards.wrapped.getConnection()) {
        cards.insert(c, 7, "Ada Lovelace", "4111111111111111", "737", "n");
      }
      // A separate engine with the same master key: nothing shared with the wrapper but the key.
      RowSeal coreOnly = cards.rowSeal(KeyRing.of(cards.k1));
      byte[] companion = cards.rawBytes(7, "rowseal_dek");
      try (RowKey key = coreOnly.openRowKey(cards.table, RowId.of(7L), companion)) {
        assertThat(key.isRowBound()).isTrue();
        assertThat(key.decrypt(column(cards, "card_number"), cards.rawBytes(7, "card_number"), String.class))
            .isEqualTo("4111111111111111");
        assertThat(key.decrypt(column(cards, "cvv"), cards.rawBytes(7, "cvv"), String.class)).isEqualTo("737");
        assertThat(key.decrypt(column(cards, "holder"), cards.rawText(7, "holder"), String.class))
            .isEqualTo("Ada Lovelace");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void coreWrites_wrapperReads(Db db) throws Exception {
    try (Cards cards = Cards.create(db)) {
      RowSeal coreOnly = cards.rowSeal(KeyRing.of(cards.k1));
      try (Connection c = cards.raw.getConnection();
          PreparedStatement ps = c.prepareStatement(cards.sql(
              "insert into T (id, holder, card_number, cvv, note, rowseal_dek) values (?, ?, ?, ?, ?, ?)"))) {
        // row 1: row-bound, as the wrapper writes rows with known ids
        try (RowKey key = coreOnly.newRowKey(cards.table, RowId.of(1L))) {
          ps.setLong(1, 1);
          ps.setString(2, (String) key.encrypt(column(cards, "holder"), "Grace Hopper"));
          ps.setBytes(3, (byte[]) key.encrypt(column(cards, "card_number"), "5500000000000004"));
          ps.setBytes(4, (byte[]) key.encrypt(column(cards, "cvv"), "123"));
          ps.setString(5, "core bound");
          ps.setBytes(6, key.companion());
          ps.executeUpdate();
        }
        // row 2: unbound (its id was not known when it was sealed), a NULL cvv
        try (RowKey key = coreOnly.newRowKey(cards.table, RowId.unbound())) {
          ps.setLong(1, 2);
          ps.setString(2, (String) key.encrypt(column(cards, "holder"), "Alan Turing"));
          ps.setBytes(3, (byte[]) key.encrypt(column(cards, "card_number"), "4000000000000002"));
          ps.setNull(4, java.sql.Types.VARBINARY);
          ps.setString(5, "core unbound");
          ps.setBytes(6, key.companion());
          ps.executeUpdate();
        }
      }
      assertThat(cards.read(1, "holder")).isEqualTo("Grace Hopper");
      assertThat(cards.read(1, "card_number")).isEqualTo("5500000000000004");
      assertThat(cards.read(1, "cvv")).isEqualTo("123");
      assertThat(cards.read(2, "holder")).isEqualTo("Alan Turing");
      assertThat(cards.read(2, "card_number")).isEqualTo("4000000000000002");
      assertThat(cards.read(2, "cvv")).isNull();
    }
  }

  private static EncryptedColumn column(Cards cards, String name) {
    return cards.table.column(name);
  }
}
