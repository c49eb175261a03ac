package io.rowseal.format;

import io.rowseal.key.InsecureNonceWrapping;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.errors.RowSealException;
import io.rowseal.internal.Hex;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.WrapContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs every known-answer vector file in {@code docs/vectors} (the project's own and the one made by the
 * independent implementation in {@code shared/tools/format-check.mjs}): each positive vector must decrypt
 * to its plaintext and, where it gives its nonce, re-encrypt to the same bytes; each invalid one must be
 * rejected with a {@link RowSealException}. Mismatches are collected, then asserted empty.
 */
class VectorsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static List<JsonNode> files;

  @BeforeAll
  static void load() throws IOException {
    Path dir = Path.of(Objects.requireNonNull(System.getProperty("rowseal.vectors.dir"), "rowseal.vectors.dir"));
    try (Stream<Path> s = Files.list(dir)) {
      files = new ArrayList<>();
      for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode doc = MAPPER.readTree(p.toFile());
        assertThat(doc.get("format").asText()).as(p.toString()).isEqualTo("rowseal-vectors/1");
        files.add(doc);
      }
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void committedFile_matchesGenerator() throws IOException {
    Path file = Path.of(System.getProperty("rowseal.vectors.dir"), "rowseal-v1.json");
    assertThat(Files.readString(file)).isEqualTo(VectorFileGenerator.render());
  }

  @Test
  void values_decryptToPlaintext_andReencryptToSameBytes() {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (JsonNode doc : files) {
      for (JsonNode v : doc.path("values")) {
        checked++;
        try {
          checkValue(v);
        } catch (Throwable e) {
          failures.add(v.get("name").asText() + ": " + e);
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(50);
    assertThat(failures).isEmpty();
  }

  @Test
  void wrappedKeys_unwrapThroughEngine_andRewrapToSameBytes() {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (JsonNode doc : files) {
      for (JsonNode w : doc.path("wrappedKeys")) {
        checked++;
        try {
          checkWrapped(w);
        } catch (Throwable e) {
          failures.add(w.get("name").asText() + ": " + e);
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(6);
    assertThat(failures).isEmpty();
  }

  @Test
  void invalidVectors_areRejectedWithRowSealException() {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (JsonNode doc : files) {
      for (JsonNode x : doc.path("invalid")) {
        checked++;
        try {
          if ("wrappedKey".equals(x.get("kind").asText())) {
            openWrapped(x).close();
          } else {
            openValue(x);
          }
          failures.add(x.get("name").asText() + ": accepted");
        } catch (RowSealException expected) {
          // rejected, as it must be
        } catch (Throwable e) {
          failures.add(x.get("name").asText() + ": rejected with " + e + " instead of a RowSealException");
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(30);
    assertThat(failures).isEmpty();
  }

  private static void checkValue(JsonNode v) {
    byte[] binary = Hex.decode(v.get("binary").asText());
    byte[] encoded = openValue(v);
    if (v.has("encoded")) {
      assertThat(Hex.encode(encoded)).isEqualTo(v.get("encoded").asText());
    }
    Object expected = plaintext(v);
    Class<?> type = expected.getClass();
    Object actual = PlaintextCodec.decode(encoded, type);
    if (expected instanceof byte[]) {
      assertThat((byte[]) actual).isEqualTo((byte[]) expected);
    } else if (expected instanceof Double) {
      assertThat(Double.doubleToRawLongBits((Double) actual)).isEqualTo(Double.doubleToRawLongBits((Double) expected));
    } else {
      assertThat(actual).isEqualTo(expected);
    }
    assertThat(PlaintextCodec.encode(expected)).isEqualTo(encoded);
    if (v.has("nonce")) {
      byte[] again = ValueFormat.sealWithNonce(new SecretKeySpec(Hex.decode(v.get("dek").asText()), "AES"),
          ValueFormat.aadPrefix(v.get("table").asText(), v.get("column").asText()),
          ValueFormat.aadRowPart(v.get("rowId").asText()), encoded, Hex.decode(v.get("nonce").asText()));
      assertThat(Hex.encode(again)).isEqualTo(v.get("binary").asText());
    }
    if (v.has("text")) {
      byte[] fromText = ValueFormat.fromText(v.get("text").asText());
      if (Arrays.equals(fromText, binary)) {
        assertThat(ValueFormat.toText(binary)).isEqualTo(v.get("text").asText());
      } else {
        assertThat(open(v, fromText)).isEqualTo(encoded);
      }
    }
  }

  private static byte[] openValue(JsonNode v) {
    byte[] binary = v.has("binary") ? Hex.decode(v.get("binary").asText()) : ValueFormat.fromText(v.get("text").asText());
    return open(v, binary);
  }

  private static byte[] open(JsonNode v, byte[] binary) {
    return ValueFormat.open(new SecretKeySpec(Hex.decode(v.get("dek").asText()), "AES"),
        ValueFormat.aadPrefix(v.get("table").asText(), v.get("column").asText()),
        ValueFormat.aadRowPart(v.path("rowId").asText("")), binary);
  }

  private static void checkWrapped(JsonNode w) {
    try (RowKey key = openWrapped(w)) {
      assertThat(key.keyRef().toString()).isEqualTo(w.get("keyRef").asText());
      if (w.has("rowBound")) {
        assertThat(key.isRowBound()).isEqualTo(w.get("rowBound").asBoolean());
      }
    }
    byte[] companion = Hex.decode(w.get("companion").asText());
    WrappedDataKey parsed = WrappedDataKey.decode(companion);
    String rowId = w.path("rowId").asText("");
    WrapContext ctx = parsed.isRowBound() ? WrapContext.rowBound(w.get("table").asText(), rowId)
        : WrapContext.unbound(w.get("table").asText());
    AesGcmMasterKey master = AesGcmMasterKey.of(KeyRef.of(w.get("keyRef").asText()), Hex.decode(w.get("kek").asText()));
    DataKey dek = master.unwrap(parsed.wrappedKey(), ctx);
    assertThat(Hex.encode(dek.copyOfBytes())).isEqualTo(w.get("dek").asText());
    if (w.has("nonce")) {
      byte[] again = WrappedDataKey.encode(parsed.keyRef(), parsed.isRowBound(),
          InsecureNonceWrapping.wrap(master, dek, ctx, Hex.decode(w.get("nonce").asText())));
      assertThat(Hex.encode(again)).isEqualTo(w.get("companion").asText());
    }
  }

  /** Opens a vector's companion through the whole engine: RowSeal, key ring, table model. */
  private static RowKey openWrapped(JsonNode w) {
    AesGcmMasterKey master = AesGcmMasterKey.of(KeyRef.of(w.get("keyRef").asText()), Hex.decode(w.get("kek").asText()));
    EncryptedTable table = EncryptedTable.builder("t").logicalName(w.get("table").asText())
        .idColumns("id").column("c", String.class).build();
    RowSeal rowSeal = RowSeal.builder().keyRing(KeyRing.of(master)).table(table).build();
    String rowId = w.path("rowId").asText("");
    return rowSeal.openRowKey(table, rowId.isEmpty() ? RowId.unbound() : RowId.of(rowId),
        Hex.decode(w.get("companion").asText()));
  }

  private static Object plaintext(JsonNode v) {
    String p = v.get("plaintext").asText();
    switch (v.get("type").asText()) {
      case "string": return p;
      case "bytes": return Hex.decode(p);
      case "boolean": return Boolean.parseBoolean(p);
      case "int": return Integer.parseInt(p);
      case "long": return Long.parseLong(p);
      case "double": return Double.parseDouble(p);
      case "decimal": return new BigDecimal(p);
      case "biginteger": return new BigInteger(p);
      case "date": return LocalDate.parse(p);
      case "time": return LocalTime.parse(p);
      case "datetime": return LocalDateTime.parse(p);
      case "instant": return Instant.parse(p);
      case "offsetdatetime": return OffsetDateTime.parse(p);
      case "uuid": return UUID.fromString(p);
      case "enum": return VectorFileGenerator.CardBrand.valueOf(p);
      default: throw new AssertionError("unknown vector type " + v.get("type").asText());
    }
  }
}
