package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What RowSeal checks and changes when the SessionFactory starts. */
class BootValidationTest {
  private static final KeyRing KEY_RING = KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), randomKey()));

  @Test
  void boot_encryptedId_failsNamingEntityAndField() {
    assertThatThrownBy(() -> boot(Map.of(), BadEntities.EncryptedId.class))
        .hasStackTraceContaining("entity " + BadEntities.EncryptedId.class.getName())
        .hasStackTraceContaining("field id")
        .hasStackTraceContaining("id cannot be encrypted");
  }

  @Test
  void boot_unsupportedFieldType_failsNamingEntityFieldAndType() {
    assertThatThrownBy(() -> boot(Map.of(), BadEntities.UnsupportedType.class))
        .hasStackTraceContaining("entity " + BadEntities.UnsupportedType.class.getName())
        .hasStackTraceContaining("field retention")
        .hasStackTraceContaining("java.time.Duration is not supported");
  }

  @Test
  void boot_encryptedFieldInElementCollectionEmbeddable_failsNamingField() {
    assertThatThrownBy(() -> boot(Map.of(), BadEntities.WithEmbeddableCollection.class))
        .hasStackTraceContaining("addresses.street")
        .hasStackTraceContaining("element collections");
  }

  @Test
  void boot_encryptedWholeEmbedded_failsNamingField() {
    assertThatThrownBy(() -> boot(Map.of(), BadEntities.WholeEmbeddedEncrypted.class))
        .hasStackTraceContaining("field address")
        .hasStackTraceContaining("annotate the embeddable's fields instead");
  }

  @Test
  void boot_cacheableEncryptedEntityWithSecondLevelCache_failsNamingEntity() {
    Map<String, Object> cacheOn = Map.of("hibernate.cache.use_second_level_cache", true,
        "hibernate.cache.region.factory_class", new MapRegionFactory());

    assertThatThrownBy(() -> boot(cacheOn, BadEntities.CachedSecret.class))
        .hasStackTraceContaining("Entity " + BadEntities.CachedSecret.class.getName() + " has @Encrypted fields and is cacheable")
        .hasStackTraceContaining("second-level cache would hold their plaintext");
  }

  @Test
  void boot_cacheableEncryptedEntityWithSecondLevelCacheOff_starts() {
    Map<String, Object> cacheOff = Map.of("hibernate.cache.use_second_level_cache", false,
        "hibernate.cache.region.factory_class", new MapRegionFactory());

    try (SessionFactory sf = boot(cacheOff, BadEntities.CachedSecret.class)) {
      assertThat(sf.getSessionFactoryOptions().isSecondLevelCacheEnabled()).isFalse();
    }
  }

  @Test
  void boot_encryptedEntityWithQueryCache_failsNamingEntityAndSetting() {
    Map<String, Object> queryCacheOn = Map.of("hibernate.cache.use_second_level_cache", true,
        "hibernate.cache.use_query_cache", true, "hibernate.cache.region.factory_class", new MapRegionFactory());

    assertThatThrownBy(() -> boot(queryCacheOn, Customer.class))
        .hasStackTraceContaining(Customer.class.getName())
        .hasStackTraceContaining("query cache is on (hibernate.cache.use_query_cache)");
  }

  @Test
  void boot_nonCacheableEncryptedEntityWithSecondLevelCacheOnly_starts() {
    Map<String, Object> cacheOn = Map.of("hibernate.cache.use_second_level_cache", true,
        "hibernate.cache.region.factory_class", new MapRegionFactory());

    try (SessionFactory sf = boot(cacheOn, Customer.class)) {
      assertThat(sf.getSessionFactoryOptions().isSecondLevelCacheEnabled()).isTrue();
      assertThat(sf.getSessionFactoryOptions().isQueryCacheEnabled()).isFalse();
    }
  }

  @Test
  void boot_noKeyRing_failsNamingTheSettings() {
    Map<String, Object> settings = new HashMap<>();
    settings.put("hibernate.hbm2ddl.auto", "create");
    assertThatThrownBy(() -> Hib.build(TestDatabases.h2(TestDatabases.uniqueName("boot")), settings, Customer.class))
        .hasStackTraceContaining("Customer")
        .hasStackTraceContaining("rowseal.key_ring")
        .hasStackTraceContaining("rowseal.config");
  }

  @Test
  void boot_schemaNotGeneratedAndCompanionColumnMissing_failsNamingEntityAndColumn() throws Exception {
    DataSource raw = TestDatabases.h2(TestDatabases.uniqueName("boot"));
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table Customer (id bigint primary key, name varbinary(1000), nationalId varbinary(1000))");
      s.execute("create sequence Customer_SEQ start with 1 increment by 50");
    }
    Map<String, Object> settings = new HashMap<>();
    settings.put("rowseal.key_ring", KEY_RING);
    settings.put("hibernate.hbm2ddl.auto", "none");

    assertThatThrownBy(() -> Hib.build(raw, settings, Customer.class))
        .hasStackTraceContaining("Entity " + Customer.class.getName())
        .hasStackTraceContaining("rowseal_dek");

    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("alter table Customer add column rowseal_dek varbinary(1024)");
    }
    try (SessionFactory sf = Hib.build(raw, settings, Customer.class)) {
      Customer saved = sf.fromTransaction(s -> {
        Customer customer = new Customer("Jane", "X1");
        s.persist(customer);
        return customer;
      });
      assertThat(sf.fromTransaction(s -> s.find(Customer.class, saved.id)).nationalId).isEqualTo("X1");
    }
  }

  @Test
  void schemaUpdate_existingTableWithoutCompanion_addsItAndWorks() throws Exception {
    DataSource raw = TestDatabases.h2(TestDatabases.uniqueName("boot"));
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table Customer (id bigint primary key, name varbinary(1000), nationalId varbinary(1000))");
      s.execute("create sequence Customer_SEQ start with 1 increment by 50");
    }
    Map<String, Object> settings = new HashMap<>();
    settings.put("rowseal.key_ring", KEY_RING);
    settings.put("hibernate.hbm2ddl.auto", "update");

    try (SessionFactory sf = Hib.build(raw, settings, Customer.class)) {
      Customer saved = sf.fromTransaction(s -> {
        Customer customer = new Customer("Jane", "X1");
        s.persist(customer);
        return customer;
      });
      assertThat(sf.fromTransaction(s -> s.find(Customer.class, saved.id)).name).isEqualTo("Jane");
    }
    try (Connection c = raw.getConnection()) {
      assertThat(columnTypes(c.getMetaData(), "customer")).containsKey("rowseal_dek");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void generatedSchema_encryptedColumnsBinaryAndCompanionAdded(Db db) throws Exception {
    try (Hib hib = new Hib(db)) {
      try (Connection c = hib.raw.getConnection()) {
        Map<String, Integer> types = columnTypes(c.getMetaData(), "card");
        assertThat(types).containsKeys("number", "holdername", "cvv", "rowseal_dek", "version", "customer_id");
        Set<Integer> binary = Set.of(Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY);
        assertThat(types.get("number")).isIn(binary);
        assertThat(types.get("cvv")).isIn(binary);
        assertThat(types.get("rowseal_dek")).isIn(binary);
        assertThat(types.get("version")).isEqualTo(Types.BIGINT);
      }
    }
  }

  @Test
  void configFile_keystoreOnlyProperties_givesTheKeyRing(@TempDir Path dir) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = "changeit".toCharArray();
    store.setEntry("k1", new KeyStore.SecretKeyEntry(new SecretKeySpec(randomKey(), "AES")),
        new KeyStore.PasswordProtection(password));
    try (OutputStream out = Files.newOutputStream(dir.resolve("keys.p12"))) {
      store.store(out, password);
    }
    Path config = dir.resolve("rowseal.properties");
    Files.writeString(config, "rowseal.keystore.path = keys.p12\nrowseal.keystore.password = changeit\n"
        + "rowseal.keystore.active = k1\n");

    try (SessionFactory sf = boot(Map.of("rowseal.config", config.toString()), Customer.class)) {
      Customer saved = sf.fromTransaction(s -> {
        Customer customer = new Customer("Jane", "X1");
        s.persist(customer);
        return customer;
      });
      assertThat(sf.fromTransaction(s -> s.find(Customer.class, saved.id)).name).isEqualTo("Jane");
    }
  }

  private static SessionFactory boot(Map<String, Object> extra, Class<?>... entities) {
    Map<String, Object> settings = new HashMap<>();
    if (!extra.containsKey("rowseal.config")) {
      settings.put("rowseal.key_ring", KEY_RING);
    }
    settings.put("hibernate.hbm2ddl.auto", "create");
    settings.putAll(extra);
    return Hib.build(TestDatabases.h2(TestDatabases.uniqueName("boot")), settings, entities);
  }

  static Map<String, Integer> columnTypes(DatabaseMetaData md, String table) throws Exception {
    Map<String, Integer> types = new HashMap<>();
    for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT)}) {
      try (ResultSet rs = md.getColumns(null, null, name, null)) {
        while (rs.next()) {
          types.put(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT), rs.getInt("DATA_TYPE"));
        }
      }
    }
    return types;
  }

  private static byte[] randomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }
}
