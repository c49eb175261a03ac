package io.rowseal.jdbc.frameworks;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A uniquely named encrypted {@code cards} table on one database, a {@link RowSeal} with a local master
 * key, the wrapped DataSource frameworks are given, and raw checks through the unwrapped DataSource (as a
 * DBA would read the table).
 *
 * <pre>
 * cards: id bigint primary key, card_number binary (encrypted, binary form),
 *        holder varchar (encrypted, text form), note varchar (plaintext), amount decimal (plaintext),
 *        rowseal_dek binary (companion)
 * </pre>
 */
final class EncryptedCards implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  final FrameworkDb db;
  final DataSource raw;
  /** The table's unique name, lower case, as the DDL wrote it (unquoted). */
  final String name;
  /** The schema the table lives in, as the catalog stores it: public, the MariaDB database, PUBLIC. */
  final String schema;
  final RowSeal rowSeal;
  final RowSealDataSource wrapped;

  private EncryptedCards(FrameworkDb db) throws SQLException {
    this.db = db;
    this.raw = db.raw();
    this.name = TestDatabases.uniqueName("cards");
    String bin = db.binary();
    rawExec("create table " + name + " (id bigint primary key, card_number " + bin + ", holder varchar(400),"
        + " note varchar(200), amount decimal(12,2), rowseal_dek " + bin + ")");
    try (Connection c = raw.getConnection()) {
      this.schema = db == FrameworkDb.MARIADB ? c.getCatalog() : c.getSchema();
    }
    EncryptedTable table = EncryptedTable.builder(name).idColumns("id")
        .column("card_number", String.class)
        .column("holder", String.class, StorageForm.TEXT)
        .build();
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    this.rowSeal = RowSeal.builder().keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), key)))
        .table(table).build();
    this.wrapped = RowSealDataSource.wrap(raw, rowSeal);
  }

  static EncryptedCards create(FrameworkDb db) throws SQLException {
    return new EncryptedCards(db);
  }

  /** {@code template} with the word {@code cards} replaced by this table's unique name. */
  String sql(String template) {
    return template.replaceAll("\\bcards\\b", name);
  }

  // ---------------------------------------------------------------- plain JDBC through the wrapper

  /** Inserts {@code rows} through the wrapper with plain JDBC, to set up a test of another statement. */
  void insert(List<Card> rows) throws SQLException {
    try (Connection c = wrapped.getConnection(); PreparedStatement ps = c.prepareStatement(
        sql("insert into cards (id, card_number, holder, note, amount) values (?, ?, ?, ?, ?)"))) {
      for (Card card : rows) {
        ps.setLong(1, card.id());
        ps.setString(2, card.cardNumber());
        ps.setString(3, card.holder());
        ps.setString(4, card.note());
        ps.setBigDecimal(5, card.amount());
        ps.executeUpdate();
      }
    }
  }

  /** Row {@code id} read through the wrapper with plain JDBC, or null. */
  Card read(long id) throws SQLException {
    try (Connection c = wrapped.getConnection(); PreparedStatement ps = c.prepareStatement(
        sql("select id, card_number, holder, note, amount from cards where id = ?"))) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? new Card(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBigDecimal(5))
            : null;
      }
    }
  }

  // ---------------------------------------------------------------- raw, past RowSeal

  void rawExec(String... statements) throws SQLException {
    try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** The ids stored, in order. */
  List<Long> rawIds() throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection c = raw.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id from " + name + " order by id")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  /**
   * Asserts that row {@code expected.id()} is stored as RowSeal must store it: {@code card_number} in the
   * binary form (version byte 0x01) and {@code holder} in the text form ({@code rs1:}), neither holding
   * the plaintext; the companion column set; the plaintext columns as written.
   */
  void assertStoredEncrypted(Card expected) throws SQLException {
    try (Connection c = raw.getConnection(); PreparedStatement ps = c.prepareStatement(
        "select card_number, holder, note, amount, rowseal_dek from " + name + " where id = ?")) {
      ps.setLong(1, expected.id());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("row %s stored in %s", expected.id(), name).isTrue();
        byte[] number = rs.getBytes(1);
        String holder = rs.getString(2);
        String note = rs.getString(3);
        BigDecimal amount = rs.getBigDecimal(4);
        byte[] dek = rs.getBytes(5);
        assertThat(number).as("stored card_number").isNotNull();
        assertThat(number[0]).as("card_number format version").isEqualTo((byte) 0x01);
        assertThat(new String(number, StandardCharsets.ISO_8859_1)).as("stored card_number")
            .doesNotContain(expected.cardNumber());
        assertThat(holder).as("stored holder").startsWith("rs1:").doesNotContain(expected.holder());
        assertThat(dek).as("companion column rowseal_dek").isNotNull().isNotEmpty();
        assertThat(note).as("plaintext note").isEqualTo(expected.note());
        assertThat(amount).as("plaintext amount").isEqualByComparingTo(expected.amount());
      }
    }
  }

  @Override
  public void close() throws SQLException {
    rawExec("drop table " + name);
  }

  @Override
  public String toString() {
    return db + ":" + name;
  }
}
