package io.rowseal.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.jdbc.RowSealDataSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every type core encodes, across both front doors: written through Hibernate and read through
 * {@link RowSealDataSource} and through core alone from the raw bytes; written through the JDBC wrapper and
 * read through Hibernate. Values are chosen to catch lossy conversions (a BigDecimal's scale, nanoseconds,
 * an offset that is not UTC, an enum stored by name). Mismatches are collected, then asserted empty.
 */
class AllTypesCrossPathTest {
  /** Column name, Java type and the value written, in the entity's field order. */
  private static final Map<String, Object> VALUES = new LinkedHashMap<>();
  private static final Map<String, Class<?>> TYPES = new LinkedHashMap<>();

  static {
    put("vString", String.class, "Zoë ✓ 4111-1111");
    put("vBytes", byte[].class, new byte[] {0, 1, (byte) 0xfe, (byte) 0xff, 42});
    put("vBoolean", boolean.class, true);
    put("vInt", int.class, -2_000_000_123);
    put("vLong", long.class, Long.MIN_VALUE + 7);
    put("vDouble", double.class, -0.1 + 1e-300);
    put("vDecimal", BigDecimal.class, new BigDecimal("12345678901234567890.123400"));
    put("vBigInteger", BigInteger.class, new BigInteger("-123456789012345678901234567890"));
    put("vLocalDate", LocalDate.class, LocalDate.of(1969, 12, 31));
    put("vLocalTime", LocalTime.class, LocalTime.of(23, 59, 58, 123_456_789));
    put("vLocalDateTime", LocalDateTime.class, LocalDateTime.of(2026, 2, 28, 1, 2, 3, 987_654_321));
    put("vInstant", Instant.class, Instant.parse("2026-05-06T07:08:09.123456789Z"));
    put("vOffsetDateTime", OffsetDateTime.class,
        OffsetDateTime.of(2026, 7, 8, 9, 10, 11, 5_000, ZoneOffset.ofHoursMinutes(5, 30)));
    put("vUuid", UUID.class, UUID.fromString("0b9c1f7e-3a2d-4c5b-8e6f-7a8b9c0d1e2f"));
    put("vEnum", AllTypes.Colour.class, AllTypes.Colour.GREEN);
  }

  private static void put(String column, Class<?> type, Object value) {
    TYPES.put(column, type);
    VALUES.put(column, value);
  }

  private static EncryptedTable table() {
    EncryptedTable.Builder b = EncryptedTable.builder("AllTypes").idColumns("id");
    TYPES.forEach(b::column);
    b.column("vNullable", Integer.class);
    return b.build();
  }

  private static AllTypes entity(long id) {
    AllTypes e = new AllTypes();
    e.id = id;
    e.vString = (String) VALUES.get("vString");
    e.vBytes = (byte[]) VALUES.get("vBytes");
    e.vBoolean = (Boolean) VALUES.get("vBoolean");
    e.vInt = (Integer) VALUES.get("vInt");
    e.vLong = (Long) VALUES.get("vLong");
    e.vDouble = (Double) VALUES.get("vDouble");
    e.vDecimal = (BigDecimal) VALUES.get("vDecimal");
    e.vBigInteger = (BigInteger) VALUES.get("vBigInteger");
    e.vLocalDate = (LocalDate) VALUES.get("vLocalDate");
    e.vLocalTime = (LocalTime) VALUES.get("vLocalTime");
    e.vLocalDateTime = (LocalDateTime) VALUES.get("vLocalDateTime");
    e.vInstant = (Instant) VALUES.get("vInstant");
    e.vOffsetDateTime = (OffsetDateTime) VALUES.get("vOffsetDateTime");
    e.vUuid = (UUID) VALUES.get("vUuid");
    e.vEnum = (AllTypes.Colour) VALUES.get("vEnum");
    e.vNullable = null;
    return e;
  }

  private static Map<String, Object> fields(AllTypes e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vString", e.vString);
    m.put("vBytes", e.vBytes);
    m.put("vBoolean", e.vBoolean);
    m.put("vInt", e.vInt);
    m.put("vLong", e.vLong);
    m.put("vDouble", e.vDouble);
    m.put("vDecimal", e.vDecimal);
    m.put("vBigInteger", e.vBigInteger);
    m.put("vLocalDate", e.vLocalDate);
    m.put("vLocalTime", e.vLocalTime);
    m.put("vLocalDateTime", e.vLocalDateTime);
    m.put("vInstant", e.vInstant);
    m.put("vOffsetDateTime", e.vOffsetDateTime);
    m.put("vUuid", e.vUuid);
    m.put("vEnum", e.vEnum);
    return m;
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void writtenThroughHibernate_readsBackThroughJdbcWrapperAndCoreAlone(Db db) throws SQLException {
    try (Hib hib = new Hib(db, Map.of(), AllTypes.class)) {
      hib.inTransaction(s -> s.persist(entity(1L)));
      RowSeal rowSeal = RowSeal.builder().keyRing(hib.keyRing).table(table()).build();
      List<String> mismatches = new ArrayList<>();
      String columns = String.join(", ", TYPES.keySet());

      try (Connection c = RowSealDataSource.wrap(hib.raw, rowSeal).getConnection();
          PreparedStatement ps = c.prepareStatement("select " + columns + ", vNullable from AllTypes where id = 1");
          ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        int i = 1;
        for (Map.Entry<String, Class<?>> e : TYPES.entrySet()) {
          check(mismatches, "wrapper " + e.getKey(), VALUES.get(e.getKey()), rs.getObject(i++, boxed(e.getValue())));
        }
        check(mismatches, "wrapper vNullable", null, rs.getObject(i));
      }

      EncryptedTable table = rowSeal.table("AllTypes");
      try (Connection c = hib.raw.getConnection();
          PreparedStatement ps = c.prepareStatement("select " + columns + ", vNullable, rowseal_dek from AllTypes where id = 1");
          ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        try (RowKey key = rowSeal.openRowKey(table, RowId.of(1L), rs.getBytes(TYPES.size() + 2))) {
          int i = 1;
          for (Map.Entry<String, Class<?>> e : TYPES.entrySet()) {
            byte[] raw = rs.getBytes(i++);
            Object decrypted = key.decrypt(table.column(e.getKey()), raw, boxed(e.getValue()));
            check(mismatches, "core " + e.getKey(), VALUES.get(e.getKey()), decrypted);
          }
          check(mismatches, "raw vNullable", null, rs.getBytes(i));
        }
      }
      assertThat(mismatches).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void writtenThroughJdbcWrapper_readsBackThroughHibernate(Db db) throws SQLException {
    try (Hib hib = new Hib(db, Map.of(), AllTypes.class)) {
      RowSeal rowSeal = RowSeal.builder().keyRing(hib.keyRing).table(table()).build();
      String columns = String.join(", ", TYPES.keySet());
      String marks = "?, ".repeat(TYPES.size() + 1) + "?";
      try (Connection c = RowSealDataSource.wrap(hib.raw, rowSeal).getConnection();
          PreparedStatement ps = c.prepareStatement(
              "insert into AllTypes (id, " + columns + ", vNullable) values (" + marks + ")")) {
        ps.setLong(1, 2L);
        int i = 2;
        for (Object v : VALUES.values()) {
          ps.setObject(i++, v);
        }
        ps.setNull(i, Types.INTEGER);
        ps.executeUpdate();
      }

      AllTypes found = hib.fromTransaction(s -> s.find(AllTypes.class, 2L));

      List<String> mismatches = new ArrayList<>();
      fields(found).forEach((k, v) -> check(mismatches, "hibernate " + k, VALUES.get(k), v));
      check(mismatches, "hibernate vNullable", null, found.vNullable);
      assertThat(mismatches).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void writtenThroughHibernate_readsBackThroughHibernateAndUpdates(Db db) throws SQLException {
    try (Hib hib = new Hib(db, Map.of(), AllTypes.class)) {
      hib.inTransaction(s -> s.persist(entity(3L)));
      hib.inTransaction(s -> s.find(AllTypes.class, 3L).vNullable = 5);

      AllTypes found = hib.fromTransaction(s -> s.find(AllTypes.class, 3L));

      List<String> mismatches = new ArrayList<>();
      fields(found).forEach((k, v) -> check(mismatches, "hibernate " + k, VALUES.get(k), v));
      check(mismatches, "hibernate vNullable", 5, found.vNullable);
      assertThat(mismatches).isEmpty();
    }
  }

  private static Class<?> boxed(Class<?> type) {
    if (type == boolean.class) {
      return Boolean.class;
    }
    if (type == int.class) {
      return Integer.class;
    }
    if (type == long.class) {
      return Long.class;
    }
    if (type == double.class) {
      return Double.class;
    }
    return type;
  }

  private static void check(List<String> mismatches, String what, Object expected, Object actual) {
    boolean same = expected instanceof byte[] && actual instanceof byte[]
        ? java.util.Arrays.equals((byte[]) expected, (byte[]) actual)
        : Objects.equals(expected, actual);
    if (!same) {
      mismatches.add(what + ": expected " + show(expected) + " but was " + show(actual));
    }
  }

  private static String show(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof byte[]) {
      return java.util.Arrays.toString((byte[]) v);
    }
    return v + " (" + v.getClass().getSimpleName() + ")";
  }
}
