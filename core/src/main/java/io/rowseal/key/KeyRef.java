package io.rowseal.key;

import io.rowseal.internal.Utf8;

/**
 * The name of the key that wrapped a data key, as stored in the companion column: {@code scheme:name},
 * for example {@code local:k1}, {@code aws-kms:arn:aws:kms:...}, {@code kek:<uuid>}. Short (1 to 255
 * UTF-8 bytes), stable, and never secret. Immutable; equal when the strings are equal.
 */
public final class KeyRef {
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
    if (!isScopedName(value)) {
      throw new IllegalArgumentException("key reference '" + printable(value)
          + "' is not scheme:name (for example local:k1), without spaces or control characters");
    }
    byte[] utf8 = Utf8.encode(value);
    if (utf8.length > MAX_BYTES) {
      throw new IllegalArgumentException("key reference is " + utf8.length + " UTF-8 bytes; at most 255 are allowed");
    }
    return new KeyRef(value, utf8);
  }

  /**
   * Whether {@code s} is {@code scheme:name}: the scheme a lower-case letter then lower-case letters,
   * digits and '-'; the name at least one character from U+0021..U+007E or U+00A0..U+FFFF, judged by code
   * point as the regular expression this replaces did: a supplementary character is outside the range, an
   * unpaired surrogate inside it (the UTF-8 encoding rejects it after). Written out by hand because a
   * regular expression cost more than the rest of parsing a companion column's header.
   */
  static boolean isScopedName(String s) {
    int colon = s.indexOf(':');
    if (colon < 1 || colon == s.length() - 1) {
      return false;
    }
    char first = s.charAt(0);
    if (first < 'a' || first > 'z') {
      return false;
    }
    for (int i = 1; i < colon; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    for (int i = colon + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x21 && c <= 0x7e) {
        continue;
      }
      if (c < 0xa0) {
        return false;
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        return false;
      }
    }
    return true;
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
