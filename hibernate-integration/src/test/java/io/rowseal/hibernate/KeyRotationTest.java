package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.RowSeal;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.kek.KekStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Lazy rotation through Hibernate: rows stay readable under an old key and move to the active key when updated. */
class KeyRotationTest {
  @ParameterizedTest
  @EnumSource(Db.class)
  void update_afterNewActiveKey_rewrapsRowUnderActiveKey(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      long cardId = hib.fromTransaction(s -> {
        Customer customer = new Customer("Jane", "X1");
        s.persist(customer);
        Card card = new Card("4111111111111111", "Jane", "123", customer);
        s.persist(card);
        return card.id;
      });
      assertThat(keyRef(hib, cardId)).isEqualTo("local:k1");

      AesGcmMasterKey k1 = (AesGcmMasterKey) hib.keyRing.active();
      KeyRing rotated = KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k2"), randomKey()), k1);
      Map<String, Object> settings = new HashMap<>();
      settings.put("rowseal.key_ring", rotated);
      settings.put("hibernate.hbm2ddl.auto", "none");
      try (SessionFactory sf = Hib.build(hib.raw, settings, Customer.class, Card.class, Memo.class)) {
        assertThat(sf.fromTransaction(s -> s.find(Card.class, cardId)).number).isEqualTo("4111111111111111");
        assertThat(keyRef(hib, cardId)).as("reads do not rewrap").isEqualTo("local:k1");

        sf.inTransaction(s -> s.find(Card.class, cardId).cvv = "456");

        assertThat(keyRef(hib, cardId)).isEqualTo("local:k2");
        Card card = sf.fromTransaction(s -> s.find(Card.class, cardId));
        assertThat(card.number).isEqualTo("4111111111111111");
        assertThat(card.cvv).isEqualTo("456");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void persistAndFind_hierarchicalRowSealAsKeyRing_rowsUnderKekAndDirectRowsStillRead(Db db) throws SQLException {
    try (Hib hib = new Hib(db)) {
      long directId = hib.fromTransaction(s -> {
        Card card = new Card("4111111111111111", "Jane", "123", null);
        s.persist(card);
        return card.id;
      });
      KekStore keks = KekStore.builder(hib.raw).build();
      keks.migrate();
      Map<String, Object> settings = new HashMap<>();
      settings.put("rowseal.key_ring", RowSeal.builder().keyRing(hib.keyRing).hierarchical(keks).build());
      settings.put("hibernate.hbm2ddl.auto", "none");
      try (SessionFactory sf = Hib.build(hib.raw, settings, Customer.class, Card.class, Memo.class)) {
        long kekId = sf.fromTransaction(s -> {
          Card card = new Card("5500000000000004", "Joe", "456", null);
          s.persist(card);
          return card.id;
        });
        assertThat(keyRef(hib, kekId)).startsWith("kek:");
        assertThat(keks.status()).containsOnlyKeys("local:k1");
        assertThat(sf.fromTransaction(s -> s.find(Card.class, kekId)).number).isEqualTo("5500000000000004");
        assertThat(sf.fromTransaction(s -> s.find(Card.class, directId)).number).isEqualTo("4111111111111111");
      }
    }
  }

  private static String keyRef(Hib hib, long cardId) throws SQLException {
    try (Connection c = hib.raw.getConnection();
        PreparedStatement ps = c.prepareStatement("select rowseal_dek from Card where id = ?")) {
      ps.setLong(1, cardId);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        byte[] companion = rs.getBytes(1);
        return new String(Arrays.copyOfRange(companion, 3, 3 + (companion[2] & 0xff)), StandardCharsets.UTF_8);
      }
    }
  }

  private static byte[] randomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }
}
