package io.rowseal.format;

import io.rowseal.internal.ContextEncoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.internal.Hex;
import org.junit.jupiter.api.Test;

/** {@code ctx(p1, ..., pk)}: length-prefixed UTF-8 parts, injective, composable; and the AADs built from it. */
class ContextEncodingTest {

  @Test
  void encode_splitsOfSameCharacters_differ() {
    assertThat(ContextEncoding.encode("ab", "c")).isNotEqualTo(ContextEncoding.encode("a", "bc"));
  }

  @Test
  void encode_twoParts_matchesFormatDocument() {
    assertThat(Hex.encode(ContextEncoding.encode("ab", "c"))).isEqualTo("00000002" + "6162" + "00000001" + "63");
    assertThat(Hex.encode(ContextEncoding.encode("a", "bc"))).isEqualTo("00000001" + "61" + "00000002" + "6263");
  }

  @Test
  void encode_emptyPart_isFourZeroBytes() {
    assertThat(Hex.encode(ContextEncoding.encode(""))).isEqualTo("00000000");
  }

  @Test
  void encode_noParts_isEmpty() {
    assertThat(ContextEncoding.encode()).isEmpty();
  }

  @Test
  void encode_emptyPartsInDifferentPositions_differ() {
    assertThat(Hex.encode(ContextEncoding.encode("", "a"))).isEqualTo("00000000" + "00000001" + "61");
    assertThat(Hex.encode(ContextEncoding.encode("a", ""))).isEqualTo("00000001" + "61" + "00000000");
    assertThat(ContextEncoding.encode("", "", "")).hasSize(12).containsOnly(0);
    assertThat(ContextEncoding.encode("", "")).isNotEqualTo(ContextEncoding.encode(""));
  }

  @Test
  void encode_nonAsciiPart_prefixesUtf8ByteLengthNotCharCount() {
    // "é" is one char, two UTF-8 bytes; the emoji is two chars, four bytes.
    assertThat(Hex.encode(ContextEncoding.encode("é"))).isEqualTo("00000002" + "c3a9");
    assertThat(Hex.encode(ContextEncoding.encode("\uD83D\uDD12"))).isEqualTo("00000004" + "f09f9492");
  }

  @Test
  void encode_partOf256Bytes_usesFullFourByteLength() {
    byte[] out = ContextEncoding.encode("x".repeat(256));

    assertThat(Hex.encode(out).substring(0, 8)).isEqualTo("00000100");
    assertThat(out).hasSize(4 + 256);
  }

  @Test
  void encode_unpairedSurrogate_throwsIllegalArgument() {
    assertThatThrownBy(() -> ContextEncoding.encode("ok", "a\uD800b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrogate");
  }

  @Test
  void concat_ofEncodings_equalsEncodingOfAllParts() {
    assertThat(ContextEncoding.concat(ContextEncoding.encode("a", "b"), ContextEncoding.encode("c")))
        .isEqualTo(ContextEncoding.encode("a", "b", "c"));
  }

  @Test
  void valueAad_tableColumnSplitsOfSameCharacters_differ() {
    byte[] row = ValueFormat.aadRowPart("42");

    assertThat(ContextEncoding.concat(ValueFormat.aadPrefix("ab", "c"), row))
        .isNotEqualTo(ContextEncoding.concat(ValueFormat.aadPrefix("a", "bc"), row));
  }

  @Test
  void valueAad_columnRowSplitsOfSameCharacters_differ() {
    assertThat(ContextEncoding.concat(ValueFormat.aadPrefix("t", "ab"), ValueFormat.aadRowPart("c")))
        .isNotEqualTo(ContextEncoding.concat(ValueFormat.aadPrefix("t", "a"), ValueFormat.aadRowPart("bc")));
  }

  @Test
  void valueAad_boundAndUnboundRow_differ() {
    byte[] prefix = ValueFormat.aadPrefix("cards", "card_number");

    assertThat(ContextEncoding.concat(prefix, ValueFormat.aadRowPart("")))
        .isNotEqualTo(ContextEncoding.concat(prefix, ValueFormat.aadRowPart("0")));
  }

  @Test
  void valueAad_workedExample_matchesFormatDocument() {
    byte[] aad = ContextEncoding.concat(ValueFormat.aadPrefix("cards", "card_number"), ValueFormat.aadRowPart("42"));

    assertThat(Hex.encode(aad)).isEqualTo("0000000f726f777365616c2f76616c75652f31" + "000000056361726473"
        + "0000000b636172645f6e756d626572" + "000000023432");
  }
}
