package io.rowseal.jdbc;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.WrapContext;
import io.rowseal.format.WrappedDataKey;
import io.rowseal.testsupport.TestDatabases;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A uniquely named {@code cards} table (and optionally a {@code customers} table it refers to) on one
 * database, a {@link RowSeal} for it with a local master key {@code local:k1}, and the wrapped
 * DataSource. Raw helpers read and write through the unwrapped DataSource, as a DBA would.
 *
 * <pre>
 * cards:     id bigint primary key, holder varchar (TEXT form), card_number binary, cvv binary,
 *            note varchar (plaintext), rowseal_dek binary [, customer_id bigint] [, version bigint]
 * customers: id bigint primary key, name binary, national_id varchar (TEXT form), rowseal_dek binary
 * </pre>
 */
final class Cards implements AutoCloseable {
  /** The prepared single-row insert of every column but the companion, {@code T} for the table. */
  static final String INSERT = "insert into T (id, holder, card_number, cvv, note) values (?, ?, ?, ?, ?)";
  private static final SecureRandom RANDOM = new SecureRandom();

  final Db db;
  final DataSource raw;
  /** The cards table's unique name. */
  final String name;
  final EncryptedTable table;
  final String customersName;
  final EncryptedTable customers;
  final AesGcmMasterKey k1;
  final RowSeal rowSeal;
  final RowSealDataSource wrapped;

  private Cards(Builder b) throws SQLException {
    this.db = b.db;
    this.raw = db.raw();
    this.name = TestDatabases.uniqueName("cards");
    this.customersName = b.customers ? TestDatabases.uniqueName("customers") : null;
    String bin = db.binary();
    List<String> ddl = new ArrayList<>();
    if (b.customers) {
      ddl.add("create table " + customersName + " (id bigint primary key, name " + bin
          + ", national_id varchar(400), rowseal_dek " + bin + ")");
    }
    ddl.add("create table " + name + " (" + (b.identity ? db.identityId() : "id bigint primary key")
        + ", holder varchar(400), card_number " + bin + ", cvv " + bin + ", note varchar(200), rowseal_dek " + bin
        + (b.customers ? ", customer_id bigint" : "") + (b.version ? ", version bigint default 0 not null" : "") + ")");
    rawExec(ddl.toArray(new String[0]));
    this.table = EncryptedTable.builder(name).idColumns("id")
        .column("card_number", String.class)
        .column("cvv", String.class)
        .column("holder", String.class, StorageForm.TEXT)
        .build();
    this.customers = b.customers
        ? EncryptedTable.builder(customersName).idColumns("id")
            .column("name", String.class)
            .column("national_id", String.class, StorageForm.TEXT)
            .build()
        : null;
    this.k1 = masterKey("k1");
    this.rowSeal = b.setup == null ? rowSeal(KeyRing.of(k1)) : withTables(b.setup.rowSeal(raw, k1));
    this.wrapped = RowSealDataSource.wrap(raw, rowSeal);
  }

  static Builder on(Db db) {
    return new Builder(db);
  }

  /** A fixture on {@code setup}'s database with its key setup ({@link KeySetups}). */
  static Builder on(KeySetups.Setup setup) {
    return new Builder(setup.db()).keys(setup);
  }

  static Cards create(Db db) throws SQLException {
    return on(db).build();
  }

  /** A local AES-GCM master key {@code local:<alias>} with random key bytes. */
  static AesGcmMasterKey masterKey(String alias) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return AesGcmMasterKey.of(KeyRef.of("local:" + alias), key);
  }

  /** Another RowSeal over the same tables with another key ring (a rotated configuration, another process). */
  RowSeal rowSeal(KeyRing ring) {
    return withTables(RowSeal.builder().keyRing(ring));
  }

  private RowSeal withTables(RowSeal.Builder b) {
    b.table(table);
    if (customers != null) {
      b.table(customers);
    }
    return b.build();
  }

  /** {@code template} with {@code T} words replaced by the cards table name and {@code CU} by the customers one. */
  String sql(String template) {
    String s = template.replaceAll("\\bT\\b", name);
    return customersName == null ? s : s.replaceAll("\\bCU\\b", customersName);
  }

  // ---------------------------------------------------------------- through the wrapper

  /** Inserts one card through {@code c} (a wrapped connection) with a prepared statement. */
  void insert(Connection c, long id, String holder, String number, String cvv, String note) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql(INSERT))) {
      ps.setLong(1, id);
      ps.setString(2, holder);
      ps.setString(3, number);
      ps.setString(4, cvv);
      ps.setString(5, note);
      ps.executeUpdate();
    }
  }

  /** Inserts cards 1..n through the wrapper: holder "Holder i", number "41111111111111" + two digits, cvv, note. */
  void seed(int n) throws SQLException {
    try (Connection c = wrapped.getConnection()) {
      for (int i = 1; i <= n; i++) {
        insert(c, i, holder(i), number(i), cvv(i), "note " + i);
      }
    }
  }

  static String holder(long i) {
    return "Holder " + i;
  }

  static String number(long i) {
    return String.format("41111111111111%02d", i % 100);
  }

  static String cvv(long i) {
    return String.format("%03d", (i * 7) % 1000);
  }

  /** One column of one row read through the wrapper, as a String. */
  String read(long id, String column) throws SQLException {
    return read(wrapped, id, column);
  }

  String read(DataSource ds, long id, String column) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("select " + column + " from " + name + " where id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new AssertionError("no row " + id + " in " + name);
        }
        return rs.getString(1);
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

  long count() throws SQLException {
    try (Connection c = raw.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + name)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The raw bytes of a binary column (card_number, cvv, rowseal_dek) of one row, or null. */
  byte[] rawBytes(long id, String column) throws SQLException {
    try (Connection c = raw.getConnection();
        PreparedStatement ps = c.prepareStatement("select " + column + " from " + name + " where id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new AssertionError("no row " + id + " in " + name);
        }
        return rs.getBytes(1);
      }
    }
  }

  /** The raw text of a varchar column (holder, note) of one row, or null. */
  String rawText(long id, String column) throws SQLException {
    try (Connection c = raw.getConnection();
        PreparedStatement ps = c.prepareStatement("select " + column + " from " + name + " where id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new AssertionError("no row " + id + " in " + name);
        }
        return rs.getString(1);
      }
    }
  }

  /** Every row as stored, in id order: {@code id|holder|hex(card_number)|hex(cvv)|note|hex(rowseal_dek)}. */
  List<String> snapshot() throws SQLException {
    HexFormat hex = HexFormat.of();
    List<String> rows = new ArrayList<>();
    try (Connection c = raw.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            sql("select id, holder, card_number, cvv, note, rowseal_dek from T order by id"))) {
      while (rs.next()) {
        byte[] number = rs.getBytes(3);
        byte[] cvv = rs.getBytes(4);
        byte[] dek = rs.getBytes(6);
        rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + (number == null ? null : hex.formatHex(number)) + "|"
            + (cvv == null ? null : hex.formatHex(cvv)) + "|" + rs.getString(5) + "|"
            + (dek == null ? null : hex.formatHex(dek)));
      }
    }
    return rows;
  }

  /** The data key in a raw companion column, unwrapped with the key that the companion names. */
  static DataKey unwrap(byte[] companion, EncryptedTable table, String rowId, AesGcmMasterKey... keys) {
    WrappedDataKey w = WrappedDataKey.decode(companion);
    for (AesGcmMasterKey k : keys) {
      if (k.ref().equals(w.keyRef())) {
        WrapContext context = w.isRowBound()
            ? WrapContext.rowBound(table.logicalName(), rowId) : WrapContext.unbound(table.logicalName());
        return k.unwrap(w.wrappedKey(), context);
      }
    }
    throw new AssertionError("no test key named " + w.keyRef());
  }

  @Override
  public void close() throws SQLException {
    List<String> drops = new ArrayList<>();
    drops.add("drop table " + name);
    if (customersName != null) {
      drops.add("drop table " + customersName);
    }
    rawExec(drops.toArray(new String[0]));
  }

  @Override
  public String toString() {
    return db + ":" + name;
  }

  static final class Builder {
    private final Db db;
    private KeySetups.@Nullable Setup setup;
    private boolean customers;
    private boolean identity;
    private boolean version;

    private Builder(Db db) {
      this.db = db;
    }

    /** Keys from {@code setup} (a cell of {@link KeySetups}) instead of the local direct key {@code k1}. */
    private Builder keys(KeySetups.Setup setup) {
      this.setup = setup;
      return this;
    }

    /** Also a customers table with encrypted name and national_id, and cards.customer_id. */
    Builder withCustomers() {
      customers = true;
      return this;
    }

    /** cards.id generated by the database. */
    Builder withIdentityId() {
      identity = true;
      return this;
    }

    /** A plaintext {@code version bigint} column, as Hibernate's {@code @Version} uses. */
    Builder withVersion() {
      version = true;
      return this;
    }

    Cards build() throws SQLException {
      return new Cards(this);
    }
  }
}
