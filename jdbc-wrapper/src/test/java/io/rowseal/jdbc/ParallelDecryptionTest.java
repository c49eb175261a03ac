package io.rowseal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rowseal.CryptoProvider;
import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.key.KeyRing;
import io.rowseal.testsupport.TestDatabases;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Differential: a result read ahead and decrypted on 2 or 4 threads ({@code decryptParallelism}) gives exactly
 * what the serial path gives, value by value and error by error, over every encrypted value type, both storage
 * forms, plaintext columns, NULLs, a value that fails authentication and a row whose data key cannot be opened,
 * on H2, PostgreSQL and MariaDB; a statement closed early, and scrollable results (which stay serial).
 */
class ParallelDecryptionTest {
  private static final int ROWS = 700; // several chunks of 64 and more than (2N + 1) chunks ahead for N = 2 and 4
  private static final int BAD_VALUE_ROW = 333;
  private static final int BAD_KEY_ROW = 401;
  private static final String COLUMNS = "id, label, qty, price, created, s_string, s_long, s_decimal, s_day, s_at,"
      + " s_uuid, s_bool, s_bytes, s_text, s_int, s_double, s_bigint, s_time, s_ldt, s_odt, s_enum";
  private static final int COLUMN_COUNT = 21;

  enum Brand { VISA, MASTERCARD }

  /** The table on one database, and wrappers over it decrypting serially and on 2 and 4 threads. */
  private static final class Fixture implements AutoCloseable {
    final DataSource raw;
    final String name;
    final RowSeal rowSeal;

    Fixture(Db db) throws SQLException {
      raw = db.raw();
      name = TestDatabases.uniqueName("par");
      String bin = db.binary();
      try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
        s.execute("create table " + name + " (id bigint primary key, label varchar(40), qty int, price numeric(10,2),"
            + " created timestamp, s_string " + bin + ", s_long " + bin + ", s_decimal " + bin + ", s_day " + bin
            + ", s_at " + bin + ", s_uuid " + bin + ", s_bool " + bin + ", s_bytes " + bin + ", s_text varchar(300),"
            + " s_int " + bin + ", s_double " + bin + ", s_bigint " + bin + ", s_time " + bin + ", s_ldt " + bin
            + ", s_odt " + bin + ", s_enum " + bin + ", rowseal_dek " + bin + ")");
      }
      EncryptedTable table = EncryptedTable.builder(name).idColumns("id")
          .column("s_string", String.class).column("s_long", long.class).column("s_decimal", BigDecimal.class)
          .column("s_day", LocalDate.class).column("s_at", Instant.class).column("s_uuid", UUID.class)
          .column("s_bool", boolean.class).column("s_bytes", byte[].class)
          .column("s_text", String.class, StorageForm.TEXT)
          .column("s_int", Integer.class).column("s_double", double.class)
          .column("s_bigint", java.math.BigInteger.class).column("s_time", java.time.LocalTime.class)
          .column("s_ldt", java.time.LocalDateTime.class).column("s_odt", java.time.OffsetDateTime.class)
          .column("s_enum", Brand.class)
          .build();
      rowSeal = RowSeal.builder().keyRing(KeyRing.of(Cards.masterKey("k1"))).table(table)
          .cryptoProvider(CryptoProvider.ACCP).build();
      try (Connection c = wrapped(1).getConnection();
          PreparedStatement ps = c.prepareStatement("insert into " + name + " (" + COLUMNS
              + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 1; i <= ROWS; i++) {
          boolean nulls = i % 7 == 0;
          ps.setLong(1, i);
          ps.setString(2, i % 5 == 0 ? null : "label " + i);
          ps.setObject(3, i % 5 == 0 ? null : i * 3);
          ps.setBigDecimal(4, i % 5 == 0 ? null : new BigDecimal(i + ".25"));
          ps.setTimestamp(5, i % 5 == 0 ? null : Timestamp.valueOf(
              java.time.LocalDateTime.of(2024, 3, 1, 10, 0).plusMinutes(i)));
          ps.setString(6, nulls ? null : "card " + i + " ü");
          ps.setObject(7, nulls ? null : (Object) (-i * 1_000_000_007L));
          ps.setBigDecimal(8, nulls ? null : new BigDecimal("-" + i + ".1000"));
          ps.setObject(9, nulls ? null : LocalDate.of(2000, 1, 1).plusDays(i));
          ps.setObject(10, nulls ? null : Instant.ofEpochSecond(1_700_000_000L + i, i));
          ps.setObject(11, nulls ? null : new UUID(i, -i));
          ps.setObject(12, nulls ? null : (Object) (i % 2 == 0));
          ps.setBytes(13, nulls ? null : new byte[] {(byte) i, 0, (byte) 0xff});
          ps.setString(14, nulls ? null : "text " + i);
          ps.setObject(15, nulls ? null : (Object) (i * 13));
          ps.setObject(16, nulls ? null : (Object) (i / 3.0));
          ps.setObject(17, nulls ? null : java.math.BigInteger.TEN.pow(30).add(java.math.BigInteger.valueOf(i)));
          ps.setObject(18, nulls ? null : java.time.LocalTime.of(i % 24, i % 60, i % 60, i));
          ps.setObject(19, nulls ? null : java.time.LocalDateTime.of(2020, 1, 1, 0, 0).plusSeconds(i * 3607L));
          ps.setObject(20, nulls ? null : java.time.OffsetDateTime.of(2021, 6, 1, 12, 0, 0, i,
              java.time.ZoneOffset.ofHoursMinutes(i % 14, 30)));
          ps.setObject(21, nulls ? null : Brand.values()[i % 2]);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
        // a value moved from another row fails authentication; a companion of another row fails to unwrap
        s.executeUpdate("update " + name + " set s_string = (select s_string from " + name + " where id = 1)"
            + " where id = " + BAD_VALUE_ROW);
        s.executeUpdate("update " + name + " set rowseal_dek = (select rowseal_dek from " + name + " where id = 2)"
            + " where id = " + BAD_KEY_ROW);
      }
    }

    DataSource wrapped(int threads) {
      return RowSealDataSource.builder(raw, rowSeal).decryptParallelism(threads).build();
    }

    @Override
    public void close() throws SQLException {
      try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
        s.execute("drop table " + name);
      }
    }
  }

  /** Every row as text, each getter's value or its error (SQLState and message), in order. */
  private static List<String> readAll(DataSource ds, String sql, int limit) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (out.size() < limit && rs.next()) {
        StringBuilder row = new StringBuilder().append(rs.getRow()).append(':');
        for (int col = 1; col <= COLUMN_COUNT; col++) {
          final int c2 = col;
          row.append(" | ").append(read(rs, col, () -> render(rs.getObject(c2)))).append(wasNull(rs));
        }
        row.append(" | typed: ").append(read(rs, 6, () -> rs.getString("s_string")))
            .append(' ').append(read(rs, 7, () -> rs.getLong(7) + "" + rs.wasNull()))
            .append(' ').append(read(rs, 8, () -> String.valueOf(rs.getBigDecimal(8))))
            .append(' ').append(read(rs, 9, () -> String.valueOf(rs.getObject(9, LocalDate.class))))
            .append(' ').append(read(rs, 10, () -> String.valueOf(rs.getObject(10, Instant.class))))
            .append(' ').append(read(rs, 12, () -> rs.getBoolean(12) + "" + rs.wasNull()))
            .append(' ').append(read(rs, 13, () -> render(rs.getBytes(13))))
            .append(' ').append(read(rs, 14, () -> rs.getString(14)))
            .append(' ').append(read(rs, 15, () -> rs.getInt(15) + "" + rs.wasNull()))
            .append(' ').append(read(rs, 16, () -> rs.getDouble(16) + "" + rs.wasNull()))
            .append(' ').append(read(rs, 19, () -> String.valueOf(rs.getObject(19, java.time.LocalDateTime.class))))
            .append(' ').append(read(rs, 21, () -> String.valueOf(rs.getObject(21, Brand.class))))
            .append(' ').append(read(rs, 1, () -> rs.getLong(1) + "/" + rs.getInt("id")))
            .append(' ').append(read(rs, 2, () -> rs.getString(2)))
            .append(' ').append(read(rs, 3, () -> rs.getInt(3) + "" + rs.wasNull()))
            .append(' ').append(read(rs, 4, () -> String.valueOf(rs.getBigDecimal(4))))
            .append(' ').append(read(rs, 5, () -> String.valueOf(rs.getTimestamp(5))));
        out.add(row.toString());
      }
    }
    return out;
  }

  private interface Getter {
    String get() throws SQLException;
  }

  private static String read(ResultSet rs, int col, Getter g) {
    try {
      return g.get();
    } catch (SQLException e) {
      return "ERR(" + col + ", " + e.getSQLState() + ", " + e.getMessage() + ")";
    }
  }

  private static String wasNull(ResultSet rs) throws SQLException {
    return rs.wasNull() ? "(null)" : "";
  }

  private static String render(Object v) {
    if (v == null) {
      return "null";
    }
    return v.getClass().getSimpleName() + "=" + (v instanceof byte[] ? HexFormat.of().formatHex((byte[]) v) : v);
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void parallelScan_sameAsSerial_valuesNullsAndErrorRows(Db db) throws Exception {
    try (Fixture f = new Fixture(db)) {
      String sql = "select " + COLUMNS + " from " + f.name + " order by id";
      List<String> serial = readAll(f.wrapped(1), sql, Integer.MAX_VALUE);

      assertThat(serial).hasSize(ROWS);
      assertThat(serial.get(BAD_VALUE_ROW - 1)).contains("ERR(6, 22R01").doesNotContain("ERR(7,");
      assertThat(serial.get(BAD_KEY_ROW - 1)).contains("ERR(6, 22R01").contains("ERR(14, 22R01");
      assertThat(serial.get(BAD_VALUE_ROW)).doesNotContain("ERR(");
      for (int threads : new int[] {2, 4}) {
        assertThat(readAll(f.wrapped(threads), sql, Integer.MAX_VALUE)).as("%d threads", threads)
            .containsExactlyElementsOf(serial);
      }
      // prepared statements take the same path
      try (Connection c = f.wrapped(2).getConnection();
          PreparedStatement ps = c.prepareStatement("select id, s_string from " + f.name + " where id > ? order by id")) {
        ps.setLong(1, ROWS - 100);
        try (ResultSet rs = ps.executeQuery()) {
          int n = 0;
          while (rs.next()) {
            n++;
            assertThat(rs.getString(2)).isEqualTo(rs.getLong(1) % 7 == 0 ? null : "card " + rs.getLong(1) + " ü");
          }
          assertThat(n).isEqualTo(100);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void parallelScan_closedEarly_thenNextReadIsClean(Db db) throws Exception {
    try (Fixture f = new Fixture(db)) {
      DataSource parallel = f.wrapped(2);
      String sql = "select " + COLUMNS + " from " + f.name + " order by id";
      List<String> serial = readAll(f.wrapped(1), sql, 10);
      for (int i = 0; i < 20; i++) {
        assertThat(readAll(parallel, sql, 10)).containsExactlyElementsOf(serial);
      }
      try (Connection c = parallel.getConnection(); Statement s = c.createStatement()) {
        ResultSet rs = s.executeQuery(sql);
        assertThat(rs.next()).isTrue();
        rs.close();
        Throwable afterClose = catchThrowable(rs::next);
        assertThat(afterClose).isInstanceOf(SQLException.class);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void scrollableResult_staysSerial(Db db) throws Exception {
    try (Fixture f = new Fixture(db);
        Connection c = f.wrapped(4).getConnection();
        Statement s = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY);
        ResultSet rs = s.executeQuery("select id, s_string from " + f.name + " order by id")) {
      assertThat(rs.absolute(3)).isTrue();
      assertThat(rs.getString(2)).isEqualTo("card 3 ü");
      assertThat(rs.previous()).isTrue();
      assertThat(rs.getString(2)).isEqualTo("card 2 ü");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void parallelScan_plaintextGetterWithoutExactConversion_isRefusedNotAnswered(Db db) throws Exception {
    try (Fixture f = new Fixture(db);
        Connection c = f.wrapped(2).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select created, s_string from " + f.name + " where id = 1")) {
      assertThat(rs.next()).isTrue();
      SQLException e = (SQLException) catchThrowable(() -> rs.getString(1));
      assertThat(e.getSQLState()).isEqualTo("0A000");
      assertThat(e.getMessage()).contains("decrypt-parallelism").contains("getObject");
      assertThat((Object) rs.getObject(1)).isInstanceOf(Timestamp.class);
      assertThat(rs.getString(2)).isEqualTo("card 1 ü");
    }
  }
}
