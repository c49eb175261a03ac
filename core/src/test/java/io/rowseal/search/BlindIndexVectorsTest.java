package io.rowseal.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowseal.EncryptedColumn;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.internal.Hex;
import io.rowseal.key.DataKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The blind-index vectors in docs/vectors/search: each recomputes to its index value; mismatches are collected. */
class BlindIndexVectorsTest {
  private static Path file() {
    return Path.of(System.getProperty("rowseal.vectors.dir"), "search", "rowseal-index-v1.json");
  }

  @Test
  void committedFile_matchesGenerator() throws IOException {
    assertThat(Files.readString(file())).isEqualTo(IndexVectorGenerator.render());
  }

  @Test
  void vectors_recomputeToTheirIndexValues() throws IOException {
    JsonNode doc = new ObjectMapper().readTree(file().toFile());
    assertThat(doc.get("format").asText()).isEqualTo("rowseal-index-vectors/1");
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (JsonNode v : doc.get("indexes")) {
      n++;
      String type = v.get("type").asText();
      Object plaintext = type.equals("string") ? v.get("plaintext").asText() : Long.parseLong(v.get("plaintext").asText());
      int bits = v.get("bits").asInt();
      EncryptedColumn c = IndexVectorGenerator.column(v.get("table").asText(), v.get("column").asText(),
          plaintext.getClass(), Normalization.parse("normalize", v.get("normalize").asText()), bits);
      byte[] encoded = BlindIndex.normalisedEncoding(c, plaintext);
      if (!Hex.encode(encoded).equals(v.get("encoded").asText())) {
        failures.add(v.get("name").asText() + ": encoded");
      }
      byte[] index = BlindIndex.compute(DataKey.copyOf(Hex.decode(v.get("key").asText())), v.get("version").asInt(),
          v.get("table").asText(), v.get("column").asText(), bits, Hex.decode(v.get("encoded").asText()));
      if (!Hex.encode(index).equals(v.get("index").asText())) {
        failures.add(v.get("name").asText() + ": index");
      }
      if (index.length != BlindIndex.HEADER + (bits + 7) / 8 || BlindIndex.version(index) != v.get("version").asInt()) {
        failures.add(v.get("name").asText() + ": length or version");
      }
    }
    assertThat(n).isGreaterThanOrEqualTo(10);
    assertThat(failures).isEmpty();
  }

  @Test
  void compute_truncatedTo12Bits_zeroesTheUnusedLowBits() {
    DataKey key = DataKey.generate();
    for (int i = 0; i < 64; i++) {
      byte[] index = BlindIndex.compute(key, 1, "t", "c", 12, new byte[] {1, (byte) i});
      assertThat(index).hasSize(7);
      assertThat(index[6] & 0x0f).isZero();
    }
  }

  @Test
  void compute_otherColumnOrTableOrVersion_differs() {
    DataKey key = DataKey.generate();
    byte[] e = {1, 'a'};
    byte[] base = BlindIndex.compute(key, 1, "t", "c", 256, e);
    assertThat(BlindIndex.compute(key, 1, "t", "d", 256, e)).isNotEqualTo(base);
    assertThat(BlindIndex.compute(key, 1, "u", "c", 256, e)).isNotEqualTo(base);
    // the context is length-prefixed: ("tc", "") and ("t", "c") differ
    assertThat(BlindIndex.compute(key, 1, "tc", "", 256, e)).isNotEqualTo(BlindIndex.compute(key, 1, "t", "c", 256, e));
    byte[] v2 = BlindIndex.compute(key, 2, "t", "c", 256, e);
    assertThat(java.util.Arrays.copyOfRange(v2, 5, 37)).isEqualTo(java.util.Arrays.copyOfRange(base, 5, 37));
    assertThat(BlindIndex.version(v2)).isEqualTo(2);
  }

  @Test
  void bounds_bracketEveryValueOfTheVersion_unsigned() {
    DataKey key = DataKey.generate();
    byte[] v = BlindIndex.compute(key, 255, "t", "c", 256, new byte[] {1});
    assertThat(java.util.Arrays.compareUnsigned(BlindIndex.lowerBound(255), v)).isNegative();
    assertThat(java.util.Arrays.compareUnsigned(v, BlindIndex.upperBound(255))).isNegative();
    assertThat(BlindIndex.upperBound(255)).containsExactly(1, 0, 0, 1, 0);
  }

  @Test
  void version_ofMalformedValue_isInvalidFormat() {
    assertThatThrownBy(() -> BlindIndex.version(new byte[] {2, 0, 0, 0, 1, 9})).isInstanceOf(InvalidFormatException.class);
    assertThatThrownBy(() -> BlindIndex.version(new byte[] {1, 0, 0, 0, 1})).isInstanceOf(InvalidFormatException.class);
  }
}
