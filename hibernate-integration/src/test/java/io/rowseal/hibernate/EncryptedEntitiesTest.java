package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.jdbc.RowSealDataSource;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Entities with {@code @Encrypted} fields through a real Hibernate 7 SessionFactory on H2 and PostgreSQL. */
class EncryptedEntitiesTest {
  private static final String NUMBER = "4111111111111111";
  private static final String HOLDER = "Jane Q Public";
  private static final String CVV = "737";
  private static final String NAME = "Jane Public";
  private static final String NATIONAL_ID = "AB123456C";

  @ParameterizedTest
  @EnumSource(Db.class)
  void persistThenFind_freshSession_returnsPlaintext(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      long cardId = persistCard(hib);

      Card card = hib.fromTransaction(s -> s.find(Card.class, cardId));

      assertThat(card.number).isEqualTo(NUMBER);
      assertThat(card.holderName).isEqualTo(HOLDER);
      assertThat(card.cvv).isEqualTo(CVV);
      assertThat(card.customer.name).isEqualTo(NAME);
      assertThat(card.customer.nationalId).isEqualTo(NATIONAL_ID);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void persist_rawColumns_areRowSealFormatAndRowBound(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      long cardId = persistCard(hib);

      try (Connection c = hib.raw.getConnection(); PreparedStatement ps = c.prepareStatement(
          "select number, holderName, cvv, rowseal_dek from Card where id = ?")) {
        ps.setLong(1, cardId);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          for (int i = 1; i <= 3; i++) {
            byte[] stored = rs.getBytes(i);
            assertThat(stored[0]).as("format version of column %d", i).isEqualTo((byte) 0x01);
            String asText = new String(stored, StandardCharsets.ISO_8859_1);
            assertThat(asText).doesNotContain(NUMBER).doesNotContain(HOLDER).doesNotContain(CVV);
          }
          byte[] companion = rs.getBytes(4);
          assertThat(companion[0]).isEqualTo((byte) 0x01);
          assertThat(companion[1]).as("row-bound flag (SEQUENCE ids are known before the insert)").isEqualTo((byte) 1);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void persist_readsBackThroughJdbcWrapperAndCoreAlone(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      long cardId = persistCard(hib);
      RowSeal rowSeal = hib.rowSeal();

      try (Connection c = RowSealDataSource.wrap(hib.raw, rowSeal).getConnection();
          PreparedStatement ps = c.prepareStatement("select number, holderName, cvv from Card where id = ?")) {
        ps.setLong(1, cardId);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo(NUMBER);
          assertThat(rs.getString(2)).isEqualTo(HOLDER);
          assertThat(rs.getString(3)).isEqualTo(CVV);
        }
      }

      EncryptedTable cards = rowSeal.table("Card");
      try (Connection c = hib.raw.getConnection(); PreparedStatement ps = c.prepareStatement(
          "select number, holderName, cvv, rowseal_dek from Card where id = ?")) {
        ps.setLong(1, cardId);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          try (RowKey key = rowSeal.openRowKey(cards, RowId.of(cardId), rs.getBytes(4))) {
            assertThat(key.decrypt(cards.column("number"), rs.getBytes(1), String.class)).isEqualTo(NUMBER);
            assertThat(key.decrypt(cards.column("holderName"), rs.getBytes(2), String.class)).isEqualTo(HOLDER);
            assertThat(key.decrypt(cards.column("cvv"), rs.getBytes(3), String.class)).isEqualTo(CVV);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void writtenThroughJdbcWrapper_readsBackThroughHibernate(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      try (Connection c = RowSealDataSource.wrap(hib.raw, hib.rowSeal()).getConnection();
          PreparedStatement ps = c.prepareStatement("insert into Customer (id, name, nationalId) values (?, ?, ?)")) {
        ps.setLong(1, 900_001L);
        ps.setString(2, NAME);
        ps.setString(3, NATIONAL_ID);
        ps.executeUpdate();
      }

      Customer customer = hib.fromTransaction(s -> s.find(Customer.class, 900_001L));

      assertThat(customer.name).isEqualTo(NAME);
      assertThat(customer.nationalId).isEqualTo(NATIONAL_ID);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void flush_unchangedLoadedEntity_issuesNoUpdate(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      long cardId = persistCard(hib);
      hib.statements.clear();

      hib.inTransaction(s -> {
        Card card = s.find(Card.class, cardId);
        assertThat(card.number).isEqualTo(NUMBER);
        s.flush();
      });

      assertThat(hib.count("select")).isPositive();
      assertThat(hib.count("update")).isZero();
      assertThat(hib.count("insert")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void hqlPredicate_onEncryptedAttribute_failsInsteadOfEmptyResult(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      persistCard(hib);

      assertThatThrownBy(() -> hib.fromTransaction(s -> s.createQuery(
              "select c from Card c where c.number = :n", Card.class).setParameter("n", NUMBER).getResultList()))
          .hasStackTraceContaining("number")
          .hasStackTraceContaining("Card")
          .satisfies(e -> assertThat(sqlStates(e)).contains("0A000"));
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void criteriaPredicate_onEncryptedAttribute_failsInsteadOfEmptyResult(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      persistCard(hib);

      assertThatThrownBy(() -> hib.fromTransaction(s -> {
        var cb = s.getCriteriaBuilder();
        var q = cb.createQuery(Card.class);
        var root = q.from(Card.class);
        q.select(root).where(cb.equal(root.get("cvv"), CVV));
        return s.createQuery(q).getResultList();
      })).hasStackTraceContaining("cvv")
          .satisfies(e -> assertThat(sqlStates(e)).contains("0A000"));
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void lazyProxy_initializedInLaterAccess_decrypts(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      long cardId = persistCard(hib);
      long customerId = hib.fromTransaction(s -> s.find(Card.class, cardId).customer.id);

      String name = hib.fromTransaction(s -> {
        Customer proxy = s.getReference(Customer.class, customerId);
        assertThat(org.hibernate.Hibernate.isInitialized(proxy)).isFalse();
        return proxy.getName();
      });

      assertThat(name).isEqualTo(NAME);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void hqlOrderBy_onEncryptedAttribute_fails(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      persistCard(hib);

      assertThatThrownBy(() -> hib.fromTransaction(s -> s.createQuery(
              "select c from Card c order by c.holderName", Card.class).getResultList()))
          .hasStackTraceContaining("holderName")
          .satisfies(e -> assertThat(sqlStates(e)).contains("0A000"));
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void hqlBulkUpdate_ofEncryptedAttribute_failsAndChangesNothing(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      long cardId = persistCard(hib);

      assertThatThrownBy(() -> hib.inTransaction(s ->
              s.createMutationQuery("update Card c set c.cvv = :v").setParameter("v", "000").executeUpdate()))
          .hasStackTraceContaining("cvv")
          .satisfies(e -> assertThat(sqlStates(e)).contains("0A000"));
      assertThat(hib.fromTransaction(s -> s.find(Card.class, cardId)).cvv).isEqualTo(CVV);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void fetchJoinMergeRefresh_acrossTwoEncryptedEntities_seePlaintext(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      long cardId = persistCard(hib);

      Card fetched = hib.fromTransaction(s -> s.createQuery(
              "select c from Card c join fetch c.customer where c.id = :id", Card.class)
          .setParameter("id", cardId).getSingleResult());
      assertThat(fetched.customer.nationalId).isEqualTo(NATIONAL_ID);

      fetched.cvv = "999";
      hib.inTransaction(s -> s.merge(fetched));
      hib.inTransaction(s -> {
        Card card = s.find(Card.class, cardId);
        card.number = "changed in memory";
        s.refresh(card);
        assertThat(card.number).isEqualTo(NUMBER);
        assertThat(card.cvv).isEqualTo("999");
        assertThat(card.version).isEqualTo(1L);
      });
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void updateOneEncryptedField_othersStillDecrypt_versionIncrements(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      long cardId = persistCard(hib);

      hib.inTransaction(s -> s.find(Card.class, cardId).holderName = "John Q Public");

      Card card = hib.fromTransaction(s -> s.find(Card.class, cardId));
      assertThat(card.holderName).isEqualTo("John Q Public");
      assertThat(card.number).isEqualTo(NUMBER);
      assertThat(card.cvv).isEqualTo(CVV);
      assertThat(card.version).isEqualTo(1L);
      assertThat(card.customer.nationalId).isEqualTo(NATIONAL_ID);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void batchInsert_500CardsWithSequenceIds_allReadBack(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      List<Long> ids = hib.fromTransaction(s -> {
        Customer customer = new Customer(NAME, NATIONAL_ID);
        s.persist(customer);
        long customerId = customer.id;
        List<Long> out = new ArrayList<>();
        List<Card> cards = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          Card card = new Card(number(i), HOLDER + " " + i, String.format("%03d", i % 1000), customer);
          s.persist(card);
          cards.add(card);
          if (i % 50 == 49) {
            s.flush();
            s.clear();
            customer = s.getReference(Customer.class, customerId);
          }
        }
        cards.forEach(c -> out.add(c.id));
        return out;
      });
      assertThat(hib.count("insert")).as("one prepared insert per batch, not per row").isLessThan(50);
      try (Connection c = hib.raw.getConnection();
          PreparedStatement ps = c.prepareStatement("select rowseal_dek from Card");
          ResultSet rs = ps.executeQuery()) {
        int rows = 0;
        while (rs.next()) {
          assertThat(rs.getBytes(1)[1]).as("row-bound flag").isEqualTo((byte) 1);
          rows++;
        }
        assertThat(rows).isEqualTo(500);
      }

      List<Card> loaded = hib.fromTransaction(s ->
          s.createQuery("select c from Card c order by c.id", Card.class).getResultList());
      assertThat(loaded).hasSize(500);
      for (int i = 0; i < 500; i++) {
        Card card = loaded.get(i);
        assertThat(card.id).isEqualTo(ids.get(i));
        assertThat(card.number).isEqualTo(number(i));
        assertThat(card.holderName).isEqualTo(HOLDER + " " + i);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void memo_textStorageLogicalNameAndTypedFields_roundTripAndDecryptWithCoreAlone(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      long id = hib.fromTransaction(s -> {
        Memo m = new Memo();
        m.body = "canary body";
        m.subject = "canary subject";
        m.amount = new BigDecimal("12.50");
        m.issued = LocalDate.of(2026, 1, 2);
        m.counter = 7;
        m.plainNote = "visible";
        s.persist(m);
        return m.id;
      });

      Memo found = hib.fromTransaction(s -> s.find(Memo.class, id));
      assertThat(found.body).isEqualTo("canary body");
      assertThat(found.subject).isEqualTo("canary subject");
      assertThat(found.amount).isEqualTo(new BigDecimal("12.50"));
      assertThat(found.issued).isEqualTo(LocalDate.of(2026, 1, 2));
      assertThat(found.counter).isEqualTo(7);

      EncryptedTable memos = EncryptedTable.builder("Memo").idColumns("id")
          .column("body", String.class, StorageForm.TEXT)
          .column("subject", String.class, StorageForm.BINARY, "subject_v0")
          .column("amount", BigDecimal.class)
          .column("issued", LocalDate.class)
          .column("counter", long.class)
          .build();
      RowSeal core = RowSeal.builder().keyRing(hib.keyRing).table(memos).build();
      try (Connection c = hib.raw.getConnection(); PreparedStatement ps = c.prepareStatement(
          "select body, subject, amount, issued, counter, plainNote, rowseal_dek from Memo where id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).startsWith("rs1:").doesNotContain("canary");
          assertThat(rs.getString(6)).isEqualTo("visible");
          try (RowKey key = core.openRowKey(memos, RowId.of(id), rs.getBytes(7))) {
            assertThat(key.decrypt(memos.column("body"), rs.getString(1), String.class)).isEqualTo("canary body");
            assertThat(key.decrypt(memos.column("subject"), rs.getBytes(2), String.class)).isEqualTo("canary subject");
            assertThat(key.decrypt(memos.column("amount"), rs.getBytes(3), BigDecimal.class))
                .isEqualTo(new BigDecimal("12.50"));
            assertThat(key.decrypt(memos.column("issued"), rs.getBytes(4), LocalDate.class))
                .isEqualTo(LocalDate.of(2026, 1, 2));
            assertThat(key.decrypt(memos.column("counter"), rs.getBytes(5), Long.class)).isEqualTo(7L);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void hqlInsert_literalForEncryptedAttribute_isEncryptedByTheEngine(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      // Hibernate renders HQL literals inline into the SQL text; the engine encrypts them like bound values.
      hib.inTransaction(s -> s.createMutationQuery(
          "insert into Customer (id, name, nationalId) values (900002, 'literal name', 'literal id')").executeUpdate());

      try (Connection c = hib.raw.getConnection();
          PreparedStatement ps = c.prepareStatement("select name, rowseal_dek from Customer where id = 900002");
          ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes(1)[0]).isEqualTo((byte) 0x01);
        assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain("literal name");
        assertThat(rs.getBytes(2)).isNotNull();
      }
      Customer found = hib.fromTransaction(s -> s.find(Customer.class, 900_002L));
      assertThat(found.name).isEqualTo("literal name");
      assertThat(found.nationalId).isEqualTo("literal id");
    }
  }

  private static List<String> sqlStates(Throwable e) {
    List<String> states = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        states.add(((SQLException) t).getSQLState());
      }
    }
    return states;
  }

  private static String number(int i) {
    return String.format("4111%012d", i);
  }

  private static long persistCard(Hib hib) {
    return hib.fromTransaction((Session s) -> {
      Customer customer = new Customer(NAME, NATIONAL_ID);
      s.persist(customer);
      Card card = new Card(NUMBER, HOLDER, CVV, customer);
      s.persist(card);
      s.flush();
      return card.id;
    });
  }
}
