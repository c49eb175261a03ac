package io.rowseal.format;

import io.rowseal.errors.InvalidFormatException;
import io.rowseal.internal.Utf8;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * The type tags of the encoded plaintext, version 1: one tag and one body layout per supported Java
 * type. All integers are big-endian. Decoding checks the body's length and range and rejects anything
 * that no encoder would have produced, so every value has exactly one encoding.
 */
public enum ValueType {
  /** {@code 0x01}: UTF-8 bytes; a string with an unpaired surrogate is rejected. */
  STRING(0x01, String.class) {
    @Override byte[] encodeBody(Object v) {
      return Utf8.encode((String) v);
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      return utf8(b, off, len);
    }
  },
  /** {@code 0x02}: the raw bytes. */
  BYTES(0x02, byte[].class) {
    @Override byte[] encodeBody(Object v) {
      return ((byte[]) v).clone();
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      byte[] out = new byte[len];
      System.arraycopy(b, off, out, 0, len);
      return out;
    }
  },
  /** {@code 0x03}: one byte, {@code 0x00} false or {@code 0x01} true. */
  BOOLEAN(0x03, Boolean.class) {
    @Override byte[] encodeBody(Object v) {
      return new byte[] {(byte) (((Boolean) v) ? 1 : 0)};
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      requireLength(len, 1);
      if (b[off] != 0 && b[off] != 1) {
        throw new InvalidFormatException("encoded boolean is neither 0x00 nor 0x01");
      }
      return b[off] == 1;
    }
  },
  /** {@code 0x04}: 4 bytes, two's complement. */
  INT(0x04, Integer.class) {
    @Override byte[] encodeBody(Object v) {
      return ByteBuffer.allocate(4).putInt((Integer) v).array();
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      requireLength(len, 4);
      return ByteBuffer.wrap(b, off, len).getInt();
    }
  },
  /** {@code 0x05}: 8 bytes, two's complement. */
  LONG(0x05, Long.class) {
    @Override byte[] encodeBody(Object v) {
      return ByteBuffer.allocate(8).putLong((Long) v).array();
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      requireLength(len, 8);
      return ByteBuffer.wrap(b, off, len).getLong();
    }
  },
  /** {@code 0x06}: the 8 bytes of the IEEE 754 binary64 value, bits kept exactly (-0.0 and NaN payloads). */
  DOUBLE(0x06, Double.class) {
    @Override byte[] encodeBody(Object v) {
      return ByteBuffer.allocate(8).putLong(Double.doubleToRawLongBits((Double) v)).array();
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      requireLength(len, 8);
      return Double.longBitsToDouble(ByteBuffer.wrap(b, off, len).getLong());
    }
  },
  /** {@code 0x07}: the scale as 4 bytes two's complement, then the unscaled value as for {@link #BIG_INTEGER}. */
  DECIMAL(0x07, BigDecimal.class) {
    @Override byte[] encodeBody(Object v) {
      BigDecimal d = (BigDecimal) v;
      byte[] unscaled = d.unscaledValue().toByteArray();
      return ByteBuffer.allocate(4 + unscaled.length).putInt(d.scale()).put(unscaled).array();
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      if (len < 5) {
        throw new InvalidFormatException("encoded decimal has " + len + " bytes, at least 5 are needed");
      }
      int scale = ByteBuffer.wrap(b, off, 4).getInt();
      return new BigDecimal(minimalBigInteger(b, off + 4, len - 4), scale);
    }
  },
  /** {@code 0x08}: minimal big-endian two's complement ({@link BigInteger#toByteArray()}), at least 1 byte. */
  BIG_INTEGER(0x08, BigInteger.class) {
    @Override byte[] encodeBody(Object v) {
      return ((BigInteger) v).toByteArray();
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      return minimalBigInteger(b, off, len);
    }
  },
  /** {@code 0x09}: the epoch day (days since 1970-01-01) as 8 bytes two's complement. */
  LOCAL_DATE(0x09, LocalDate.class) {
    @Override byte[] encodeBody(Object v) {
      return ByteBuffer.allocate(8).putLong(((LocalDate) v).toEpochDay()).array();
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      requireLength(len, 8);
      try {
        return LocalDate.ofEpochDay(ByteBuffer.wrap(b, off, len).getLong());
      } catch (DateTimeException e) {
        throw new InvalidFormatException("encoded date is out of range", e);
      }
    }
  },
  /** {@code 0x0A}: the nanosecond of the day, 0 to 86,399,999,999,999, as 8 bytes. */
  LOCAL_TIME(0x0A, LocalTime.class) {
    @Override byte[] encodeBody(Object v) {
      return ByteBuffer.allocate(8).putLong(((LocalTime) v).toNanoOfDay()).array();
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      requireLength(len, 8);
      return nanoOfDay(ByteBuffer.wrap(b, off, len).getLong());
    }
  },
  /** {@code 0x0B}: epoch day (8 bytes) then nanosecond of the day (8 bytes). */
  LOCAL_DATE_TIME(0x0B, LocalDateTime.class) {
    @Override byte[] encodeBody(Object v) {
      LocalDateTime t = (LocalDateTime) v;
      return ByteBuffer.allocate(16).putLong(t.toLocalDate().toEpochDay())
          .putLong(t.toLocalTime().toNanoOfDay()).array();
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      requireLength(len, 16);
      LocalDate date = (LocalDate) LOCAL_DATE.decodeBody(b, off, 8);
      return LocalDateTime.of(date, nanoOfDay(ByteBuffer.wrap(b, off + 8, 8).getLong()));
    }
  },
  /** {@code 0x0C}: seconds since 1970-01-01T00:00:00Z (8 bytes), then nanoseconds 0 to 999,999,999 (4 bytes). */
  INSTANT(0x0C, Instant.class) {
    @Override byte[] encodeBody(Object v) {
      Instant i = (Instant) v;
      return ByteBuffer.allocate(12).putLong(i.getEpochSecond()).putInt(i.getNano()).array();
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      requireLength(len, 12);
      ByteBuffer buf = ByteBuffer.wrap(b, off, len);
      long seconds = buf.getLong();
      int nanos = buf.getInt();
      if (nanos < 0 || nanos > 999_999_999) {
        throw new InvalidFormatException("encoded instant has nanoseconds out of range");
      }
      try {
        return Instant.ofEpochSecond(seconds, nanos);
      } catch (DateTimeException e) {
        throw new InvalidFormatException("encoded instant is out of range", e);
      }
    }
  },
  /**
   * {@code 0x0D}: the local date-time as for {@link #LOCAL_DATE_TIME} (16 bytes), then the offset in
   * seconds, -64,800 to 64,800, as 4 bytes two's complement. The offset is kept, not normalised to UTC.
   */
  OFFSET_DATE_TIME(0x0D, OffsetDateTime.class) {
    @Override byte[] encodeBody(Object v) {
      OffsetDateTime t = (OffsetDateTime) v;
      return ByteBuffer.allocate(20).put(LOCAL_DATE_TIME.encodeBody(t.toLocalDateTime()))
          .putInt(t.getOffset().getTotalSeconds()).array();
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      requireLength(len, 20);
      LocalDateTime local = (LocalDateTime) LOCAL_DATE_TIME.decodeBody(b, off, 16);
      int offset = ByteBuffer.wrap(b, off + 16, 4).getInt();
      try {
        return OffsetDateTime.of(local, ZoneOffset.ofTotalSeconds(offset));
      } catch (DateTimeException e) {
        throw new InvalidFormatException("encoded offset is out of range", e);
      }
    }
  },
  /** {@code 0x0E}: the 16 bytes of the UUID, most significant first. */
  UUID(0x0E, java.util.UUID.class) {
    @Override byte[] encodeBody(Object v) {
      java.util.UUID u = (java.util.UUID) v;
      return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      requireLength(len, 16);
      ByteBuffer buf = ByteBuffer.wrap(b, off, len);
      return new java.util.UUID(buf.getLong(), buf.getLong());
    }
  },
  /**
   * {@code 0x0F}: an enum constant's {@link Enum#name()} in UTF-8. Read back as the requested enum type;
   * read without a type, it is the name as a {@code String}.
   */
  ENUM(0x0F, Enum.class) {
    @Override byte[] encodeBody(Object v) {
      return Utf8.encode(((Enum<?>) v).name());
    }

    @Override Object decodeBody(byte[] b, int off, int len) {
      return utf8(b, off, len);
    }
  };

  private static final ValueType[] BY_TAG = new ValueType[256];

  static {
    for (ValueType t : values()) {
      BY_TAG[t.tag] = t;
    }
  }

  private final int tag;
  private final Class<?> javaType;

  ValueType(int tag, Class<?> javaType) {
    this.tag = tag;
    this.javaType = javaType;
  }

  /** The tag byte, 0x01 to 0x0F. */
  public int tag() {
    return tag;
  }

  /** The Java type written under this tag ({@code Enum.class} for every enum type). */
  public Class<?> javaType() {
    return javaType;
  }

  /** The type whose tag is {@code tag}, or {@code null} if version 1 defines none. */
  public static @org.jspecify.annotations.Nullable ValueType forTag(int tag) {
    return tag >= 0 && tag < 256 ? BY_TAG[tag] : null;
  }

  /**
   * The type that encodes values of {@code type} (primitive or boxed), or {@code null} if none does.
   */
  public static @org.jspecify.annotations.Nullable ValueType forJavaType(Class<?> type) {
    return BY_CLASS.get(type).orElse(null);
  }

  // Looked up for every value sealed: a ClassValue answers without the loop and the values() copy.
  private static final ClassValue<java.util.Optional<ValueType>> BY_CLASS = new ClassValue<>() {
    @Override protected java.util.Optional<ValueType> computeValue(Class<?> type) {
      return java.util.Optional.ofNullable(find(type));
    }
  };

  private static @org.jspecify.annotations.Nullable ValueType find(Class<?> type) {
    Class<?> boxed = box(type);
    if (boxed.isEnum() || (boxed.getSuperclass() != null && boxed.getSuperclass().isEnum())) {
      return ENUM;
    }
    for (ValueType t : values()) {
      if (t.javaType == boxed) {
        return t;
      }
    }
    return null;
  }

  /**
   * Writes the tag and body of {@code value} (of this type) to {@code dst} from offset 0 and returns the
   * length, or returns minus the length needed, writing nothing, if {@code dst} is too short. Strings and
   * enum names that are ASCII and byte arrays are written directly; other bodies go through a temporary
   * array that is zeroed after.
   */
  int encodeInto(Object value, byte[] dst) {
    return encodeInto(value, dst, null);
  }

  /**
   * As {@link #encodeInto(Object, byte[])}, with {@code chars} (if not null) as scratch space for a string's
   * characters: copied out in bulk and narrowed in a plain array loop, which is several times faster on JDK 25
   * than a {@code charAt} loop. What this writes into {@code chars} is zeroed before it returns.
   */
  int encodeInto(Object value, byte[] dst, char @Nullable [] chars) {
    if (this == STRING || this == ENUM) {
      String s = this == STRING ? (String) value : ((Enum<?>) value).name();
      int n = s.length();
      if (1 + n <= dst.length) {
        if (chars != null && n <= chars.length ? isAsciiCopied(s, n, chars, dst) : isAsciiCopied(s, n, dst)) {
          dst[0] = (byte) tag;
          return 1 + n;
        }
        java.util.Arrays.fill(dst, 1, 1 + n, (byte) 0); // not ASCII: what was copied is zeroed, then UTF-8 below
      }
    } else if (this == BYTES) {    } else if (this == BYTES) {
      byte[] b = (byte[]) value;
      if (1 + b.length > dst.length) {
        return -(1 + b.length);
      }
      dst[0] = (byte) tag;
      System.arraycopy(b, 0, dst, 1, b.length);
      return 1 + b.length;
    }
    byte[] body = encodeBody(value);
    try {
      if (1 + body.length > dst.length) {
        return -(1 + body.length);
      }
      dst[0] = (byte) tag;
      System.arraycopy(body, 0, dst, 1, body.length);
      return 1 + body.length;
    } finally {
      java.util.Arrays.fill(body, (byte) 0);
    }
  }

  /** Copies {@code s} (of length n) into {@code dst[1..n]} through {@code chars}; whether every char was ASCII. */
  private static boolean isAsciiCopied(String s, int n, char[] chars, byte[] dst) {
    s.getChars(0, n, chars, 0);
    int or = 0;
    for (int i = 0; i < n; i++) {
      char c = chars[i];
      or |= c;
      dst[1 + i] = (byte) c;
    }
    java.util.Arrays.fill(chars, 0, n, (char) 0);
    return or < 0x80;
  }

  /** As {@link #isAsciiCopied(String, int, char[], byte[])}, char by char, stopping at the first non-ASCII one. */
  private static boolean isAsciiCopied(String s, int n, byte[] dst) {
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        return false;
      }
      dst[1 + i] = (byte) c;
    }
    return true;
  }

  abstract byte[] encodeBody(Object value);

  abstract Object decodeBody(byte[] bytes, int off, int len);

  static Class<?> box(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    if (type == int.class) {
      return Integer.class;
    } else if (type == long.class) {
      return Long.class;
    } else if (type == boolean.class) {
      return Boolean.class;
    } else if (type == double.class) {
      return Double.class;
    }
    return type;
  }

  private static void requireLength(int len, int expected) {
    if (len != expected) {
      throw new InvalidFormatException("encoded body has " + len + " bytes, expected " + expected);
    }
  }

  private static String utf8(byte[] b, int off, int len) {
    try {
      return Utf8.decode(b, off, len);
    } catch (IllegalArgumentException e) {
      throw new InvalidFormatException("encoded text is not well-formed UTF-8", e);
    }
  }

  private static LocalTime nanoOfDay(long nanos) {
    try {
      return LocalTime.ofNanoOfDay(nanos);
    } catch (DateTimeException e) {
      throw new InvalidFormatException("encoded time of day is out of range", e);
    }
  }

  private static BigInteger minimalBigInteger(byte[] b, int off, int len) {
    if (len < 1) {
      throw new InvalidFormatException("encoded integer has no bytes");
    }
    if (len > 1 && ((b[off] == 0 && b[off + 1] >= 0) || (b[off] == -1 && b[off + 1] < 0))) {
      throw new InvalidFormatException("encoded integer is not in minimal two's complement form");
    }
    return new BigInteger(b, off, len);
  }
}
