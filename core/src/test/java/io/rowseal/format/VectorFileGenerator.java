package io.rowseal.format;

import io.rowseal.key.InsecureNonceWrapping;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowseal.RowId;
import io.rowseal.internal.Hex;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.DataKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.WrapContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes {@code docs/vectors/rowseal-v1.json}, the known-answer vectors of format version 1, from fixed
 * keys and nonces (each derived as SHA-256 of a label), so the file is reproducible byte for byte.
 * {@code VectorsTest} checks that the committed file equals what this writes. Run from the repository
 * root after a deliberate format addition:
 * {@code ./mvnw -q -pl core test-compile exec:java} is not configured; use
 * {@code VectorsTest#committedFile_matchesGenerator} failure output, or run {@link #main} from an IDE.
 */
public final class VectorFileGenerator {
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The enum used by the enum vectors. */
  public enum CardBrand { VISA, MASTERCARD }

  private VectorFileGenerator() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/vectors/rowseal-v1.json");
    Files.writeString(out, render());
    System.out.println("wrote " + out);
  }

  /** The file's exact text. */
  public static String render() throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    return mapper.writeValueAsString(build()) + "\n";
  }

  static ObjectNode build() {
    ObjectNode root = JSON.objectNode();
    root.put("format", "rowseal-vectors/1");
    root.put("description", "RowSeal format version 1 known-answer vectors. See docs/FORMAT.md and docs/vectors/README.md.");
    ArrayNode values = root.putArray("values");
    ArrayNode wrapped = root.putArray("wrappedKeys");
    ArrayNode invalid = root.putArray("invalid");

    byte[] dek = derive("dek 1", 32);
    Object[][] typed = {
        {"string", "4111111111111111"},
        {"string", ""},
        {"string", "Zoë 😀 e\u0301"},
        {"bytes", new byte[] {0x00, (byte) 0xff, 0x10}},
        {"bytes", new byte[0]},
        {"boolean", true},
        {"boolean", false},
        {"int", -123456789},
        {"int", Integer.MAX_VALUE},
        {"long", Long.MIN_VALUE},
        {"long", 42L},
        {"double", -0.0d},
        {"double", 3.141592653589793d},
        {"decimal", new BigDecimal("1234.50")},
        {"decimal", new BigDecimal("-1E+3")},
        {"biginteger", new BigInteger("-170141183460469231731687303715884105728")},
        {"biginteger", BigInteger.ZERO},
        {"date", LocalDate.of(1969, 12, 31)},
        {"date", LocalDate.of(2024, 2, 29)},
        {"time", LocalTime.of(23, 59, 59, 999_999_999)},
        {"datetime", LocalDateTime.of(2026, 11, 23, 14, 5, 6, 7_000)},
        {"instant", Instant.parse("1969-07-20T20:17:40.123456789Z")},
        {"offsetdatetime", OffsetDateTime.of(2026, 11, 23, 9, 30, 0, 0, ZoneOffset.ofHoursMinutes(5, 30))},
        {"uuid", UUID.fromString("123e4567-e89b-42d3-a456-426614174000")},
        {"enum", CardBrand.MASTERCARD},
    };
    String[] rowIds = {"42", ""};
    int n = 0;
    for (String rowId : rowIds) {
      for (Object[] t : typed) {
        String name = t[0] + " #" + (n++) + (rowId.isEmpty() ? " unbound row" : " row-bound");
        values.add(value(name, dek, "cards", "card_number", rowId, (String) t[0], t[1]));
      }
    }
    values.add(value("string, UUID row id", dek, "customers", "national_id",
        RowId.of(UUID.fromString("0b5e7d3c-9a4f-4f6e-8c1d-2e3f4a5b6c7d")).value(), "string", "AB123456C"));
    values.add(value("string, composite row id ctx(7, eu) in hex", dek, "accounts", "iban",
        RowId.composite(7, "eu").value(), "string", "DE89370400440532013000"));
    values.add(value("string, non-ASCII table and column", dek, "kundenkarten", "prüfziffer", "1", "string", "123"));

    byte[] kek = derive("kek 1", 32);
    byte[] dek2 = derive("dek 2", 32);
    wrapped.add(wrappedKey("local, row-bound", kek, "local:k1", "cards", "42", dek));
    wrapped.add(wrappedKey("local, unbound", kek, "local:k1", "cards", "", dek));
    wrapped.add(wrappedKey("kek, row-bound to a UUID row", derive("kek 2", 32),
        "kek:4f1c2b9e-7d3a-4c5b-9e8f-0a1b2c3d4e5f", "customers", "0b5e7d3c-9a4f-4f6e-8c1d-2e3f4a5b6c7d", dek2));
    wrapped.add(wrappedKey("local, long alias", kek, "local:" + "a".repeat(200), "cards", "9", dek2));
    // Hierarchical mode's other half: the rowseal_kek row of the KEK above, its wrapped_kek column made
    // by master key local:k1 for table rowseal_kek and row id = the KEK's UUID.
    wrapped.add(wrappedKey("hierarchical: rowseal_kek row 4f1c2b9e-… (the KEK above) wrapped by local:k1", kek,
        "local:k1", "rowseal_kek", "4f1c2b9e-7d3a-4c5b-9e8f-0a1b2c3d4e5f", derive("kek 2", 32)));

    ObjectNode good = (ObjectNode) values.get(0);
    invalid.add(badValue(good, "value: tag bit flipped", flip(hex(good, "binary"), -1, 0x01)));
    invalid.add(badValue(good, "value: nonce bit flipped", flip(hex(good, "binary"), 1, 0x80)));
    invalid.add(badValue(good, "value: ciphertext bit flipped", flip(hex(good, "binary"), 13, 0x01)));
    invalid.add(badValue(good, "value: type tag byte of the plaintext changed under the ciphertext", flip(hex(good, "binary"), 13, 0x04)));
    invalid.add(badValue(good, "value: unknown format version 0x02", set(hex(good, "binary"), 0, 0x02)));
    invalid.add(badValue(good, "value: truncated by one byte", Arrays.copyOf(hex(good, "binary"), hex(good, "binary").length - 1)));
    invalid.add(badValue(good, "value: shorter than version, nonce and tag (28 bytes)", Arrays.copyOf(hex(good, "binary"), 28)));
    invalid.add(badValue(good, "value: empty", new byte[0]));
    invalid.add(moved(good, "value: moved to another column", "column", "cvv"));
    invalid.add(moved(good, "value: moved to another table", "table", "cards_archive"));
    invalid.add(moved(good, "value: moved to another row", "rowId", "43"));
    invalid.add(moved(good, "value: row-bound value read as unbound", "rowId", ""));
    ObjectNode unbound = (ObjectNode) values.get(typed.length);
    invalid.add(moved(unbound, "value: unbound value read as row-bound", "rowId", "42"));
    String text = good.get("text").asText();
    invalid.add(badText(good, "text: no rs1: prefix", text.substring(4)));
    invalid.add(badText(good, "text: rs2: prefix", "rs2:" + text.substring(4)));
    invalid.add(badText(good, "text: padding removed", text.replace("=", "")));
    invalid.add(badText(good, "text: line break inside", text.substring(0, 20) + "\n" + text.substring(20)));
    invalid.add(badText(good, "text: URL-safe alphabet", "rs1:" + Base64.getUrlEncoder().encodeToString(hex(good, "binary"))
        .replace('A', '-')));
    invalid.add(badText(good, "text: character changed", text.substring(0, 10) + (text.charAt(10) == 'A' ? 'B' : 'A') + text.substring(11)));

    ObjectNode w = (ObjectNode) wrapped.get(0);
    invalid.add(badWrap(w, "wrapped key: moved to another row", "rowId", "43", null));
    invalid.add(badWrap(w, "wrapped key: moved to another table", "table", "customers", null));
    byte[] comp = hex(w, "companion");
    invalid.add(badWrap(w, "wrapped key: row-bound flag cleared", null, null, set(comp, 1, 0x00)));
    invalid.add(badWrap(w, "wrapped key: unknown flag bit 0x02 set", null, null, set(comp, 1, 0x03)));
    invalid.add(badWrap(w, "wrapped key: unknown format version 0x02", null, null, set(comp, 0, 0x02)));
    invalid.add(badWrap(w, "wrapped key: key reference length 0", null, null, set(comp, 2, 0x00)));
    invalid.add(badWrap(w, "wrapped key: key reference length past the end", null, null, set(comp, 2, 0xff)));
    byte[] relabelled = comp.clone();
    relabelled[3 + "local:k".length()] = '2';
    ObjectNode rel = badWrap(w, "wrapped key: relabelled to local:k2 (same key bytes)", null, null, relabelled);
    rel.put("keyRef", "local:k2");
    invalid.add(rel);
    invalid.add(badWrap(w, "wrapped key: tag bit flipped", null, null, flip(comp, -1, 0x01)));
    invalid.add(badWrap(w, "wrapped key: wrap nonce bit flipped", null, null, flip(comp, 3 + 8, 0x01)));
    invalid.add(badWrap(w, "wrapped key: truncated by one byte", null, null, Arrays.copyOf(comp, comp.length - 1)));
    invalid.add(badWrap(w, "wrapped key: header only", null, null, Arrays.copyOf(comp, 3 + 8)));
    ObjectNode wrongKek = badWrap(w, "wrapped key: opened with another key under the same reference", null, null, null);
    wrongKek.put("kek", Hex.encode(derive("kek 2", 32)));
    invalid.add(wrongKek);
    return root;
  }

  private static ObjectNode value(String name, byte[] dek, String table, String column, String rowId, String type, Object plain) {
    byte[] encoded = PlaintextCodec.encode(plain);
    byte[] nonce = derive("nonce " + name, 12);
    byte[] binary = ValueFormat.sealWithNonce(new SecretKeySpec(dek, "AES"), ValueFormat.aadPrefix(table, column),
        ValueFormat.aadRowPart(rowId), encoded, nonce);
    ObjectNode v = JSON.objectNode();
    v.put("name", name);
    v.put("dek", Hex.encode(dek));
    v.put("table", table);
    v.put("column", column);
    v.put("rowId", rowId);
    v.put("type", type);
    if (plain instanceof byte[]) {
      v.put("plaintext", Hex.encode((byte[]) plain));
    } else if (plain instanceof Enum) {
      v.put("plaintext", ((Enum<?>) plain).name());
      v.put("enumType", plain.getClass().getName());
    } else {
      v.put("plaintext", plain.toString());
    }
    v.put("encoded", Hex.encode(encoded));
    v.put("nonce", Hex.encode(nonce));
    v.put("binary", Hex.encode(binary));
    v.put("text", ValueFormat.toText(binary));
    return v;
  }

  private static ObjectNode wrappedKey(String name, byte[] kek, String keyRef, String table, String rowId, byte[] dek) {
    KeyRef ref = KeyRef.of(keyRef);
    AesGcmMasterKey master = AesGcmMasterKey.of(ref, kek);
    boolean bound = !rowId.isEmpty();
    WrapContext ctx = bound ? WrapContext.rowBound(table, rowId) : WrapContext.unbound(table);
    byte[] nonce = derive("wrap nonce " + name, 12);
    byte[] w = InsecureNonceWrapping.wrap(master, DataKey.copyOf(dek), ctx, nonce);
    ObjectNode v = JSON.objectNode();
    v.put("name", name);
    v.put("kek", Hex.encode(kek));
    v.put("keyRef", keyRef);
    v.put("table", table);
    v.put("rowId", rowId);
    v.put("rowBound", bound);
    v.put("dek", Hex.encode(dek));
    v.put("nonce", Hex.encode(nonce));
    v.put("companion", Hex.encode(WrappedDataKey.encode(ref, bound, w)));
    return v;
  }

  private static ObjectNode badValue(ObjectNode good, String name, byte[] binary) {
    ObjectNode v = base(good, name, "value");
    v.put("binary", Hex.encode(binary));
    return v;
  }

  private static ObjectNode moved(ObjectNode good, String name, String field, String to) {
    ObjectNode v = base(good, name, "value");
    v.put(field, to);
    v.put("binary", good.get("binary").asText());
    return v;
  }

  private static ObjectNode badText(ObjectNode good, String name, String text) {
    ObjectNode v = base(good, name, "value");
    v.put("text", text);
    return v;
  }

  private static ObjectNode base(ObjectNode good, String name, String kind) {
    ObjectNode v = JSON.objectNode();
    v.put("name", name);
    v.put("kind", kind);
    v.put("reason", name.substring(name.indexOf(':') + 2));
    for (String f : new String[] {"dek", "table", "column", "rowId", "type", "plaintext"}) {
      v.set(f, good.get(f));
    }
    return v;
  }

  private static ObjectNode badWrap(ObjectNode good, String name, String field, String to, byte[] companion) {
    ObjectNode v = JSON.objectNode();
    v.put("name", name);
    v.put("kind", "wrappedKey");
    v.put("reason", name.substring(name.indexOf(':') + 2));
    for (String f : new String[] {"kek", "keyRef", "table", "rowId", "rowBound", "dek"}) {
      v.set(f, good.get(f));
    }
    if (field != null) {
      v.put(field, to);
    }
    v.put("companion", companion != null ? Hex.encode(companion) : good.get("companion").asText());
    return v;
  }

  private static byte[] hex(ObjectNode node, String field) {
    return Hex.decode(node.get(field).asText());
  }

  private static byte[] flip(byte[] b, int index, int mask) {
    byte[] c = b.clone();
    int i = index < 0 ? c.length + index : index;
    c[i] ^= (byte) mask;
    return c;
  }

  private static byte[] set(byte[] b, int index, int value) {
    byte[] c = b.clone();
    c[index] = (byte) value;
    return c;
  }

  static byte[] derive(String label, int length) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(("rowseal test vector " + label).getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(h, length);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
