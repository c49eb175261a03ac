package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.search.IndexKeyStore;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code @Encrypted(search = @Searchable(...))} through Hibernate: the generated DDL has the index and rotation
 * columns (UNIQUE for the unique one), HQL, JPQL and Criteria equality and IN find exactly the matching entities
 * (a 16-bit index matches more rows in the database; RowSeal filters them out), the UNIQUE index refuses a
 * duplicate under the normalisation, and shapes without a rule stay refused.
 */
class SearchableEntityTest {
  private SessionFactory sessionFactory;

  private SessionFactory open(Db db) throws Exception {
    DataSource raw = db.isolated();
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    KeyRing ring = KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), k));
    IndexKeyStore.builder(raw, ring).build().migrate();
    sessionFactory = Hib.build(raw, Map.of("rowseal.key_ring", ring, "hibernate.hbm2ddl.auto", "create"),
        Subscriber.class);
    sessionFactory.inTransaction(s -> {
      for (long i = 1; i <= 40; i++) {
        s.persist(new Subscriber(i, "User" + i + "@Example.com", "+33 6 00 00 " + (i % 5), i % 2 == 0 ? "Paris" : "Lyon"));
      }
    });
    this.raw = raw;
    return sessionFactory;
  }

  private DataSource raw;

  @AfterEach
  void close() {
    if (sessionFactory != null) {
      sessionFactory.close();
    }
  }

  private static List<Long> ids(List<Subscriber> found) {
    List<Long> ids = new ArrayList<>();
    found.forEach(s -> ids.add(s.id));
    ids.sort(null);
    return ids;
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void ddl_addsIndexAndRotationColumns(Db db) throws Exception {
    open(db);
    List<String> columns = new ArrayList<>();
    try (Connection c = raw.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select * from Subscriber where 1 = 0")) {
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        columns.add(rs.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT));
      }
    }
    assertThat(columns).contains("email_idx", "email_idx_next", "phone_idx", "phone_idx_next", "rowseal_dek");
    try (Connection c = raw.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from Subscriber where email_idx is not null and phone_idx is not null")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(40);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void hqlAndCriteria_equalityAndIn_findExactlyTheMatchingEntities(Db db) throws Exception {
    SessionFactory sf = open(db);
    sf.inSession(s -> {
      assertThat(ids(s.createSelectionQuery("from Subscriber where email = :e", Subscriber.class)
          .setParameter("e", "USER7@example.COM").getResultList())).containsExactly(7L);
      assertThat(ids(s.createSelectionQuery("from Subscriber where email in (:a, :b)", Subscriber.class)
          .setParameter("a", "user3@example.com").setParameter("b", "user30@example.com").getResultList()))
          .containsExactly(3L, 30L);
      // 16 bits over 5 phone numbers: exact after RowSeal's filter
      assertThat(ids(s.createSelectionQuery("from Subscriber where phone = :p", Subscriber.class)
          .setParameter("p", "33600002").getResultList())).containsExactly(2L, 7L, 12L, 17L, 22L, 27L, 32L, 37L);
      assertThat(ids(s.createQuery("select s from Subscriber s where s.city = :c and s.email = :e", Subscriber.class)
          .setParameter("c", "Lyon").setParameter("e", "user7@example.com").getResultList())).containsExactly(7L);
      assertThat(s.createSelectionQuery("from Subscriber where email = :e", Subscriber.class)
          .setParameter("e", "nobody@example.com").getResultList()).isEmpty();

      CriteriaBuilder cb = s.getCriteriaBuilder();
      CriteriaQuery<Subscriber> q = cb.createQuery(Subscriber.class);
      Root<Subscriber> root = q.from(Subscriber.class);
      q.where(cb.equal(root.get("email"), "user11@EXAMPLE.com"));
      assertThat(ids(s.createQuery(q).getResultList())).containsExactly(11L);
      CriteriaQuery<Subscriber> in = cb.createQuery(Subscriber.class);
      Root<Subscriber> r2 = in.from(Subscriber.class);
      in.where(r2.get("email").in("user1@example.com", "user2@example.com"));
      assertThat(ids(s.createQuery(in).getResultList())).containsExactly(1L, 2L);
    });
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void updateThroughTheEntity_rewritesTheIndex(Db db) throws Exception {
    SessionFactory sf = open(db);
    sf.inTransaction(s -> s.find(Subscriber.class, 5L).email = "Moved@Example.com");
    sf.inSession(s -> {
      assertThat(ids(s.createSelectionQuery("from Subscriber where email = :e", Subscriber.class)
          .setParameter("e", "moved@example.com").getResultList())).containsExactly(5L);
      assertThat(s.createSelectionQuery("from Subscriber where email = :e", Subscriber.class)
          .setParameter("e", "user5@example.com").getResultList()).isEmpty();
    });
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void uniqueIndex_duplicateUnderTheNormalisation_isRefusedByTheDatabase(Db db) throws Exception {
    SessionFactory sf = open(db);
    assertThatThrownBy(() -> sf.inTransaction(s -> s.persist(new Subscriber(99, "USER1@EXAMPLE.COM", "1", "Nice"))))
        .isInstanceOf(org.hibernate.exception.ConstraintViolationException.class);
    sf.inSession(s -> assertThat(s.find(Subscriber.class, 99L)).isNull());
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void likeAndOrderBy_onSearchableField_stayRefused(Db db) throws Exception {
    SessionFactory sf = open(db);
    for (String hql : List.of("from Subscriber where email like 'user1%'", "from Subscriber order by email")) {
      assertThatThrownBy(() -> sf.inSession(s -> s.createSelectionQuery(hql, Subscriber.class).getResultList()))
          .as(hql).hasStackTraceContaining("java.sql.SQLFeatureNotSupportedException");
    }
  }
}
