package io.rowseal.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8. {@link String#getBytes} silently turns an unpaired surrogate into {@code '?'} and
 * {@code new String(bytes, UTF_8)} turns malformed input into U+FFFD; both would corrupt data without a
 * word, so RowSeal encodes and decodes through these methods instead.
 */
public final class Utf8 {
  /**
   * Up to this length a plain loop proves a value ASCII faster than the JDK's vectorised check sets up; card
   * numbers, names and e-mails (every value of a scan, decoded one by one) are this short.
   */
  private static final int SHORT = 64;

  private Utf8() {}

  /**
   * An ASCII string: its bytes are its Latin-1 characters, copied as they are (the one constructor that takes
   * that as given, without the UTF-8 decoder's scan and the U+FFFD check after it).
   */
  @SuppressWarnings("deprecation")
  private static String ascii(byte[] bytes, int off, int len) {
    return new String(bytes, 0, off, len);
  }

  /** Encodes {@code s}; throws {@link IllegalArgumentException} if it holds an unpaired surrogate. */
  public static byte[] encode(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          throw new IllegalArgumentException("string holds an unpaired UTF-16 surrogate at index " + i
              + " and cannot be encoded as UTF-8 without loss");
        }
      }
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes {@code bytes[off, off+len)}; throws {@link IllegalArgumentException} on malformed UTF-8. */
  public static String decode(byte[] bytes, int off, int len) {
    if (len <= SHORT) {
      int or = 0;
      for (int i = off, end = off + len; i < end; i++) {
        or |= bytes[i];
      }
      if (or >= 0) {
        return ascii(bytes, off, len);
      }
    }
    // The JDK's decoder (vectorised for ASCII) replaces malformed input with U+FFFD; where the result holds no
    // U+FFFD, nothing was replaced, so it is the strict decoding. Otherwise decode again strictly, which either
    // fails or keeps a U+FFFD that was really there. indexOf is constant time on a Latin-1 string.
    String lenient = new String(bytes, off, len, StandardCharsets.UTF_8);
    if (lenient.indexOf('\uFFFD') < 0) {
      return lenient;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, off, len))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("bytes are not well-formed UTF-8", e);
    }
  }
}
