package io.rowseal.hibernate;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/**
 * A Hibernate 7 SessionFactory over {@link Customer}, {@link Card} and {@link Memo} on one isolated database, with a
 * local master key {@code local:k1} passed as {@code rowseal.key_ring}, the schema created by Hibernate,
 * and every SQL text Hibernate prepares recorded.
 */
final class Hib implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  final Db db;
  final DataSource raw;
  final KeyRing keyRing;
  final SessionFactory sessionFactory;
  final List<String> statements = Collections.synchronizedList(new ArrayList<>());

  Hib(Db db) throws SQLException {
    this(db, Map.of());
  }

  Hib(Db db, Map<String, Object> extraSettings) throws SQLException {
    this(db, extraSettings, Customer.class, Card.class, Memo.class);
  }

  /** As above, over the given entities instead of the seed ones. */
  Hib(Db db, Map<String, Object> extraSettings, Class<?>... entities) throws SQLException {
    this.db = db;
    this.raw = db.isolated();
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    this.keyRing = KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), k));
    Map<String, Object> settings = new HashMap<>();
    settings.put("rowseal.key_ring", keyRing);
    settings.put("hibernate.hbm2ddl.auto", "create");
    settings.put("hibernate.jdbc.batch_size", 50);
    settings.put("hibernate.session_factory.statement_inspector", (StatementInspector) sql -> {
      statements.add(sql);
      return sql;
    });
    settings.putAll(extraSettings);
    this.sessionFactory = build(raw, settings, entities);
  }

  /** A SessionFactory over {@code raw} with the given settings and entities. */
  static SessionFactory build(DataSource raw, Map<String, Object> settings, Class<?>... entities) {
    StandardServiceRegistryBuilder b = new StandardServiceRegistryBuilder()
        .applySetting("hibernate.connection.datasource", raw);
    settings.forEach(b::applySetting);
    StandardServiceRegistry registry = b.build();
    try {
      MetadataSources sources = new MetadataSources(registry);
      for (Class<?> e : entities) {
        sources.addAnnotatedClass(e);
      }
      return sources.buildMetadata().buildSessionFactory();
    } catch (RuntimeException e) {
      StandardServiceRegistryBuilder.destroy(registry);
      throw e;
    }
  }

  /** Runs {@code work} in a fresh session and transaction. */
  void inTransaction(Consumer<Session> work) {
    sessionFactory.inTransaction(work);
  }

  <T> T fromTransaction(Function<Session, T> work) {
    return sessionFactory.fromTransaction(work);
  }

  /** How many recorded statements start with {@code verb} (case-insensitive). */
  long count(String verb) {
    synchronized (statements) {
      return statements.stream().filter(s -> s.trim().toLowerCase(Locale.ROOT).startsWith(verb)).count();
    }
  }

  /**
   * RowSeal's view of the seed tables, as the JDBC wrapper or core alone would configure them: all three, since
   * schema validation refuses a wrapper that would leave an encrypted table (one with a companion column) out.
   */
  RowSeal rowSeal() {
    return RowSeal.builder().keyRing(keyRing).table(customers()).table(cards()).table(memos()).build();
  }

  static EncryptedTable memos() {
    return EncryptedTable.builder("Memo").idColumns("id")
        .column("body", String.class, StorageForm.TEXT)
        .column("subject", String.class, StorageForm.BINARY, "subject_v0")
        .column("amount", BigDecimal.class)
        .column("issued", LocalDate.class)
        .column("counter", long.class)
        .build();
  }

  static EncryptedTable customers() {
    return EncryptedTable.builder("Customer").idColumns("id")
        .column("name", String.class).column("nationalId", String.class).build();
  }

  static EncryptedTable cards() {
    return EncryptedTable.builder("Card").idColumns("id")
        .column("number", String.class).column("holderName", String.class).column("cvv", String.class).build();
  }

  @Override
  public void close() throws SQLException {
    sessionFactory.close();
    if (db == Db.POSTGRES) {
      try (Connection c = raw.getConnection(); Statement st = c.createStatement()) {
        String schema = c.getSchema(); // the fixture's own schema (its connections' search path)
        st.execute("drop schema " + schema + " cascade");
      }
    }
  }
}
