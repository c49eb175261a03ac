package io.rowseal.oracle;

import io.rowseal.StorageForm;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks on what the encrypted copy stores and on what the wrapper says: every non-NULL encrypted value
 * is a well-formed RowSeal value, a row with one has a companion, no canary plaintext anywhere (as text,
 * UTF-8 bytes, hex or Base64), and no canary, ciphertext or long hex/Base64 blob in exception messages.
 */
final class Leaks {
  private static final String CANARY = "CANARY";
  private static final String CANARY_HEX = "43414e415259";
  private static final List<String> CANARY_BASE64 = base64Patterns("CANARY-");
  private static final Pattern HEX_BLOB = Pattern.compile("(?i)(\\\\x|0x)?[0-9a-f]{32,}");
  private static final Pattern BASE64_BLOB = Pattern.compile("[A-Za-z0-9+/]{32,}={0,2}");
  private static final int MIN_VALUE_LENGTH = 29;

  private Leaks() {}

  /** The Base64 fragments that encode {@code s} at each of the three byte alignments. */
  private static List<String> base64Patterns(String s) {
    byte[] text = s.getBytes(StandardCharsets.US_ASCII);
    List<String> out = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      byte[] buf = new byte[k + text.length + 3];
      System.arraycopy(text, 0, buf, k, text.length);
      String enc = Base64.getEncoder().encodeToString(buf);
      int first = (8 * k + 5) / 6;
      int last = (8 * (k + text.length)) / 6 - 1;
      out.add(enc.substring(first, last + 1));
    }
    return out;
  }

  /** Problems in one raw snapshot of the encrypted copy. */
  static List<String> stored(Snapshot raw) {
    Map<String, List<String>> problems = new java.util.LinkedHashMap<>();
    for (Snapshot.Table t : raw.tables().values()) {
      Map<String, StorageForm> encrypted = Schema.ENCRYPTED.getOrDefault(t.name(), Map.of());
      int companion = encrypted.isEmpty() ? -1 : t.column(Schema.COMPANION);
      for (Object[] row : t.raw()) {
        String rowId = Exec.canonical(row[0]);
        boolean anyEncrypted = false;
        for (int i = 0; i < row.length; i++) {
          Object v = row[i];
          String column = t.labels().get(i);
          if (v == null) {
            continue;
          }
          if (containsCanary(v)) {
            add(problems, "canary plaintext stored in " + t.name() + "." + column, rowId);
          }
          StorageForm form = encrypted.get(column);
          if (form != null) {
            anyEncrypted = true;
            if (!wellFormedValue(v, form)) {
              add(problems, "not a RowSeal value in " + t.name() + "." + column, rowId);
            }
          }
        }
        if (anyEncrypted) {
          Object dek = companion < 0 ? null : row[companion];
          if (dek == null) {
            add(problems, "encrypted values without a companion in " + t.name(), rowId);
          } else if (!wellFormedCompanion(dek)) {
            add(problems, "malformed companion in " + t.name(), rowId);
          }
        }
      }
    }
    List<String> out = new ArrayList<>();
    problems.forEach((problem, rows) -> out.add(problem + " (rows " + String.join(", ", rows.size() > 5
        ? rows.subList(0, 5) : rows) + (rows.size() > 5 ? ", ..." : "") + ")"));
    return out;
  }

  private static void add(Map<String, List<String>> problems, String problem, String rowId) {
    problems.computeIfAbsent(problem, k -> new ArrayList<>()).add(rowId);
  }

  static boolean containsCanary(Object v) {
    String s = v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : v.toString();
    String upper = s.toUpperCase(Locale.ROOT);
    if (upper.contains(CANARY) || s.toLowerCase(Locale.ROOT).contains(CANARY_HEX)) {
      return true;
    }
    if (v instanceof byte[] b && new String(b, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT).contains(CANARY)) {
      return true;
    }
    for (String p : CANARY_BASE64) {
      if (s.contains(p)) {
        return true;
      }
    }
    return false;
  }

  private static boolean wellFormedValue(Object v, StorageForm form) {
    byte[] bytes;
    if (form == StorageForm.BINARY) {
      if (!(v instanceof byte[] b)) {
        return false;
      }
      bytes = b;
    } else {
      if (!(v instanceof String s) || !s.startsWith("rs1:") || (s.length() - 4) % 4 != 0) {
        return false;
      }
      try {
        bytes = Base64.getDecoder().decode(s.substring(4));
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return bytes.length >= MIN_VALUE_LENGTH && bytes[0] == 0x01;
  }

  private static boolean wellFormedCompanion(Object v) {
    if (!(v instanceof byte[] b) || b.length < 4) {
      return false;
    }
    int n = b[2] & 0xff;
    return b[0] == 0x01 && (b[1] == 0 || b[1] == 1) && n >= 1 && b.length > 3 + n;
  }

  /** Problems in the messages of an exception the wrapper raised (its whole cause and next-exception chain). */
  static List<String> message(Throwable error) {
    List<String> problems = new ArrayList<>();
    Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> todo = new ArrayList<>(List.of(error));
    while (!todo.isEmpty() && seen.size() < 20) {
      Throwable t = todo.remove(todo.size() - 1);
      if (t == null || !seen.add(t)) {
        continue;
      }
      String m = t.getMessage();
      if (m != null) {
        if (m.toUpperCase(Locale.ROOT).contains(CANARY)) {
          problems.add("exception message contains a canary");
        } else if (m.contains("rs1:")) {
          problems.add("exception message contains a text-form ciphertext");
        } else if (HEX_BLOB.matcher(m).find()) {
          problems.add("exception message contains a hex blob");
        } else if (BASE64_BLOB.matcher(m).find()) {
          problems.add("exception message contains a Base64 blob");
        }
      }
      todo.add(t.getCause());
      if (t instanceof SQLException s) {
        todo.add(s.getNextException());
      }
    }
    return problems;
  }
}
