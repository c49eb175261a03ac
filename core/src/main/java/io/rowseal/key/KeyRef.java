package io.rowseal.key;

import io.rowseal.internal.Utf8;
import java.util.regex.Pattern;

/**
 * The name of the key that wrapped a data key, as stored in the companion column: {@code scheme:name},
 * for example {@code local:k1}, {@code aws-kms:arn:aws:kms:...}, {@code kek:<uuid>}. Short (1 to 255
 * UTF-8 bytes), stable, and never secret. Immutable; equal when the strings are equal.
 */
public final class KeyRef {
  private static final Pattern SYNTAX = Pattern.compile("[a-z][a-z0-9-]*:[\\x21-\\x7e\\u00a0-\\uffff]+");
  public static final int MAX_BYTES = 255;

  private final String value;
  private final byte[] utf8;

  private KeyRef(String value, byte[] utf8) {
    this.value = value;
    this.utf8 = utf8;
  }

  /**
   * Parses a reference.
   *
   * @throws IllegalArgumentException if it is not {@code scheme:name} (scheme in lower-case letters,
   *     digits and '-'; name without spaces or control characters) or longer than 255 UTF-8 bytes
   */
  public static KeyRef of(String value) {
    if (!SYNTAX.matcher(value).matches()) {
      throw new IllegalArgumentException("key reference '" + printable(value)
          + "' is not scheme:name (for example local:k1), without spaces or control characters");
    }
    byte[] utf8 = Utf8.encode(value);
    if (utf8.length > MAX_BYTES) {
      throw new IllegalArgumentException("key reference is " + utf8.length + " UTF-8 bytes; at most 255 are allowed");
    }
    return new KeyRef(value, utf8);
  }

  /** The part before the first ':' (for example {@code local}). */
  public String scheme() {
    return value.substring(0, value.indexOf(':'));
  }

  /** The reference's UTF-8 bytes (a copy). */
  public byte[] toBytes() {
    return utf8.clone();
  }

  int byteLength() {
    return utf8.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyRef && ((KeyRef) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** The reference itself, for example {@code local:k1}. */
  @Override
  public String toString() {
    return value;
  }

  /** Renders untrusted text for an error message: control characters escaped, at most 80 characters. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 80; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return s.length() > 80 ? sb + "..." : sb.toString();
  }
}
