package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.tool.schema.spi.SchemaManagementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The schema check when a SessionFactory starts, on each database, with Hibernate not managing the schema
 * (and once with {@code create}, where it runs after the export): each failure is a
 * {@link SchemaManagementException} naming entity, table, column, the type found and the DDL for that database.
 */
class SchemaValidationTest {
  private static final KeyRing KEY_RING = KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), randomKey()));

  /** The databases, each test on a namespace of its own. */
  enum Server {
    H2, POSTGRES, MARIADB;

    DataSource isolated(String name) {
      switch (this) {
        case POSTGRES: return TestDatabases.postgresSchema(name);
        case MARIADB: return TestDatabases.mariadbDatabase(name);
        default: return TestDatabases.h2(name);
      }
    }

    String binary(int n) {
      return this == POSTGRES ? "bytea" : "varbinary(" + n + ")";
    }

    void drop(String name) throws SQLException {
      DataSource server = this == POSTGRES ? TestDatabases.postgres() : this == MARIADB ? TestDatabases.mariadb() : null;
      if (server != null) {
        try (Connection c = server.getConnection(); Statement st = c.createStatement()) {
          st.execute(this == POSTGRES ? "drop schema " + name + " cascade" : "drop database " + name);
        }
      }
    }
  }

  private Server server;
  private String namespace;

  @AfterEach
  void dropNamespace() throws SQLException {
    if (server != null) {
      server.drop(namespace);
    }
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void boot_schemaFits_startsAndWorks(Server db) throws SQLException {
    DataSource raw = database(db, customerTable(db, "name " + db.binary(1000) + ", nationalId " + db.binary(1000)
        + ", rowseal_dek " + db.binary(1024)));

    try (SessionFactory sf = Hib.build(raw, settings(Map.of()), Customer.class)) {
      Customer saved = sf.fromTransaction(s -> {
        Customer c = new Customer("Jane", "X1");
        s.persist(c);
        return c;
      });
      assertThat(sf.fromTransaction(s -> s.find(Customer.class, saved.id)).nationalId).isEqualTo("X1");
    }
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void boot_tableMissing_failsNamingEntityAndTable(Server db) throws SQLException {
    DataSource raw = database(db);

    assertThat(bootFailure(raw, Map.of())).contains("Entity " + Customer.class.getName() + ": table Customer: not found");
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void boot_idColumnMissing_failsNamingColumn(Server db) throws SQLException {
    DataSource raw = database(db, "create table Customer (code bigint primary key, name " + db.binary(1000)
        + ", nationalId " + db.binary(1000) + ", rowseal_dek " + db.binary(1024) + ")");

    assertThat(bootFailure(raw, Map.of())).contains("table Customer, id column id: not found");
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void boot_encryptedColumnMissing_failsWithAddColumnDdl(Server db) throws SQLException {
    DataSource raw = database(db, customerTable(db, "name " + db.binary(1000) + ", rowseal_dek " + db.binary(1024)));

    assertThat(bootFailure(raw, Map.of())).contains("table Customer, encrypted column nationalId: not found")
        .contains("ALTER TABLE Customer ADD COLUMN nationalId " + (db == Server.POSTGRES ? "bytea" : "varbinary("));
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void boot_companionMissing_failsWithAddColumnDdl(Server db) throws SQLException {
    DataSource raw = database(db, customerTable(db, "name " + db.binary(1000) + ", nationalId " + db.binary(1000)));

    assertThat(bootFailure(raw, Map.of())).contains("Entity " + Customer.class.getName())
        .contains("table Customer, companion column rowseal_dek: not found")
        .contains("ALTER TABLE Customer ADD COLUMN rowseal_dek " + db.binary(1024));
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void boot_binaryStorageOnVarchar_failsWithTypeFoundAndDdl(Server db) throws SQLException {
    DataSource raw = database(db, customerTable(db, "name varchar(400), nationalId " + db.binary(1000)
        + ", rowseal_dek " + db.binary(1024)));

    String message = bootFailure(raw, Map.of());

    assertThat(message).contains("table Customer, encrypted column name (string, binary storage)")
        .containsPattern("is (varchar|character varying)\\(400\\)").contains("binary storage needs a binary type");
    assertThat(message).contains(db == Server.POSTGRES ? "ALTER TABLE Customer ALTER COLUMN name TYPE bytea USING name::bytea"
        : db == Server.MARIADB ? "ALTER TABLE Customer MODIFY name varbinary(" : "ALTER TABLE Customer ALTER COLUMN name SET DATA TYPE varbinary(");
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void boot_textStorageOnTooNarrowVarchar_failsWithWidthAndDdl(Server db) throws SQLException {
    DataSource raw = database(db, "create table Memo (id bigint primary key, body varchar(40), subject " + db.binary(1000)
        + ", amount " + db.binary(200) + ", issued " + db.binary(200) + ", counter " + db.binary(200)
        + ", plainNote varchar(100), rowseal_dek " + db.binary(1024) + ")", "create sequence Memo_SEQ start with 1 increment by 50");

    assertThat(bootFailure(raw, Map.of(), Memo.class)).contains("Entity " + Memo.class.getName())
        .contains("table Memo, encrypted column body (string, text storage)")
        .containsPattern("(varchar|character varying)\\(40\\), too narrow: even the shortest value takes 44 characters");
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void boot_companionNotBinary_failsWithDdl(Server db) throws SQLException {
    DataSource raw = database(db, customerTable(db, "name " + db.binary(1000) + ", nationalId " + db.binary(1000)
        + ", rowseal_dek varchar(1024)"));

    assertThat(bootFailure(raw, Map.of())).containsPattern("companion column rowseal_dek: is (varchar|character varying)");
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void boot_companionTooNarrow_failsWithWidthAndDdl(Server db) throws SQLException {
    assumeTrue(db != Server.POSTGRES, "bytea has no width");
    DataSource raw = database(db, customerTable(db, "name " + db.binary(1000) + ", nationalId " + db.binary(1000)
        + ", rowseal_dek varbinary(100)"));

    assertThat(bootFailure(raw, Map.of())).contains("companion column rowseal_dek: is ")
        .contains("(100), too narrow: a wrapped data key takes up to 318 bytes").contains("varbinary(1024)");
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void boot_unconfiguredTableWithCompanion_failsNamingIt(Server db) throws SQLException {
    DataSource raw = database(db, customerTable(db, "name " + db.binary(1000) + ", nationalId " + db.binary(1000)
        + ", rowseal_dek " + db.binary(1024)), "create table legacy_cards (id bigint primary key, rowseal_dek "
        + db.binary(1024) + ")");

    assertThat(bootFailure(raw, Map.of())).containsIgnoringCase("table legacy_cards (in ")
        .contains("not in the RowSeal configuration").contains("rowseal.unmanaged-tables");
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void boot_unconfiguredTableListedAsUnmanaged_starts(Server db) throws SQLException {
    DataSource raw = database(db, customerTable(db, "name " + db.binary(1000) + ", nationalId " + db.binary(1000)
        + ", rowseal_dek " + db.binary(1024)), "create table legacy_cards (id bigint primary key, rowseal_dek "
        + db.binary(1024) + ")");

    try (SessionFactory sf = Hib.build(raw, settings(Map.of(RowSealSettings.UNMANAGED_TABLES, "other, LEGACY_CARDS")),
        Customer.class)) {
      assertThat(sf.isOpen()).isTrue();
    }
    try (SessionFactory sf = Hib.build(raw, settings(Map.of(RowSealSettings.UNMANAGED_TABLES, List.of("legacy_cards"))),
        Customer.class)) {
      assertThat(sf.isOpen()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void boot_validationOff_startsOnAWrongSchema(Server db) throws SQLException {
    DataSource raw = database(db, customerTable(db, "name varchar(400), nationalId " + db.binary(1000)),
        "create table legacy_cards (id bigint primary key, rowseal_dek " + db.binary(1024) + ")");

    try (SessionFactory sf = Hib.build(raw, settings(Map.of(RowSealSettings.SCHEMA_VALIDATION, "false")), Customer.class)) {
      assertThat(sf.isOpen()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Server.class)
  void boot_schemaCreatedByHibernate_validatedAfterTheExport(Server db) throws SQLException {
    DataSource raw = database(db, "create table legacy_cards (id bigint primary key, rowseal_dek " + db.binary(1024) + ")");
    Map<String, Object> create = Map.of("hibernate.hbm2ddl.auto", "create");

    assertThat(bootFailure(raw, create)).containsIgnoringCase("table legacy_cards (in ").doesNotContain("table Customer");
    try (SessionFactory sf = Hib.build(raw, settings(Map.of("hibernate.hbm2ddl.auto", "create",
        RowSealSettings.UNMANAGED_TABLES, "legacy_cards")), Customer.class)) {
      assertThat(sf.isOpen()).isTrue();
    }
  }

  // ---------------------------------------------------------------- helpers

  /** A database of its own with Customer's sequence and {@code ddl} run. */
  private DataSource database(Server db, String... ddl) throws SQLException {
    this.server = db;
    this.namespace = TestDatabases.uniqueName("hibschema");
    DataSource raw = db.isolated(namespace);
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      s.execute(sequence());
      for (String sql : ddl) {
        s.execute(sql);
      }
    }
    return raw;
  }

  private static String customerTable(Server db, String columns) {
    return "create table Customer (id bigint primary key, " + columns + ")";
  }

  private static String sequence() {
    return "create sequence Customer_SEQ start with 1 increment by 50";
  }

  private static Map<String, Object> settings(Map<String, Object> extra) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("rowseal.key_ring", KEY_RING);
    settings.put("hibernate.hbm2ddl.auto", "none");
    settings.putAll(extra);
    return settings;
  }

  private static String bootFailure(DataSource raw, Map<String, Object> extra, Class<?>... entities) {
    Throwable t = catchThrowable(() -> Hib.build(raw, settings(extra), entities.length == 0
        ? new Class<?>[] {Customer.class} : entities).close());
    assertThat(t).as("boot refused").isInstanceOf(SchemaManagementException.class);
    assertThat(t.getCause()).isInstanceOf(IllegalStateException.class);
    assertThat(t.getMessage()).startsWith("RowSeal schema validation failed").contains(RowSealSettings.SCHEMA_VALIDATION);
    return t.getMessage();
  }

  private static byte[] randomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }
}
