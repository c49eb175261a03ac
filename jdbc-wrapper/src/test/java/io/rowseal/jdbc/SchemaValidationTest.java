package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The schema check on a {@link RowSealDataSource}'s first connection, on each database: every failure is SQLState
 * {@code 0A000} naming table, column, the type found and the DDL that fixes it on that database, and nothing is
 * handed out; validation off, or a table listed as unmanaged, lets the schema pass.
 */
class SchemaValidationTest {
  private static final KeyRing RING = KeyRing.of(Cards.masterKey("k1"));

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_schemaFits_handsOutWorkingConnections(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("fits");
    exec(raw, "create table " + name + " (id bigint primary key, card_number " + db.binary() + ", holder varchar(400),"
        + " issued_on varchar(60), rowseal_dek " + db.binary() + ")");
    RowSeal rowSeal = RowSeal.builder().keyRing(RING).table(EncryptedTable.builder(name).idColumns("id")
        .column("card_number", String.class)
        .column("holder", String.class, StorageForm.TEXT)
        .column("issued_on", java.time.LocalDate.class, StorageForm.TEXT) // 56 characters: fits varchar(60)
        .build()).build();
    DataSource wrapped = RowSealDataSource.wrap(raw, rowSeal);

    try (Connection c = wrapped.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + name + " (id, card_number, holder) values (1, ?, ?)")) {
      ps.setString(1, "4111111111111111");
      ps.setString(2, "Jane");
      ps.executeUpdate();
    }
    assertThat(read(wrapped, name, "card_number")).isEqualTo("4111111111111111");
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_tableMissing_failsNamingTable(Db db) {
    String name = TestDatabases.uniqueName("absent");
    SQLFeatureNotSupportedException e = firstStatementFails(db.raw(), rowSeal(name, "card_number", StorageForm.BINARY));

    assertThat(e.getMessage()).contains("table " + name + ": not found").contains("(card_number)");
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_idColumnMissing_failsNamingColumn(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("noid");
    exec(raw, "create table " + name + " (code bigint primary key, card_number " + db.binary() + ", rowseal_dek "
        + db.binary() + ")");

    SQLFeatureNotSupportedException e = firstStatementFails(raw, rowSeal(name, "card_number", StorageForm.BINARY));

    assertThat(e.getMessage()).contains("table " + name + ", id column id: not found");
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_encryptedColumnMissing_failsWithAddColumnDdl(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("nocol");
    exec(raw, "create table " + name + " (id bigint primary key, rowseal_dek " + db.binary() + ")");

    SQLFeatureNotSupportedException e = firstStatementFails(raw, rowSeal(name, "card_number", StorageForm.BINARY));

    assertThat(e.getMessage()).contains("table " + name + ", encrypted column card_number: not found")
        .contains("ALTER TABLE " + name + " ADD COLUMN card_number " + (db == Db.POSTGRES ? "bytea" : "varbinary("));
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_companionMissing_failsWithAddColumnDdl(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("nodek");
    exec(raw, "create table " + name + " (id bigint primary key, card_number " + db.binary() + ")");

    SQLFeatureNotSupportedException e = firstStatementFails(raw, rowSeal(name, "card_number", StorageForm.BINARY));

    assertThat(e.getMessage()).contains("table " + name + ", companion column rowseal_dek: not found")
        .contains("ALTER TABLE " + name + " ADD COLUMN rowseal_dek " + (db == Db.POSTGRES ? "bytea" : "varbinary(1024)"));
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_binaryStorageOnVarchar_failsWithTypeFoundAndDdl(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("binvc");
    exec(raw, "create table " + name + " (id bigint primary key, card_number varchar(400), rowseal_dek "
        + db.binary() + ")");

    SQLFeatureNotSupportedException e = firstStatementFails(raw, rowSeal(name, "card_number", StorageForm.BINARY));

    assertThat(e.getMessage()).contains("table " + name + ", encrypted column card_number (string, binary storage)")
        .containsPattern("is (varchar|character varying)\\(400\\)").contains("binary storage needs a binary type")
        .contains(fixFor(db, name, "card_number"));
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_textStorageOnTooNarrowVarchar_failsWithWidthAndWideningDdl(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("narrow");
    // even "" takes 44 characters: rs1: + Base64 of 30 bytes
    exec(raw, "create table " + name + " (id bigint primary key, holder varchar(40), rowseal_dek " + db.binary() + ")");

    SQLFeatureNotSupportedException e = firstStatementFails(raw, rowSeal(name, "holder", StorageForm.TEXT));

    assertThat(e.getMessage()).contains("table " + name + ", encrypted column holder (string, text storage)")
        .containsPattern("(varchar|character varying)\\(40\\), too narrow: even the shortest value takes 44 characters")
        .contains(widen(db, name, "holder", "varchar("));
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_textStorageOfLongTooNarrow_failsWithExactWidth(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("narrowl");
    exec(raw, "create table " + name + " (id bigint primary key, amount varchar(50), rowseal_dek " + db.binary() + ")");
    RowSeal rowSeal = RowSeal.builder().keyRing(RING).table(EncryptedTable.builder(name).idColumns("id")
        .column("amount", Long.class, StorageForm.TEXT).build()).build();

    SQLFeatureNotSupportedException e = firstStatementFails(raw, rowSeal);

    assertThat(e.getMessage()).containsPattern("(varchar|character varying)\\(50\\), too narrow: every value of this type takes up to 56"
        + " characters")
        .contains(widen(db, name, "amount", "varchar(56)"));
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_companionNotBinary_failsWithDdl(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("dekvc");
    exec(raw, "create table " + name + " (id bigint primary key, card_number " + db.binary() + ", rowseal_dek varchar(1024))");

    SQLFeatureNotSupportedException e = firstStatementFails(raw, rowSeal(name, "card_number", StorageForm.BINARY));

    assertThat(e.getMessage()).containsPattern("table " + name + ", companion column rowseal_dek: is (varchar|character varying)\\(1024\\)")
        .contains(fixFor(db, name, "rowseal_dek"));
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_companionTooNarrow_failsWithWidthAndDdl(Db db) throws SQLException {
    assumeTrue(db != Db.POSTGRES, "bytea has no width");
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("deknarrow");
    exec(raw, "create table " + name + " (id bigint primary key, card_number " + db.binary() + ", rowseal_dek varbinary(256))");

    SQLFeatureNotSupportedException e = firstStatementFails(raw, rowSeal(name, "card_number", StorageForm.BINARY));

    assertThat(e.getMessage()).containsPattern("table " + name + ", companion column rowseal_dek: is (varbinary|binary varying)\\(256\\), too"
            + " narrow: a wrapped data key takes up to 318 bytes").contains(widen(db, name, "rowseal_dek", "varbinary(1024)"));
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_charIdColumn_failsNamingColumn(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("charid");
    exec(raw, "create table " + name + " (id char(6) primary key, card_number " + db.binary() + ", rowseal_dek "
        + db.binary() + ")");

    SQLFeatureNotSupportedException e = catchThrowableOfType(SQLFeatureNotSupportedException.class,
        () -> touch(RowSealDataSource.wrap(raw, rowSeal(name, "card_number", StorageForm.BINARY)), name));

    assertThat(e.getSQLState()).isEqualTo("0A000");
    // the planner refuses CHAR(n) ids itself (whether or not validation is on), before the schema check runs
    assertThat(e.getMessage()).contains(name).contains("id column id").contains("fixed-width CHAR")
        .contains("VARCHAR");
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_unconfiguredTableWithCompanionColumn_failsNamingIt(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("cards");
    String stray = TestDatabases.uniqueName("stray");
    exec(raw, "create table " + name + " (id bigint primary key, card_number " + db.binary() + ", rowseal_dek "
        + db.binary() + ")", "create table " + stray + " (id bigint primary key, secret varchar(100), rowseal_dek "
        + db.binary() + ")");

    SQLFeatureNotSupportedException e = firstStatementFails(raw, rowSeal(name, "card_number", StorageForm.BINARY));

    assertThat(e.getMessage()).containsIgnoringCase("table " + stray + " (in ")
        .contains("is not in the RowSeal configuration").contains("rowseal.unmanaged-tables")
        .doesNotContain("table " + name);
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_unconfiguredTableListedAsUnmanaged_passes(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("cards");
    String stray = TestDatabases.uniqueName("stray");
    exec(raw, "create table " + name + " (id bigint primary key, card_number " + db.binary() + ", rowseal_dek "
        + db.binary() + ")", "create table " + stray + " (id bigint primary key, secret varchar(100), rowseal_dek "
        + db.binary() + ")");
    RowSeal rowSeal = rowSeal(name, "card_number", StorageForm.BINARY);

    touch(RowSealDataSource.builder(raw, rowSeal).unmanagedTables(stray).build(), name);
    RowSeal configured = rowSeal.toBuilder().table(rowSeal.table(name)).unmanagedTables(List.of(stray.toUpperCase()))
        .build();
    touch(RowSealDataSource.wrap(raw, configured), name);
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_validationOff_passesAWrongSchema(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("off");
    exec(raw, "create table " + name + " (id bigint primary key, card_number varchar(400))",
        "create table " + TestDatabases.uniqueName("stray") + " (id bigint primary key, rowseal_dek " + db.binary() + ")");
    RowSeal rowSeal = rowSeal(name, "card_number", StorageForm.BINARY);

    touch(RowSealDataSource.builder(raw, rowSeal).schemaValidation(false).build(), name);
    RowSeal off = rowSeal.toBuilder().table(rowSeal.table(name)).schemaValidation(false).build();
    touch(RowSealDataSource.wrap(raw, off), name);
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_afterTheSchemaIsFixed_checksAgainThenNoMore(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("fixed");
    exec(raw, "create table " + name + " (id bigint primary key, card_number " + db.binary() + ")");
    RowSealDataSource wrapped = RowSealDataSource.wrap(raw, rowSeal(name, "card_number", StorageForm.BINARY));
    assertThat((Object) catchThrowableOfType(SQLFeatureNotSupportedException.class, () -> touch(wrapped, name)))
        .isNotNull();

    exec(raw, "alter table " + name + " add column rowseal_dek " + db.binary());
    touch(wrapped, name);
    // validated once per data source: a later change is not seen (the statements fail instead)
    exec(raw, "alter table " + name + " drop column rowseal_dek");
    touch(wrapped, name);
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void firstStatement_severalProblems_listsEachOnce(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("many");
    exec(raw, "create table " + name + " (id bigint primary key, card_number varchar(400), holder varchar(20))");
    RowSeal rowSeal = RowSeal.builder().keyRing(RING).table(EncryptedTable.builder(name).idColumns("id")
        .column("card_number", String.class).column("holder", String.class, StorageForm.TEXT).build()).build();

    SQLFeatureNotSupportedException e = firstStatementFails(raw, rowSeal);

    assertThat(e.getMessage()).startsWith("RowSeal schema validation failed with 3 problems")
        .contains("encrypted column card_number").contains("encrypted column holder").contains("companion column rowseal_dek");
  }

  /**
   * The reported bug, undone by the DDL the message proposes: PostgreSQL stores a binary value bound to a varchar
   * column as its {@code \x} hex text, and the cast back to bytea restores the very bytes, so rows written before
   * the fix decrypt after it.
   */
  @ParameterizedTest
  @EnumSource(value = Db.class, names = "POSTGRES")
  void proposedDdl_postgresBinaryOnVarchar_keepsRowsWrittenBefore(Db db) throws SQLException {
    DataSource raw = db.raw();
    String name = TestDatabases.uniqueName("hexed");
    exec(raw, "create table " + name + " (id bigint primary key, card_number varchar(400), rowseal_dek bytea)");
    RowSeal rowSeal = rowSeal(name, "card_number", StorageForm.BINARY);
    DataSource unchecked = RowSealDataSource.builder(raw, rowSeal).schemaValidation(false).build();
    try (Connection c = unchecked.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into " + name + " (id, card_number) values (1, ?)")) {
      ps.setString(1, "4111111111111111");
      ps.executeUpdate();
    }
    assertThatThrownBy(() -> read(unchecked, name, "card_number")).isInstanceOf(SQLException.class);
    String ddl = firstStatementFails(raw, rowSeal).getMessage()
        .replaceAll("(?s).*Fix: (ALTER TABLE [^(]*::bytea).*", "$1");

    exec(raw, ddl);

    assertThat(read(RowSealDataSource.wrap(raw, rowSeal), name, "card_number")).isEqualTo("4111111111111111");
  }

  // ---------------------------------------------------------------- helpers

  private static RowSeal rowSeal(String table, String column, StorageForm storage) {
    return RowSeal.builder().keyRing(RING)
        .table(EncryptedTable.builder(table).idColumns("id").column(column, String.class, storage).build()).build();
  }

  /** Plans (prepares) a statement that reads {@code table}: the point where the schema is checked. */
  private static void touch(DataSource wrapped, String table) throws SQLException {
    try (Connection c = wrapped.getConnection()) {
      c.prepareStatement("select id from " + table).close();
    }
  }

  /** Connections are handed out; the first statement on the table is refused, before anything runs. */
  private static SQLFeatureNotSupportedException firstStatementFails(DataSource raw, RowSeal rowSeal) {
    RowSealDataSource wrapped = RowSealDataSource.wrap(raw, rowSeal);
    SQLFeatureNotSupportedException e = catchThrowableOfType(SQLFeatureNotSupportedException.class,
        () -> touch(wrapped, rowSeal.tables().get(0).name()));
    assertThat((Object) e).as("first statement refused").isNotNull();
    assertThat(e.getSQLState()).isEqualTo("0A000");
    assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessage(e.getMessage());
    return e;
  }

  /** The fix the message proposes for a character column that binary storage needs as binary. */
  private static String fixFor(Db db, String table, String column) {
    switch (db) {
      case POSTGRES:
        return "ALTER TABLE " + table + " ALTER COLUMN " + column + " TYPE bytea USING " + column + "::bytea";
      case MARIADB:
        return "ALTER TABLE " + table + " MODIFY " + column + " varbinary(";
      default:
        return "ALTER TABLE " + table + " ALTER COLUMN " + column + " SET DATA TYPE varbinary(";
    }
  }

  private static String widen(Db db, String table, String column, String type) {
    switch (db) {
      case POSTGRES:
        return "ALTER TABLE " + table + " ALTER COLUMN " + column + " TYPE " + type;
      case MARIADB:
        return "ALTER TABLE " + table + " MODIFY " + column + " " + type;
      default:
        return "ALTER TABLE " + table + " ALTER COLUMN " + column + " SET DATA TYPE " + type;
    }
  }

  private static String read(DataSource ds, String table, String column) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select " + column + " from " + table + " where id = 1")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  private static void exec(DataSource raw, String... statements) throws SQLException {
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}
