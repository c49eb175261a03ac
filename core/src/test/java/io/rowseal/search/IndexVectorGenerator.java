package io.rowseal.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.StorageForm;
import io.rowseal.internal.Hex;
import io.rowseal.key.DataKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Writes {@code docs/vectors/search/rowseal-index-v1.json}: blind-index known-answer vectors, reproducible
 * (each key is SHA-256 of a label). Regenerate with {@link #main} after a deliberate format change.
 */
public final class IndexVectorGenerator {
  private IndexVectorGenerator() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/vectors/search/rowseal-index-v1.json");
    Files.writeString(out, render());
  }

  static String render() throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("format", "rowseal-index-vectors/1");
    ArrayNode list = root.putArray("indexes");
    add(list, "string none full", "customers", "email", Normalization.NONE, 256, 1, "a@x.com");
    add(list, "string lowercase full", "customers", "email", Normalization.LOWERCASE, 256, 1, "A@X.COM");
    add(list, "string lowercase 64 bits", "customers", "email", Normalization.LOWERCASE, 64, 1, "A@X.COM");
    add(list, "string lowercase-trim 12 bits (4 low bits zero)", "customers", "email", Normalization.LOWERCASE_TRIM,
        12, 2, "  Bob@Example.ORG ");
    add(list, "string trim 8 bits", "customers", "code", Normalization.TRIM, 8, 7, " X-1 ");
    add(list, "string digits full", "customers", "phone", Normalization.DIGITS, 256, 1, "+33 (0)1 23-45");
    add(list, "string none, non-ASCII names", "clients_é", "courriel_ü", Normalization.NONE, 256, 3, "Ünïcode-€");
    add(list, "string empty after digits", "customers", "phone", Normalization.DIGITS, 256, 1, "n/a");
    add(list, "long full", "cards", "account", Normalization.NONE, 256, 1, 4111111111111111L);
    add(list, "long version 2147483647", "cards", "account", Normalization.NONE, 100, Integer.MAX_VALUE, -1L);
    return mapper.writeValueAsString(root) + "\n";
  }

  private static void add(ArrayNode list, String name, String table, String column, Normalization n, int bits,
      int version, Object plaintext) {
    byte[] keyBytes = sha256("rowseal index vector key " + name);
    DataKey key = DataKey.copyOf(keyBytes);
    EncryptedColumn c = column(table, column, plaintext.getClass(), n, bits);
    byte[] encoded = BlindIndex.normalisedEncoding(c, plaintext);
    ObjectNode o = list.addObject();
    o.put("name", name);
    o.put("key", Hex.encode(keyBytes));
    o.put("version", version);
    o.put("table", table);
    o.put("column", column);
    o.put("type", plaintext instanceof String ? "string" : "long");
    o.put("normalize", n.configName());
    o.put("bits", bits);
    o.put("plaintext", plaintext.toString());
    o.put("encoded", Hex.encode(encoded));
    o.put("index", Hex.encode(BlindIndex.compute(key, version, table, column, bits, encoded)));
  }

  static EncryptedColumn column(String table, String column, Class<?> type, Normalization n, int bits) {
    return EncryptedTable.builder("t").logicalName(table).idColumns("id")
        .column("c", type, StorageForm.BINARY, column)
        .search("c", SearchIndex.in("c_idx").normalize(n).bits(bits))
        .build().column("c");
  }

  static byte[] sha256(String label) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
