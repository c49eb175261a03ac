package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedColumn;
import io.rowseal.format.ValueType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Conversions between what JDBC code binds or asks for and an encrypted column's Java type. Only
 * lossless conversions are made (an int for a long column, a {@code Timestamp} for a
 * {@code LocalDateTime} column); anything else is a {@link SQLDataException} naming the column and the
 * types, never the value.
 */
final class ValueConversions {
  private ValueConversions() {}

  // ---------------------------------------------------------------- binding: application value -> column type

  /**
   * The column's Java type, boxed: a column declared as {@code boolean.class} holds {@code Boolean}
   * values (a primitive class matches no object in {@code isInstance}).
   */
  static Class<?> javaClass(EncryptedColumn column) {
    return column.valueType() == ValueType.ENUM ? column.javaType() : column.valueType().javaType();
  }

  /** {@code value} as the column's Java type, ready to encrypt. */
  static Object toColumnType(EncryptedColumn column, Object value) throws SQLException {
    ValueType type = column.valueType();
    if (type == ValueType.STRING && value instanceof String) { // the usual case, per encrypted value
      return value;
    }
    Class<?> target = type == ValueType.ENUM ? column.javaType() : type.javaType();
    if (target.isInstance(value) && !(value instanceof java.util.Date)) {
      return value;
    }
    Object converted = convert(column.valueType(), target, value);
    if (converted == null) {
      throw new SQLDataException("RowSeal cannot bind a " + value.getClass().getName() + " to encrypted column "
          + Rejections.name(column) + ", which holds " + target.getName() + " values", "22R02");
    }
    return converted;
  }

  private static @Nullable Object convert(ValueType type, Class<?> target, Object v) {
    switch (type) {
      case STRING:
        return v instanceof Character ? v.toString() : null;
      case LONG:
        return integral(v, Long.MIN_VALUE, Long.MAX_VALUE) == null ? null : integral(v, Long.MIN_VALUE, Long.MAX_VALUE);
      case INT: {
        Long l = integral(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return l == null ? null : (Object) l.intValue();
      }
      case DOUBLE:
        if (v instanceof Float || v instanceof Integer || v instanceof Short || v instanceof Byte) {
          return ((Number) v).doubleValue();
        }
        if (v instanceof BigDecimal || v instanceof Long) {
          double d = ((Number) v).doubleValue();
          return new BigDecimal(d).compareTo(v instanceof Long ? BigDecimal.valueOf((Long) v) : (BigDecimal) v) == 0
              ? (Object) d : null;
        }
        return null;
      case DECIMAL:
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
          return BigDecimal.valueOf(((Number) v).longValue());
        }
        return v instanceof BigInteger ? new BigDecimal((BigInteger) v) : null;
      case BIG_INTEGER:
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
          return BigInteger.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigDecimal) {
          try {
            return ((BigDecimal) v).toBigIntegerExact();
          } catch (ArithmeticException e) {
            return null;
          }
        }
        return null;
      case BOOLEAN:
        return null;
      case LOCAL_DATE:
        return v instanceof Date ? ((Date) v).toLocalDate() : null;
      case LOCAL_TIME:
        return v instanceof Time ? ((Time) v).toLocalTime() : null;
      case LOCAL_DATE_TIME:
        return v instanceof Timestamp ? ((Timestamp) v).toLocalDateTime() : null;
      case INSTANT:
        if (v instanceof Timestamp) {
          return ((Timestamp) v).toInstant();
        }
        return v instanceof OffsetDateTime ? ((OffsetDateTime) v).toInstant() : null;
      case OFFSET_DATE_TIME:
        return null;
      case UUID:
        if (v instanceof String) {
          try {
            return UUID.fromString((String) v);
          } catch (IllegalArgumentException e) {
            return null;
          }
        }
        return null;
      case ENUM:
        if (v instanceof String) {
          for (Object constant : target.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(v)) {
              return constant;
            }
          }
        }
        return null;
      default:
        return null;
    }
  }

  private static @Nullable Long integral(Object v, long min, long max) {
    long l;
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      l = ((Number) v).longValue();
    } else if (v instanceof BigInteger && ((BigInteger) v).bitLength() < 64) {
      l = ((BigInteger) v).longValue();
    } else if (v instanceof BigDecimal) {
      try {
        l = ((BigDecimal) v).longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    } else {
      return null;
    }
    return l >= min && l <= max ? l : null;
  }

  /** A timestamp bound with a calendar: its wall-clock time in the calendar's zone. */
  static LocalDateTime localDateTime(Timestamp ts, Calendar calendar) {
    return ts.toInstant().atZone(calendar.getTimeZone().toZoneId()).toLocalDateTime();
  }

  static byte[] readAll(InputStream in, long limit) throws SQLException {
    try (InputStream s = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      long total = 0;
      int n;
      while ((n = s.read(buf, 0, (int) Math.min(buf.length, limit - total))) > 0) {
        out.write(buf, 0, n);
        total += n;
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new SQLException("RowSeal could not read a stream bound to an encrypted column", "22R02", e);
    }
  }

  static String readAll(Reader in, long limit) throws SQLException {
    try (Reader r = in) {
      StringBuilder sb = new StringBuilder();
      char[] buf = new char[4096];
      long total = 0;
      int n;
      while ((n = r.read(buf, 0, (int) Math.min(buf.length, limit - total))) > 0) {
        sb.append(buf, 0, n);
        total += n;
      }
      return sb.toString();
    } catch (IOException e) {
      throw new SQLException("RowSeal could not read a stream bound to an encrypted column", "22R02", e);
    }
  }

  static byte[] readAll(Blob blob) throws SQLException {
    return readAll(blob.getBinaryStream(), Long.MAX_VALUE);
  }

  static String readAll(Clob clob) throws SQLException {
    return readAll(clob.getCharacterStream(), Long.MAX_VALUE);
  }

  // ---------------------------------------------------------------- reading: decrypted value -> getter type

  static SQLDataException cannotRead(EncryptedColumn column, Object value, String as) {
    return new SQLDataException("RowSeal cannot read encrypted column " + Rejections.name(column) + " (a "
        + column.javaType().getSimpleName() + " column) as " + as, "22R02");
  }

  static @Nullable String asString(EncryptedColumn c, @Nullable Object v) throws SQLException {
    if (v == null || v instanceof String) {
      return (String) v;
    }
    if (v instanceof byte[]) {
      throw cannotRead(c, v, "a String");
    }
    if (v instanceof Enum) {
      return ((Enum<?>) v).name();
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).toPlainString();
    }
    return v.toString();
  }

  static long asLong(EncryptedColumn c, @Nullable Object v, long min, long max, String as) throws SQLException {
    if (v == null) {
      return 0;
    }
    Long l = v instanceof Boolean ? (Long) (((Boolean) v) ? 1L : 0L) : integral(v, min, max);
    if (l == null && v instanceof String) {
      try {
        l = Long.parseLong(((String) v).trim());
      } catch (NumberFormatException e) {
        l = null;
      }
      if (l != null && (l < min || l > max)) {
        l = null;
      }
    }
    if (l == null) {
      throw cannotRead(c, v, as);
    }
    return l;
  }

  static double asDouble(EncryptedColumn c, @Nullable Object v) throws SQLException {
    if (v == null) {
      return 0;
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof String) {
      try {
        return Double.parseDouble(((String) v).trim());
      } catch (NumberFormatException e) {
        throw cannotRead(c, v, "a double");
      }
    }
    throw cannotRead(c, v, "a double");
  }

  static @Nullable BigDecimal asBigDecimal(EncryptedColumn c, @Nullable Object v) throws SQLException {
    if (v == null || v instanceof BigDecimal) {
      return (BigDecimal) v;
    }
    if (v instanceof BigInteger) {
      return new BigDecimal((BigInteger) v);
    }
    if (v instanceof Long || v instanceof Integer) {
      return BigDecimal.valueOf(((Number) v).longValue());
    }
    if (v instanceof Double) {
      return BigDecimal.valueOf((Double) v);
    }
    if (v instanceof String) {
      try {
        return new BigDecimal(((String) v).trim());
      } catch (NumberFormatException e) {
        throw cannotRead(c, v, "a BigDecimal");
      }
    }
    throw cannotRead(c, v, "a BigDecimal");
  }

  static boolean asBoolean(EncryptedColumn c, @Nullable Object v) throws SQLException {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (v instanceof Long || v instanceof Integer) {
      return ((Number) v).longValue() != 0;
    }
    if (v instanceof String) {
      String s = ((String) v).trim();
      if (s.equalsIgnoreCase("true") || s.equals("1")) {
        return true;
      }
      if (s.equalsIgnoreCase("false") || s.equals("0")) {
        return false;
      }
    }
    throw cannotRead(c, v, "a boolean");
  }

  static byte @Nullable [] asBytes(EncryptedColumn c, @Nullable Object v) throws SQLException {
    if (v == null || v instanceof byte[]) {
      return (byte[]) v;
    }
    throw cannotRead(c, v, "bytes");
  }

  static @Nullable Date asDate(EncryptedColumn c, @Nullable Object v, @Nullable Calendar cal) throws SQLException {
    if (v == null) {
      return null;
    }
    if (v instanceof LocalDate) {
      return cal == null ? Date.valueOf((LocalDate) v)
          : new Date(((LocalDate) v).atStartOfDay(cal.getTimeZone().toZoneId()).toInstant().toEpochMilli());
    }
    if (v instanceof LocalDateTime) {
      return Date.valueOf(((LocalDateTime) v).toLocalDate());
    }
    Instant instant = instant(v);
    if (instant != null) {
      return new Date(instant.toEpochMilli());
    }
    throw cannotRead(c, v, "a java.sql.Date");
  }

  static @Nullable Time asTime(EncryptedColumn c, @Nullable Object v, @Nullable Calendar cal) throws SQLException {
    if (v == null) {
      return null;
    }
    if (v instanceof LocalTime) {
      return Time.valueOf((LocalTime) v);
    }
    if (v instanceof LocalDateTime) {
      return Time.valueOf(((LocalDateTime) v).toLocalTime());
    }
    throw cannotRead(c, v, "a java.sql.Time");
  }

  static @Nullable Timestamp asTimestamp(EncryptedColumn c, @Nullable Object v, @Nullable Calendar cal)
      throws SQLException {
    if (v == null) {
      return null;
    }
    if (v instanceof LocalDateTime) {
      LocalDateTime ldt = (LocalDateTime) v;
      return cal == null ? Timestamp.valueOf(ldt) : Timestamp.from(ldt.atZone(cal.getTimeZone().toZoneId()).toInstant());
    }
    if (v instanceof LocalDate) {
      return Timestamp.valueOf(((LocalDate) v).atStartOfDay());
    }
    Instant instant = instant(v);
    if (instant != null) {
      return Timestamp.from(instant);
    }
    throw cannotRead(c, v, "a java.sql.Timestamp");
  }

  private static @Nullable Instant instant(Object v) {
    if (v instanceof Instant) {
      return (Instant) v;
    }
    if (v instanceof OffsetDateTime) {
      return ((OffsetDateTime) v).toInstant();
    }
    return null;
  }

  /** {@code getObject(column, type)}: the decrypted value as {@code type} when that is lossless. */
  @SuppressWarnings("unchecked")
  static <T> @Nullable T as(EncryptedColumn c, @Nullable Object v, Class<T> type) throws SQLException {
    if (v == null) {
      return null;
    }
    if (type.isInstance(v)) {
      return (T) v;
    }
    Object out;
    if (type == String.class) {
      out = asString(c, v);
    } else if (type == Long.class || type == long.class) {
      out = asLong(c, v, Long.MIN_VALUE, Long.MAX_VALUE, "a Long");
    } else if (type == Integer.class || type == int.class) {
      out = (int) asLong(c, v, Integer.MIN_VALUE, Integer.MAX_VALUE, "an Integer");
    } else if (type == Short.class || type == short.class) {
      out = (short) asLong(c, v, Short.MIN_VALUE, Short.MAX_VALUE, "a Short");
    } else if (type == Byte.class || type == byte.class) {
      out = (byte) asLong(c, v, Byte.MIN_VALUE, Byte.MAX_VALUE, "a Byte");
    } else if (type == Double.class || type == double.class) {
      out = asDouble(c, v);
    } else if (type == BigDecimal.class) {
      out = asBigDecimal(c, v);
    } else if (type == BigInteger.class) {
      BigDecimal d = asBigDecimal(c, v);
      try {
        out = d.toBigIntegerExact();
      } catch (ArithmeticException e) {
        throw cannotRead(c, v, "a BigInteger");
      }
    } else if (type == Boolean.class || type == boolean.class) {
      out = asBoolean(c, v);
    } else if (type == Date.class) {
      out = asDate(c, v, null);
    } else if (type == Time.class) {
      out = asTime(c, v, null);
    } else if (type == Timestamp.class) {
      out = asTimestamp(c, v, null);
    } else if (type == Instant.class && v instanceof OffsetDateTime) {
      out = ((OffsetDateTime) v).toInstant();
    } else if (type == OffsetDateTime.class && v instanceof Instant) {
      out = ((Instant) v).atOffset(ZoneOffset.UTC);
    } else if (type == LocalDateTime.class && v instanceof Instant) {
      out = LocalDateTime.ofInstant((Instant) v, ZoneId.systemDefault());
    } else if (type == UUID.class && v instanceof String) {
      out = UUID.fromString((String) v);
    } else if (type == byte[].class) {
      out = asBytes(c, v);
    } else if (type.isEnum() && v instanceof String) {
      out = toColumnTypeEnum(type, (String) v);
      if (out == null) {
        throw cannotRead(c, v, type.getName());
      }
    } else {
      throw cannotRead(c, v, type.getName());
    }
    return (T) out;
  }

  private static @Nullable Object toColumnTypeEnum(Class<?> type, String name) {
    for (Object constant : type.getEnumConstants()) {
      if (((Enum<?>) constant).name().equals(name)) {
        return constant;
      }
    }
    return null;
  }

  /** The JDBC type an encrypted column reports in result-set metadata: its plaintext type. */
  static int jdbcType(EncryptedColumn c) {
    switch (c.valueType()) {
      case STRING:
      case ENUM:
        return Types.VARCHAR;
      case BYTES:
        return Types.VARBINARY;
      case BOOLEAN:
        return Types.BOOLEAN;
      case INT:
        return Types.INTEGER;
      case LONG:
        return Types.BIGINT;
      case DOUBLE:
        return Types.DOUBLE;
      case DECIMAL:
      case BIG_INTEGER:
        return Types.NUMERIC;
      case LOCAL_DATE:
        return Types.DATE;
      case LOCAL_TIME:
        return Types.TIME;
      case LOCAL_DATE_TIME:
        return Types.TIMESTAMP;
      case INSTANT:
      case OFFSET_DATE_TIME:
        return Types.TIMESTAMP_WITH_TIMEZONE;
      default:
        return Types.OTHER;
    }
  }
}
