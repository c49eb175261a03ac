package io.rowseal.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Utf8.decode against the JDK's strict decoder: the same string, or an error where the strict decoder refuses. */
class Utf8Test {

  private static String strict(byte[] b, int off, int len) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
  }

  @Test
  void decode_randomInput_agreesWithTheStrictDecoder() {
    SplittableRandom random = new SplittableRandom(2026);
    int malformed = 0;
    for (int i = 0; i < 200_000; i++) {
      int len = random.nextInt(0, i % 10 == 0 ? 200 : 70); // both sides of the short-value fast path
      byte[] b = new byte[len + 6];
      int off = random.nextInt(0, 4);
      int mode = random.nextInt(4);
      for (int k = 0; k < b.length; k++) {
        // mostly ASCII; sometimes a single high byte (malformed), sometimes real multi-byte characters
        b[k] = (byte) (mode == 0 ? random.nextInt(0, 256) : random.nextInt(0x20, 0x7f));
      }
      if (mode == 1 && len > 0) {
        b[off + random.nextInt(len)] = (byte) random.nextInt(0x80, 0x100);
      } else if (mode == 2 && len >= 3) {
        byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(euro, 0, b, off + random.nextInt(len - 2), 3);
      }
      String expected;
      try {
        expected = strict(b, off, len);
      } catch (CharacterCodingException e) {
        malformed++;
        int o = off;
        assertThatThrownBy(() -> Utf8.decode(b, o, len)).isInstanceOf(IllegalArgumentException.class);
        continue;
      }
      assertThat(Utf8.decode(b, off, len)).isEqualTo(expected);
    }
    assertThat(malformed).as("the corpus holds malformed input").isGreaterThan(10_000);
  }

  @Test
  void decode_asciiWithAStoredReplacementCharacter_keepsIt() {
    byte[] b = "ab\ufffdc".getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.decode(b, 0, b.length)).isEqualTo("ab\ufffdc");
  }

  @Test
  void decode_highBytesInAShortValue_areNotTakenAsLatin1() {
    byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9}; // "café" in Latin-1: not UTF-8
    assertThatThrownBy(() -> Utf8.decode(latin1, 0, 4)).isInstanceOf(IllegalArgumentException.class);
    byte[] utf8 = "caf\u00e9".getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.decode(utf8, 0, utf8.length)).isEqualTo("caf\u00e9");
  }
}
