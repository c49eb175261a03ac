package io.rowseal.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.internal.keys.KeyRefTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Key reference syntax: the hand-written check accepts exactly what the regular expression it replaced
 * accepted, and the companion parser's table of parsed references returns the same reference as
 * {@link KeyRef#of} for the same bytes, also when slots collide.
 */
class KeyRefTest {
  private static final Pattern FORMER_SYNTAX = Pattern.compile("[a-z][a-z0-9-]*:[\\x21-\\x7e\\u00a0-\\uffff]+");
  private static final char[] ALPHABET = {'a', 'z', 'k', '0', '9', '-', ':', ':', '_', 'A', ' ', '\t', 0x7f, 0x80,
      0x9f, 0xa0, 0xe9, 0x4e2d, 0xfffe, 0xffff, 0xd83d, 0xde00, '/', '!', '~'};

  @Test
  void isScopedName_randomStrings_agreesWithFormerRegex() {
    SplittableRandom random = new SplittableRandom(13);
    List<String> mismatches = new ArrayList<>();
    for (int n = 0; n < 200_000; n++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(8);
      for (int i = 0; i < len; i++) {
        sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
      }
      String s = sb.toString();
      if (KeyRef.isScopedName(s) != FORMER_SYNTAX.matcher(s).matches()) {
        mismatches.add(KeyRef.printable(s));
      }
    }
    for (String s : List.of("", ":", "a:", ":b", "a:b", "a-1:x", "1a:b", "A:b", "a :b", "a:b c", "local:k1",
        "aws-kms:arn:aws:kms:eu-west-1:111122223333:key/1", "kek:\ud83d\ude00", "kek:\ud83d", "kek:\ude00x")) {
      if (KeyRef.isScopedName(s) != FORMER_SYNTAX.matcher(s).matches()) {
        mismatches.add(KeyRef.printable(s));
      }
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void of_supplementaryCharacterInName_rejected() {
    assertThatThrownBy(() -> KeyRef.of("local:\ud83d\ude00")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyRefTableParse_manyReferences_equalsKeyRefOfEachTime() {
    List<String> mismatches = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 2_000; i++) {
        String s = "kek:" + Integer.toHexString(i * 7919);
        byte[] framed = ("xx" + s + "yy").getBytes(StandardCharsets.UTF_8);
        KeyRef parsed = KeyRefTable.parse(framed, 2, framed.length - 4);
        if (!parsed.equals(KeyRef.of(s)) || !parsed.toString().equals(s)) {
          mismatches.add(s + " -> " + parsed);
        }
      }
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void keyRefTableParse_invalidReference_throwsEveryTime() {
    byte[] bad = "Local:k1".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> KeyRefTable.parse(bad, 0, bad.length)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void keyRefTableParse_malformedUtf8_throws() {
    byte[] bad = {'k', 'e', 'k', ':', (byte) 0xc0, (byte) 0x80};
    assertThatThrownBy(() -> KeyRefTable.parse(bad, 0, bad.length)).isInstanceOf(IllegalArgumentException.class);
  }
}
