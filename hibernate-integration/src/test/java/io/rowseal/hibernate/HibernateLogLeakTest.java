package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hibernate's SQL, bind and extract logging at TRACE never shows a value bound to or read from an
 * encrypted column: persist, update, find, and query parameters typed by an encrypted attribute. The
 * control (a plaintext field's value IS in the bind log) proves the capture sees what Hibernate logs.
 */
class HibernateLogLeakTest {
  private static final String[] LOGGERS = {"org.hibernate.SQL", "org.hibernate.orm.jdbc.bind",
      "org.hibernate.orm.jdbc.extract"};
  private static final String NUMBER = "4000111122223333";
  private static final String HOLDER = "canary-holder-5e1";
  private static final String HOLDER_UPDATED = "canary-holder-updated-77c";
  private static final String CVV = "canary-cvv-3a9";
  private static final String NAME = "canary-name-b02";
  private static final String NATIONAL_ID = "canary-national-id-c44";
  private static final String QUERY_NUMBER = "canary-query-number-d19";
  private static final String INSERTED_NAME = "canary-hql-insert-name-e8f";
  private static final String BODY = "canary-memo-body-f00";
  private static final String SUBJECT = "canary-memo-subject-a1a";
  private static final String AMOUNT = "918273.645";
  private static final String PLAIN = "plain-note-visible-0b7";
  private static final List<String> ENCRYPTED = List.of(NUMBER, HOLDER, HOLDER_UPDATED, CVV, NAME, NATIONAL_ID,
      QUERY_NUMBER, INSERTED_NAME, BODY, SUBJECT, AMOUNT);

  @ParameterizedTest
  @EnumSource(Db.class)
  void traceLogging_persistUpdateFindAndQueryParameters_showNoEncryptedPlaintext(Db db) throws SQLException {
    List<String> lines = exercise(db);

    assertThat(lines).as("SQL statements were captured").anyMatch(l -> l.toLowerCase().contains("insert into card"));
    assertThat(lines).as("bindings were captured").anyMatch(l -> l.startsWith("org.hibernate.orm.jdbc.bind"));
    for (String canary : ENCRYPTED) {
      assertThat(lines).as("log lines containing %s", canary).noneMatch(l -> l.contains(canary));
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void traceLogging_plainField_isLoggedSoTheCheckCanFail(Db db) throws SQLException {
    List<String> lines = exercise(db);

    assertThat(lines).anyMatch(l -> l.startsWith("org.hibernate.orm.jdbc.bind") && l.contains(PLAIN));
    assertThat(lines).anyMatch(l -> l.startsWith("org.hibernate.orm.jdbc.extract") && l.contains(PLAIN));
  }

  private static List<String> exercise(Db db) throws SQLException {
    try (Hib hib = new Hib(db); LogCapture capture = new LogCapture(LOGGERS)) {
      long[] ids = hib.fromTransaction(s -> {
        Customer customer = new Customer(NAME, NATIONAL_ID);
        s.persist(customer);
        Card card = new Card(NUMBER, HOLDER, CVV, customer);
        s.persist(card);
        Memo memo = new Memo();
        memo.body = BODY;
        memo.subject = SUBJECT;
        memo.amount = new BigDecimal(AMOUNT);
        memo.issued = LocalDate.of(2026, 3, 4);
        memo.plainNote = PLAIN;
        s.persist(memo);
        s.flush();
        return new long[] {card.id, memo.id};
      });
      // update
      hib.inTransaction(s -> s.find(Card.class, ids[0]).holderName = HOLDER_UPDATED);
      // find (extraction) and a query reading a plaintext field
      hib.inTransaction(s -> {
        assertThat(s.find(Card.class, ids[0]).holderName).isEqualTo(HOLDER_UPDATED);
        assertThat(s.find(Memo.class, ids[1]).body).isEqualTo(BODY);
        assertThat(s.createQuery("select m from Memo m where m.plainNote = :p", Memo.class)
            .setParameter("p", PLAIN).getResultList()).hasSize(1);
      });
      // a query parameter typed by an encrypted attribute: the engine refuses the predicate, nothing logged
      assertThatThrownBy(() -> hib.fromTransaction(s -> s.createQuery("select c from Card c where c.number = :n",
          Card.class).setParameter("n", QUERY_NUMBER).getResultList()));
      // parameters of an HQL insert bound to encrypted columns
      hib.inTransaction(s -> s.createMutationQuery(
              "insert into Customer (id, name, nationalId) values (:id, :name, :nid)")
          .setParameter("id", 777_001L).setParameter("name", INSERTED_NAME).setParameter("nid", NATIONAL_ID)
          .executeUpdate());
      assertThat(hib.fromTransaction(s -> s.find(Customer.class, 777_001L)).name).isEqualTo(INSERTED_NAME);
      return capture.lines();
    }
  }
}
