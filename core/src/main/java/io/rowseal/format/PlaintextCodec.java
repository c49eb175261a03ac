package io.rowseal.format;

import io.rowseal.errors.InvalidFormatException;
import io.rowseal.errors.TypeMismatchException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Encodes Java values to the encoded plaintext (a type tag byte, then the body; see {@link ValueType})
 * and decodes them back. Decoding under a type other than the stored tag's is a
 * {@link TypeMismatchException}, never a reinterpretation. Stateless and thread-safe.
 */
public final class PlaintextCodec {
  private PlaintextCodec() {}

  /**
   * Encodes a non-null value of a supported type.
   *
   * @throws IllegalArgumentException if the type is not supported or a string holds an unpaired surrogate
   */
  public static byte[] encode(Object value) {
    ValueType type = ValueType.forJavaType(value.getClass());
    if (type == null) {
      throw new IllegalArgumentException("RowSeal cannot encrypt values of type " + value.getClass().getName()
          + "; supported: " + supportedTypes());
    }
    byte[] body = type.encodeBody(value);
    byte[] out = new byte[1 + body.length];
    out[0] = (byte) type.tag();
    System.arraycopy(body, 0, out, 1, body.length);
    if (type != ValueType.BYTES) {
      Arrays.fill(body, (byte) 0);
    }
    return out;
  }

  /**
   * Encodes a non-null value of a supported type into {@code dst} from offset 0, for a caller that
   * reuses one buffer: returns the encoded length, or minus the length needed (writing nothing) when
   * {@code dst} is too short. The caller zeroes what was written.
   *
   * @throws IllegalArgumentException if the type is not supported or a string holds an unpaired surrogate
   */
  public static int encodeInto(Object value, byte[] dst) {
    ValueType type = ValueType.forJavaType(value.getClass());
    if (type == null) {
      throw new IllegalArgumentException("RowSeal cannot encrypt values of type " + value.getClass().getName()
          + "; supported: " + supportedTypes());
    }
    return type.encodeInto(value, dst);
  }

  /**
   * As {@link #encodeInto(Object, byte[])} for a value the caller knows to be of {@code type}'s own Java class
   * (not a subclass): a column's type, without the per-value lookup by class.
   */
  public static int encodeInto(ValueType type, Object value, byte[] dst) {
    return encodeInto(type, value, dst, null);
  }

  /**
   * As {@link #encodeInto(ValueType, Object, byte[])}, with {@code chars} (if not null) as the caller's reused
   * scratch space for a string's characters; it is zeroed again before this returns.
   */
  public static int encodeInto(ValueType type, Object value, byte[] dst, char @Nullable [] chars) {
    if (value.getClass() != type.javaType()) {
      return encodeInto(value, dst);
    }
    return type.encodeInto(value, dst, chars);
  }

  /** The type of an encoded plaintext, from its tag. */
  public static ValueType typeOf(byte[] encoded) {
    if (encoded.length == 0) {
      throw new InvalidFormatException("encoded plaintext is empty: it lacks its type tag");
    }
    ValueType type = ValueType.forTag(encoded[0] & 0xff);
    if (type == null) {
      throw new InvalidFormatException(String.format("encoded plaintext has unknown type tag 0x%02x", encoded[0] & 0xff));
    }
    return type;
  }

  /** Decodes to the tag's natural Java type (an enum constant's name as a {@code String}). */
  public static Object decode(byte[] encoded) {
    return typeOf(encoded).decodeBody(encoded, 1, encoded.length - 1);
  }

  /**
   * Decodes to {@code type}, which must be the tag's Java type (primitive or boxed), {@code Object}, or
   * for the enum tag the enum class.
   *
   * @throws TypeMismatchException if the stored tag is of another type
   */
  public static <T> T decode(byte[] encoded, Class<T> type) {
    return decode(encoded, 0, encoded.length, type);
  }

  /** As {@link #decode(byte[], Class)}, for the encoded plaintext in {@code encoded[off, off+len)}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <T> T decode(byte[] encoded, int off, int len, Class<T> type) {
    if (len == 0) {
      throw new InvalidFormatException("encoded plaintext is empty: it lacks its type tag");
    }
    ValueType stored = ValueType.forTag(encoded[off] & 0xff);
    if (stored == null) {
      throw new InvalidFormatException(String.format("encoded plaintext has unknown type tag 0x%02x", encoded[off] & 0xff));
    }
    Object value = stored.decodeBody(encoded, off + 1, len - 1);
    if (type == stored.javaType()) { // the usual case (a String column read as String): no boxing lookup
      return (T) value;
    }
    Class<?> wanted = ValueType.box(type);
    if (wanted == Object.class) {
      return (T) value;
    }
    if (stored == ValueType.ENUM && wanted.isEnum()) {
      try {
        return (T) Enum.valueOf((Class) wanted, (String) value);
      } catch (IllegalArgumentException e) {
        throw new TypeMismatchException("stored enum name is not a constant of " + wanted.getName());
      }
    }
    if (stored.javaType() != wanted) {
      throw new TypeMismatchException("stored as " + describe(stored) + ", requested as " + type.getName());
    }
    return (T) value;
  }

  private static String describe(ValueType t) {
    return t.name().toLowerCase(java.util.Locale.ROOT) + " (tag 0x" + String.format("%02x", t.tag()) + ")";
  }

  private static String supportedTypes() {
    return Arrays.stream(ValueType.values()).map(t -> t.javaType().getSimpleName()).collect(Collectors.joining(", "));
  }
}
