package io.rowseal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Word-at-a-time zeroing, copying and comparing against the JDK's byte-by-byte answers, every length and offset. */
class ByteWordsTest {
  private final SplittableRandom random = new SplittableRandom(15);

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (random.nextInt(255) + 1); // never 0, so a zeroed byte shows
    }
    return b;
  }

  @Test
  void zero_clearsExactlyTheRange() {
    for (int from = 0; from < 12; from++) {
      for (int to = from; to < from + 70; to++) {
        byte[] b = randomBytes(to + 9);
        byte[] expected = b.clone();
        Arrays.fill(expected, from, to, (byte) 0);
        ByteWords.zero(b, from, to);
        assertThat(b).as("zero [%d, %d)", from, to).isEqualTo(expected);
      }
    }
  }

  @Test
  void copy_movesExactlyTheRun() {
    for (int len = 0; len < 70; len++) {
      for (int srcOff = 0; srcOff < 9; srcOff++) {
        for (int dstOff = 0; dstOff < 9; dstOff += 4) {
          byte[] src = randomBytes(srcOff + len + 3);
          byte[] dst = randomBytes(dstOff + len + 5);
          byte[] expected = dst.clone();
          System.arraycopy(src, srcOff, expected, dstOff, len);
          ByteWords.copy(src, srcOff, dst, dstOff, len);
          assertThat(dst).as("copy of %d from %d to %d", len, srcOff, dstOff).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void equalsRange_agreesWithArraysEquals_onEveryDifferingByte() {
    for (int len = 0; len < 70; len++) {
      for (int off = 0; off < 9; off++) {
        byte[] a = randomBytes(len);
        byte[] b = randomBytes(off + len + 4);
        System.arraycopy(a, 0, b, off, len);
        assertThat(ByteWords.equalsRange(a, b, off, len)).isTrue();
        for (int i = 0; i < len; i++) { // a difference anywhere, in a word or in the tail
          b[off + i] ^= 0x40;
          assertThat(ByteWords.equalsRange(a, b, off, len)).as("len %d, byte %d differs", len, i).isFalse();
          b[off + i] ^= 0x40;
        }
        if (len > 0) {
          assertThat(ByteWords.equalsRange(a, b, off, len - 1)).as("shorter run").isFalse();
        }
      }
    }
  }
}
