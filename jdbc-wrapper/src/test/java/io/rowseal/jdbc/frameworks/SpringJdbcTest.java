package io.rowseal.jdbc.frameworks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SimplePropertySqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSourceUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.SimpleJdbcInsert;

/**
 * Spring JDBC's ordinary calls (JdbcTemplate, NamedParameterJdbcTemplate, JdbcClient, SimpleJdbcInsert) on an
 * encrypted table through {@link io.rowseal.jdbc.RowSealDataSource}: insert, select by id, a page with
 * {@code limit ? offset ?}, update by id and delete read back what was written and store only ciphertext.
 */
class SpringJdbcTest {
  static final String INSERT = "insert into cards (id, card_number, holder, note, amount) values (?, ?, ?, ?, ?)";
  static final String SELECT_BY_ID = "select id, card_number, holder, note, amount from cards where id = ?";
  static final String SELECT_PAGE =
      "select id, card_number, holder, note, amount from cards order by id limit ? offset ?";
  static final String UPDATE_BY_ID = "update cards set card_number = ?, holder = ?, note = ?, amount = ? where id = ?";
  static final String DELETE_BY_ID = "delete from cards where id = ?";

  static final String INSERT_NAMED = "insert into cards (id, card_number, holder, note, amount)"
      + " values (:id, :cardNumber, :holder, :note, :amount)";
  static final String SELECT_BY_ID_NAMED = "select id, card_number, holder, note, amount from cards where id = :id";
  static final String SELECT_PAGE_NAMED =
      "select id, card_number, holder, note, amount from cards order by id limit :limit offset :offset";
  static final String UPDATE_BY_ID_NAMED = "update cards set card_number = :cardNumber, holder = :holder,"
      + " note = :note, amount = :amount where id = :id";
  static final String DELETE_BY_ID_NAMED = "delete from cards where id = :id";

  private static final RowMapper<Card> CARD = new DataClassRowMapper<>(Card.class);

  @ParameterizedTest
  @EnumSource(FrameworkDb.class)
  void jdbcTemplate_insertSelectUpdateDelete_roundTripsCiphertext(FrameworkDb db) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      JdbcTemplate jdbc = new JdbcTemplate(cards.wrapped);
      Card card = Card.sample(1);

      assertThat(jdbc.update(cards.sql(INSERT), card.id(), card.cardNumber(), card.holder(), card.note(),
          card.amount())).isEqualTo(1);
      cards.assertStoredEncrypted(card);
      assertThat(jdbc.queryForObject(cards.sql(SELECT_BY_ID), CARD, card.id())).isEqualTo(card);
      assertThat(jdbc.query(cards.sql(SELECT_BY_ID), CARD, card.id())).containsExactly(card);
      assertThat(jdbc.queryForObject(cards.sql("select card_number from cards where id = ?"), String.class,
          card.id())).isEqualTo(card.cardNumber());
      assertThat(jdbc.queryForMap(cards.sql("select holder, note from cards where id = ?"), card.id()))
          .hasEntrySatisfying(db.stored("holder"), v -> assertThat(v).isEqualTo(card.holder()));

      Card updated = card.updated();
      assertThat(jdbc.update(cards.sql(UPDATE_BY_ID), updated.cardNumber(), updated.holder(), updated.note(),
          updated.amount(), updated.id())).isEqualTo(1);
      cards.assertStoredEncrypted(updated);
      assertThat(jdbc.queryForObject(cards.sql(SELECT_BY_ID), CARD, card.id())).isEqualTo(updated);

      assertThat(jdbc.update(cards.sql(DELETE_BY_ID), card.id())).isEqualTo(1);
      assertThat(cards.rawIds()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(FrameworkDb.class)
  void jdbcTemplate_batchUpdateThenPage_encryptsEveryRowAndReadsThePage(FrameworkDb db) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      JdbcTemplate jdbc = new JdbcTemplate(cards.wrapped);
      List<Card> all = samples(5);

      int[] counts = jdbc.batchUpdate(cards.sql(INSERT), all.stream()
          .map(c -> new Object[] {c.id(), c.cardNumber(), c.holder(), c.note(), c.amount()}).toList());
      assertThat(counts).hasSize(5);
      for (Card c : all) {
        cards.assertStoredEncrypted(c);
      }
      assertThat(jdbc.query(cards.sql(SELECT_PAGE), CARD, 2, 2)).containsExactly(all.get(2), all.get(3));
      assertThat(jdbc.query(cards.sql(SELECT_PAGE), CARD, 10, 4)).containsExactly(all.get(4));

      List<Card> updated = all.stream().map(Card::updated).toList();
      jdbc.batchUpdate(cards.sql(UPDATE_BY_ID), updated.stream()
          .map(c -> new Object[] {c.cardNumber(), c.holder(), c.note(), c.amount(), c.id()}).toList());
      for (Card c : updated) {
        cards.assertStoredEncrypted(c);
      }
      assertThat(jdbc.query(cards.sql(SELECT_PAGE), CARD, 5, 0)).isEqualTo(updated);

      jdbc.batchUpdate(cards.sql(DELETE_BY_ID), List.of(new Object[] {1L}, new Object[] {2L}));
      assertThat(cards.rawIds()).containsExactly(3L, 4L, 5L);
    }
  }

  @ParameterizedTest
  @EnumSource(FrameworkDb.class)
  void namedParameterJdbcTemplate_insertSelectPageUpdateDelete_roundTripsCiphertext(FrameworkDb db)
      throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(cards.wrapped);
      List<Card> all = samples(4);

      assertThat(named.update(cards.sql(INSERT_NAMED), new SimplePropertySqlParameterSource(all.get(0))))
          .isEqualTo(1);
      named.batchUpdate(cards.sql(INSERT_NAMED), SqlParameterSourceUtils.createBatch(all.subList(1, 4)));
      for (Card c : all) {
        cards.assertStoredEncrypted(c);
      }
      assertThat(named.queryForObject(cards.sql(SELECT_BY_ID_NAMED), Map.of("id", 2L), CARD)).isEqualTo(all.get(1));
      assertThat(named.query(cards.sql(SELECT_PAGE_NAMED),
          new MapSqlParameterSource("limit", 2).addValue("offset", 1), CARD))
          .containsExactly(all.get(1), all.get(2));

      Card updated = all.get(2).updated();
      assertThat(named.update(cards.sql(UPDATE_BY_ID_NAMED), new SimplePropertySqlParameterSource(updated)))
          .isEqualTo(1);
      cards.assertStoredEncrypted(updated);
      assertThat(named.queryForObject(cards.sql(SELECT_BY_ID_NAMED), Map.of("id", 3L), CARD)).isEqualTo(updated);

      assertThat(named.update(cards.sql(DELETE_BY_ID_NAMED), Map.of("id", 1L))).isEqualTo(1);
      assertThat(cards.rawIds()).containsExactly(2L, 3L, 4L);
    }
  }

  @ParameterizedTest
  @EnumSource(FrameworkDb.class)
  void jdbcClient_insertSelectPageUpdateDelete_roundTripsCiphertext(FrameworkDb db) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      JdbcClient client = JdbcClient.create(cards.wrapped);
      List<Card> all = samples(4);

      for (Card c : all) {
        assertThat(client.sql(cards.sql(INSERT_NAMED)).paramSource(c).update()).isEqualTo(1);
        cards.assertStoredEncrypted(c);
      }
      assertThat(client.sql(cards.sql(SELECT_BY_ID_NAMED)).param("id", 2L).query(Card.class).single())
          .isEqualTo(all.get(1));
      assertThat(client.sql(cards.sql(SELECT_BY_ID)).param(4L).query(Card.class).optional()).contains(all.get(3));
      assertThat(client.sql(cards.sql("select holder from cards where id = ?")).param(1L).query(String.class).single())
          .isEqualTo(all.get(0).holder());
      assertThat(client.sql(cards.sql(SELECT_PAGE_NAMED)).param("limit", 3).param("offset", 1)
          .query(Card.class).list()).containsExactly(all.get(1), all.get(2), all.get(3));

      Card updated = all.get(0).updated();
      assertThat(client.sql(cards.sql(UPDATE_BY_ID_NAMED)).paramSource(updated).update()).isEqualTo(1);
      cards.assertStoredEncrypted(updated);
      assertThat(client.sql(cards.sql(SELECT_BY_ID)).param(1L).query(Card.class).single()).isEqualTo(updated);

      assertThat(client.sql(cards.sql(DELETE_BY_ID)).param(2L).update()).isEqualTo(1);
      assertThat(cards.rawIds()).containsExactly(1L, 3L, 4L);
    }
  }

  @ParameterizedTest
  @EnumSource(FrameworkDb.class)
  void simpleJdbcInsert_explicitColumns_encryptsAndReadsBack(FrameworkDb db) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      SimpleJdbcInsert insert = new SimpleJdbcInsert(cards.wrapped).withTableName(cards.name)
          .usingColumns("id", "card_number", "holder", "note", "amount");
      Card card = Card.sample(7);

      assertThat(insert.execute(new SimplePropertySqlParameterSource(card))).isEqualTo(1);

      cards.assertStoredEncrypted(card);
      assertThat(new JdbcTemplate(cards.wrapped).queryForObject(cards.sql(SELECT_BY_ID), CARD, card.id()))
          .isEqualTo(card);
    }
  }

  /**
   * SimpleJdbcInsert without {@code usingColumns} builds its INSERT from {@code DatabaseMetaData.getColumns}.
   * The wrapper must hide the companion column there (it is RowSeal's, not the application's), so the INSERT
   * names only the application's columns and RowSeal adds the companion itself.
   */
  @Disabled("needs DatabaseMetaData.getColumns to hide the companion: fail-closed issue")
  @ParameterizedTest
  @EnumSource(FrameworkDb.class)
  void simpleJdbcInsert_columnsFromMetaData_encryptsAndReadsBack(FrameworkDb db) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      SimpleJdbcInsert insert = new SimpleJdbcInsert(cards.wrapped).withTableName(cards.name);
      Card card = Card.sample(8);

      assertThat(insert.execute(new SimplePropertySqlParameterSource(card))).isEqualTo(1);

      assertThat(insert.getInsertString()).doesNotContainIgnoringCase("rowseal_dek");
      cards.assertStoredEncrypted(card);
      assertThat(new JdbcTemplate(cards.wrapped).queryForObject(cards.sql(SELECT_BY_ID), CARD, card.id()))
          .isEqualTo(card);
    }
  }

  static List<Card> samples(int n) {
    return LongStream.rangeClosed(1, n).mapToObj(Card::sample).toList();
  }
}
