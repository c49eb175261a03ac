package io.rowseal.jdbc.frameworks;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.jdbc.frameworks.JooqCards.Quoting;
import java.util.List;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jOOQ's DSL on an encrypted table through {@link io.rowseal.jdbc.RowSealDataSource}, rendered as generated
 * code renders it (schema-qualified, every name quoted) and unquoted: insert, select by id, selectFrom, a page
 * with limit/offset, update by id and delete read back what was written and store only ciphertext. Each
 * statement has its own test so one refusal does not hide another.
 */
class JooqTest {

  static Stream<Arguments> databasesAndQuoting() {
    return Stream.of(FrameworkDb.values())
        .flatMap(db -> Stream.of(Quoting.values()).map(q -> Arguments.of(db, q)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("databasesAndQuoting")
  void insertInto_values_storesCiphertext(FrameworkDb db, Quoting quoting) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      JooqCards t = new JooqCards(cards);
      DSLContext ctx = JooqCards.using(cards.wrapped, db, quoting);
      Card card = Card.sample(1);

      int inserted = ctx.insertInto(t.table, t.id, t.cardNumber, t.holder, t.note, t.amount)
          .values(card.id(), card.cardNumber(), card.holder(), card.note(), card.amount())
          .execute();

      assertThat(inserted).isEqualTo(1);
      cards.assertStoredEncrypted(card);
      assertThat(cards.read(card.id())).isEqualTo(card);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("databasesAndQuoting")
  void batch_insertInto_storesCiphertext(FrameworkDb db, Quoting quoting) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      JooqCards t = new JooqCards(cards);
      DSLContext ctx = JooqCards.using(cards.wrapped, db, quoting);
      List<Card> all = SpringJdbcTest.samples(3);

      var batch = ctx.batch(ctx.insertInto(t.table, t.id, t.cardNumber, t.holder, t.note, t.amount)
          .values((Long) null, null, null, null, null));
      for (Card c : all) {
        batch.bind(c.id(), c.cardNumber(), c.holder(), c.note(), c.amount());
      }
      batch.execute();

      for (Card c : all) {
        cards.assertStoredEncrypted(c);
        assertThat(cards.read(c.id())).isEqualTo(c);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("databasesAndQuoting")
  void select_byId_decrypts(FrameworkDb db, Quoting quoting) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      JooqCards t = new JooqCards(cards);
      List<Card> all = SpringJdbcTest.samples(3);
      cards.insert(all);

      Card read = JooqCards.using(cards.wrapped, db, quoting)
          .select(t.columns).from(t.table).where(t.id.eq(2L))
          .fetchOne(t::card);

      assertThat(read).isEqualTo(all.get(1));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("databasesAndQuoting")
  void selectFrom_byId_decrypts(FrameworkDb db, Quoting quoting) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      JooqCards t = new JooqCards(cards);
      List<Card> all = SpringJdbcTest.samples(3);
      cards.insert(all);

      Card read = JooqCards.using(cards.wrapped, db, quoting)
          .selectFrom(t.table).where(t.id.eq(3L))
          .fetchOne(t::card);

      assertThat(read).isEqualTo(all.get(2));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("databasesAndQuoting")
  void select_pageWithLimitOffset_decrypts(FrameworkDb db, Quoting quoting) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      JooqCards t = new JooqCards(cards);
      List<Card> all = SpringJdbcTest.samples(5);
      cards.insert(all);

      List<Card> page = JooqCards.using(cards.wrapped, db, quoting)
          .select(t.columns).from(t.table).orderBy(t.id).limit(2).offset(2)
          .fetch(t::card);

      assertThat(page).containsExactly(all.get(2), all.get(3));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("databasesAndQuoting")
  void update_setWhereId_reencrypts(FrameworkDb db, Quoting quoting) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      JooqCards t = new JooqCards(cards);
      List<Card> all = SpringJdbcTest.samples(2);
      cards.insert(all);
      Card updated = all.get(0).updated();

      int count = JooqCards.using(cards.wrapped, db, quoting)
          .update(t.table)
          .set(t.cardNumber, updated.cardNumber())
          .set(t.holder, updated.holder())
          .set(t.note, updated.note())
          .set(t.amount, updated.amount())
          .where(t.id.eq(updated.id()))
          .execute();

      assertThat(count).isEqualTo(1);
      cards.assertStoredEncrypted(updated);
      assertThat(cards.read(1)).isEqualTo(updated);
      assertThat(cards.read(2)).isEqualTo(all.get(1));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("databasesAndQuoting")
  void deleteFrom_whereId_deletesTheRow(FrameworkDb db, Quoting quoting) throws Exception {
    try (EncryptedCards cards = EncryptedCards.create(db)) {
      JooqCards t = new JooqCards(cards);
      cards.insert(SpringJdbcTest.samples(3));

      int count = JooqCards.using(cards.wrapped, db, quoting)
          .deleteFrom(t.table).where(t.id.eq(2L))
          .execute();

      assertThat(count).isEqualTo(1);
      assertThat(cards.rawIds()).containsExactly(1L, 3L);
    }
  }
}
