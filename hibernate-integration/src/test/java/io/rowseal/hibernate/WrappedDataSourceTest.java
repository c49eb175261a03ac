package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.jdbc.RowSealConnections;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.jdbc.internal.JdbcEngine;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@link RowSealDataSource} handed to Hibernate as its DataSource, outside any framework: Hibernate uses its
 * connections as they are (one layer, one engine), takes the table model from the wrapper's {@link RowSeal},
 * and still validates the {@code @Encrypted} mapping against it at boot.
 */
class WrappedDataSourceTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @ParameterizedTest
  @EnumSource(Db.class)
  void rowSealDataSource_asHibernateDataSource_oneLayerAndCrossPathReadable(Db db) throws SQLException {
    DataSource raw = db.isolated();
    RowSeal rowSeal = rowSeal(Hib.customers(), Hib.cards());
    RowSealDataSource wrapped = RowSealDataSource.wrap(raw, rowSeal);
    SessionFactory sf = Hib.build(wrapped, settings(), Customer.class, Card.class);
    try {
      Long id = sf.fromTransaction(s -> {
        Customer customer = new Customer("Jane Q Public", "NI-123");
        s.persist(customer);
        Card card = new Card("4111111111111111", "Jane Q Public", "737", customer);
        s.persist(card);
        return card.id;
      });

      String number = sf.fromTransaction(s -> s.find(Card.class, id).number);
      assertThat(number).isEqualTo("4111111111111111");
      try (Connection c = wrapped.getConnection();
          PreparedStatement ps = c.prepareStatement("select number from Card where id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("4111111111111111");
        }
      }
      try (Connection c = raw.getConnection();
          PreparedStatement ps = c.prepareStatement("select number, rowseal_dek from Card where id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain("4111111111111111");
          assertThat(rs.getBytes(2)).isNotEmpty();
        }
      }

      // One layer: Hibernate's connection is the wrapper's own, with the wrapper's engine (one plan cache).
      JdbcEngine hibernates = sf.fromSession(s -> s.doReturningWork(c -> JdbcEngine.of(c).orElseThrow()));
      try (Connection c = wrapped.getConnection()) {
        assertThat(JdbcEngine.of(c).orElseThrow()).isSameAs(hibernates);
        assertThat(RowSealConnections.rowSealOf(c)).containsSame(rowSeal);
      }
    } finally {
      sf.close();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Db.class, names = "H2")
  void rowSealDataSource_entityTableNotConfigured_failsAtBootWithTheLinesToAdd(Db db) {
    RowSealDataSource wrapped = RowSealDataSource.wrap(db.isolated(), rowSeal(Hib.customers()));

    assertThatThrownBy(() -> Hib.build(wrapped, settings(), Customer.class, Card.class))
        .hasStackTraceContaining("Entity io.rowseal.hibernate.Card has @Encrypted fields in table Card")
        .hasStackTraceContaining("rowseal.tables.Card.columns.number = string, binary");
  }

  @ParameterizedTest
  @EnumSource(value = Db.class, names = "H2")
  void rowSealDataSource_tableDefinedDifferently_failsAtBoot(Db db) {
    EncryptedTable textHolder = EncryptedTable.builder("Card").idColumns("id")
        .column("number", String.class).column("holderName", String.class, StorageForm.TEXT)
        .column("cvv", String.class).build();
    RowSealDataSource wrapped = RowSealDataSource.wrap(db.isolated(), rowSeal(Hib.customers(), textHolder));

    assertThatThrownBy(() -> Hib.build(wrapped, settings(), Customer.class, Card.class))
        .hasStackTraceContaining("Table Card is mapped by entity io.rowseal.hibernate.Card")
        .hasStackTraceContaining("but the RowSeal that wraps Hibernate's DataSource defines it as");
  }

  @ParameterizedTest
  @EnumSource(value = Db.class, names = "H2")
  void rowSealDataSource_withKeyRingSettingToo_failsAtBoot(Db db) {
    RowSeal rowSeal = rowSeal(Hib.customers(), Hib.cards());
    RowSealDataSource wrapped = RowSealDataSource.wrap(db.isolated(), rowSeal);
    Map<String, Object> settings = settings();
    settings.put(RowSealSettings.KEY_RING, rowSeal.keyRing());

    assertThatThrownBy(() -> Hib.build(wrapped, settings, Customer.class, Card.class))
        .hasStackTraceContaining("already wrapped by RowSeal")
        .hasStackTraceContaining("remove rowseal.key_ring");
  }

  private static Map<String, Object> settings() {
    Map<String, Object> settings = new HashMap<>();
    settings.put("hibernate.hbm2ddl.auto", "create");
    return settings;
  }

  private static RowSeal rowSeal(EncryptedTable... tables) {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    RowSeal.Builder b = RowSeal.builder().keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), k)));
    for (EncryptedTable t : tables) {
      b.table(t);
    }
    return b.build();
  }
}
