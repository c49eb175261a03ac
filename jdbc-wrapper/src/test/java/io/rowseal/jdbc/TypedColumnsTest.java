package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Encrypted columns of every common Java type: typed setters and getters, {@code getObject} with and
 * without a class, and NULLs with {@code wasNull()}. Values are encrypted, so they round-trip exactly
 * (nanoseconds, decimal scale) whatever the database's own types could hold.
 */
class TypedColumnsTest {
  private static final long L = -9_007_199_254_740_993L;
  private static final int I = 2_000_000_001;
  private static final BigDecimal D = new BigDecimal("12345.6700");
  private static final LocalDate DAY = LocalDate.of(1999, 12, 31);
  private static final Instant AT = Instant.parse("2024-02-29T23:59:59.123456789Z");
  private static final UUID U = UUID.fromString("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
  private static final byte[] RAW = {0, 1, 2, (byte) 0xff, 0x7f};
  private static final String COLUMNS =
      "id, n_long, n_int, amount, birth_date, seen_at, token, active, payload, amount_text";
  private static final String SELECT = "select " + COLUMNS + " from %s where id = ?";
  private static final String INSERT = "insert into %s (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** The typed table on one database and a wrapper for it. */
  private static final class Typed implements AutoCloseable {
    final DataSource raw;
    final String name;
    final DataSource wrapped;

    Typed(Db db) throws SQLException {
      raw = db.raw();
      name = TestDatabases.uniqueName("typed");
      String bin = db.binary();
      try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
        s.execute("create table " + name + " (id bigint primary key, n_long " + bin + ", n_int " + bin + ", amount "
            + bin + ", birth_date " + bin + ", seen_at " + bin + ", token " + bin + ", active " + bin + ", payload "
            + bin + ", amount_text varchar(200), rowseal_dek " + bin + ")");
      }
      EncryptedTable table = EncryptedTable.builder(name).idColumns("id")
          .column("n_long", long.class)
          .column("n_int", Integer.class)
          .column("amount", BigDecimal.class)
          .column("birth_date", LocalDate.class)
          .column("seen_at", Instant.class)
          .column("token", UUID.class)
          .column("active", boolean.class)
          .column("payload", byte[].class)
          .column("amount_text", BigDecimal.class, StorageForm.TEXT)
          .build();
      RowSeal rowSeal = RowSeal.builder().keyRing(KeyRing.of(Cards.masterKey("k1"))).table(table).build();
      wrapped = RowSealDataSource.wrap(raw, rowSeal);
    }

    String sql(String format) {
      return String.format(format, name);
    }

    @Override
    public void close() throws SQLException {
      try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
        s.execute("drop table " + name);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void typedSetters_everyType_roundTripThroughTypedGetters(Db db) throws Exception {
    try (Typed t = new Typed(db); Connection c = t.wrapped.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(t.sql(INSERT))) {
        ps.setLong(1, 1);
        ps.setLong(2, L);
        ps.setInt(3, I);
        ps.setBigDecimal(4, D);
        ps.setObject(5, DAY);
        ps.setObject(6, AT);
        ps.setObject(7, U);
        ps.setBoolean(8, true);
        ps.setBytes(9, RAW);
        ps.setBigDecimal(10, D);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      try (PreparedStatement ps = c.prepareStatement(t.sql(SELECT))) {
        ps.setLong(1, 1);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong("n_long")).isEqualTo(L);
          assertThat(rs.wasNull()).isFalse();
          assertThat(rs.getInt("n_int")).isEqualTo(I);
          assertThat(rs.getBigDecimal("amount")).isEqualTo(D); // equals: the scale is kept
          assertThat(rs.getObject("birth_date", LocalDate.class)).isEqualTo(DAY);
          assertThat(rs.getDate("birth_date")).isEqualTo(Date.valueOf(DAY));
          assertThat(rs.getObject("seen_at", Instant.class)).isEqualTo(AT);
          assertThat(rs.getTimestamp("seen_at")).isEqualTo(Timestamp.from(AT));
          assertThat(rs.getObject("token", UUID.class)).isEqualTo(U);
          assertThat(rs.getBoolean("active")).isTrue();
          assertThat(rs.getBytes("payload")).containsExactly(RAW);
          assertThat(rs.getBigDecimal("amount_text")).isEqualTo(D);

          // getObject without a class gives each column's own Java type
          assertThat(rs.getObject("n_long")).isEqualTo(L);
          assertThat(rs.getObject("n_int")).isEqualTo(I);
          assertThat(rs.getObject("amount")).isEqualTo(D);
          assertThat(rs.getObject("birth_date")).isEqualTo(DAY);
          assertThat(rs.getObject("seen_at")).isEqualTo(AT);
          assertThat(rs.getObject("token")).isEqualTo(U);
          assertThat(rs.getObject("active")).isEqualTo(Boolean.TRUE);
          assertThat((byte[]) rs.getObject("payload")).containsExactly(RAW);

          // getString renders the plaintext
          assertThat(rs.getString("n_long")).isEqualTo(Long.toString(L));
          assertThat(rs.getString("n_int")).isEqualTo(Integer.toString(I));
          assertThat(rs.getString("amount")).isEqualTo("12345.6700");
          assertThat(rs.getString("birth_date")).isEqualTo("1999-12-31");
          assertThat(rs.getString("token")).isEqualTo(U.toString());

          // metadata reports the plaintext Java types (boxed for primitive column types)
          java.sql.ResultSetMetaData meta = rs.getMetaData();
          assertThat(meta.getColumnClassName(2)).isEqualTo(Long.class.getName());
          assertThat(meta.getColumnClassName(8)).isEqualTo(Boolean.class.getName());
          assertThat(meta.getColumnClassName(9)).isEqualTo(byte[].class.getName());

          // lossless conversions to other getter types
          assertThat(rs.getObject("n_int", Long.class)).isEqualTo((long) I);
          assertThat(rs.getObject("n_long", BigDecimal.class)).isEqualTo(BigDecimal.valueOf(L));
          assertThat(rs.getObject("token", String.class)).isEqualTo(U.toString());
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void setObject_javaTypesAndJdbcTypes_areConvertedLosslessly(Db db) throws Exception {
    try (Typed t = new Typed(db); Connection c = t.wrapped.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(t.sql(INSERT))) {
        ps.setLong(1, 2);
        ps.setInt(2, 42); // an int into a long column
        ps.setObject(3, (short) 7); // a short into an int column
        ps.setObject(4, 15L); // a long into a BigDecimal column
        ps.setDate(5, Date.valueOf(DAY)); // java.sql.Date into LocalDate
        ps.setTimestamp(6, Timestamp.from(AT)); // Timestamp into Instant
        ps.setString(7, U.toString()); // a UUID as text
        ps.setObject(8, Boolean.FALSE);
        ps.setObject(9, RAW);
        ps.setObject(10, new BigDecimal("-0.001"));
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(t.sql(SELECT))) {
        ps.setLong(1, 2);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getObject("n_long")).isEqualTo(42L);
          assertThat(rs.getObject("n_int")).isEqualTo(7);
          assertThat(rs.getObject("amount")).isEqualTo(BigDecimal.valueOf(15));
          assertThat(rs.getObject("birth_date")).isEqualTo(DAY);
          assertThat(rs.getObject("seen_at")).isEqualTo(AT);
          assertThat(rs.getObject("token")).isEqualTo(U);
          assertThat(rs.getBoolean("active")).isFalse();
          assertThat(rs.wasNull()).isFalse();
          assertThat(rs.getBytes("payload")).containsExactly(RAW);
          assertThat(rs.getObject("amount_text")).isEqualTo(new BigDecimal("-0.001"));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void nulls_everyType_readAsNullAndWasNull(Db db) throws Exception {
    try (Typed t = new Typed(db); Connection c = t.wrapped.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(t.sql(INSERT))) {
        ps.setLong(1, 3);
        ps.setNull(2, Types.BIGINT);
        ps.setNull(3, Types.INTEGER);
        ps.setBigDecimal(4, null);
        ps.setObject(5, null);
        ps.setNull(6, Types.TIMESTAMP);
        ps.setObject(7, null);
        ps.setNull(8, Types.BOOLEAN);
        ps.setBytes(9, null);
        ps.setNull(10, Types.NUMERIC);
        ps.executeUpdate();
      }
      try (Connection raw = t.raw.getConnection(); Statement s = raw.createStatement();
          ResultSet rs = s.executeQuery("select rowseal_dek, n_long, payload from " + t.name + " where id = 3")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes("n_long")).as("NULL stays NULL, never encrypted").isNull();
        assertThat(rs.getBytes("payload")).isNull();
      }
      try (PreparedStatement ps = c.prepareStatement(t.sql(SELECT))) {
        ps.setLong(1, 3);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong("id")).isEqualTo(3);
          assertThat(rs.wasNull()).isFalse();
          assertThat(rs.getLong("n_long")).isZero();
          assertThat(rs.wasNull()).isTrue();
          assertThat(rs.getInt("n_int")).isZero();
          assertThat(rs.wasNull()).isTrue();
          assertThat(rs.getBigDecimal("amount")).isNull();
          assertThat(rs.wasNull()).isTrue();
          assertThat(rs.getObject("birth_date", LocalDate.class)).isNull();
          assertThat(rs.wasNull()).isTrue();
          assertThat(rs.getTimestamp("seen_at")).isNull();
          assertThat(rs.getObject("token")).isNull();
          assertThat(rs.wasNull()).isTrue();
          assertThat(rs.getBoolean("active")).isFalse();
          assertThat(rs.wasNull()).isTrue();
          assertThat(rs.getBytes("payload")).isNull();
          assertThat(rs.wasNull()).isTrue();
          assertThat(rs.getString("amount_text")).isNull();
          assertThat(rs.wasNull()).isTrue();
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void execute_valueOfWrongTypeForColumn_fails22R02AndWritesNothing(Db db) throws Exception {
    try (Typed t = new Typed(db); Connection c = t.wrapped.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(t.sql("insert into %s (id, n_long, n_int) values (?, ?, ?)"))) {
        ps.setLong(1, 4);
        ps.setString(2, "not a number");
        ps.setInt(3, 1);
        Throwable thrown = catchThrowable(ps::executeUpdate);
        assertThat(thrown).isInstanceOf(SQLException.class);
        assertThat(((SQLException) thrown).getSQLState()).isEqualTo("22R02");
        assertThat(thrown).hasMessageContaining(t.name + ".n_long").hasMessageNotContaining("not a number");
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + t.name)) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
    }
  }
}
