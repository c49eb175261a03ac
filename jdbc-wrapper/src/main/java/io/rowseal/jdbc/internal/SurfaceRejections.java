package io.rowseal.jdbc.internal;

import io.rowseal.EncryptedTable;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The refusals of RowSeal's JDBC wrappers themselves (as opposed to {@link Rejections}, which explain rejected
 * statement texts): a GUARDED method on a wrapper over an encrypted table, an updatable result set over one,
 * and {@code unwrap} to a driver object. Each is a {@link SQLFeatureNotSupportedException} with SQLState
 * {@code 0A000} naming the method, the table where known, and the way out. Stateless; thread-safe.
 */
final class SurfaceRejections {
  private static final String PREFIX = "RowSeal does not support ";
  private static final String BYPASS = "use the DataSource you wrapped (the undecorated one) explicitly for work that"
      + " must not go through RowSeal";

  private SurfaceRejections() {}

  /**
   * What a plan's statements and results are over, for messages: {@code "encrypted table cards"},
   * {@code "encrypted tables a, b"} or {@code "an encrypted table"}; null if the text names no encrypted table.
   */
  static @Nullable String over(StatementPlan plan, List<EncryptedTable> tables) {
    if (!plan.touchesEncryptedTable()) {
      return null;
    }
    Set<String> names = new LinkedHashSet<>();
    if (plan instanceof WritePlan) {
      names.add(((WritePlan) plan).table().name());
    } else if (plan instanceof SelectPlan) {
      for (SelectPlan.Source s : ((SelectPlan) plan).sources()) {
        names.add(s.table.name());
      }
    } else {
      // a checked plan keeps no table; only on the failure path, so scanning its text here costs nothing per row
      for (EncryptedTable t : tables) {
        if (namesWord(plan.sql(), t.name())) {
          names.add(t.name());
        }
      }
    }
    if (names.isEmpty()) {
      return "an encrypted table";
    }
    return (names.size() == 1 ? "encrypted table " : "encrypted tables ") + String.join(", ", names);
  }

  /** {@code method} (as {@code "ResultSet.updateString"}) refused on a wrapper over {@code over}. */
  static SQLFeatureNotSupportedException method(String method, String over) {
    return new SQLFeatureNotSupportedException(PREFIX + method + " on statements and results over " + over + ": "
        + wayOut(method), SqlErrors.UNSUPPORTED_STATEMENT);
  }

  private static String wayOut(String method) {
    String name = method.substring(method.indexOf('.') + 1);
    if (method.startsWith("ResultSet.")) {
      return "an updatable result set would write or re-read rows past RowSeal's encryption. Change rows with a prepared"
          + " INSERT, UPDATE ... WHERE id = ? or DELETE through RowSeal (" + name + " is refused)";
    }
    if (name.equals("setMaxFieldSize")) {
      return "a field size limit would truncate stored ciphertext, which then cannot be decrypted; leave it unset";
    }
    if (name.equals("setCursorName")) {
      return "positioned updates (WHERE CURRENT OF) would change rows past RowSeal's encryption; update by id instead";
    }
    return "RowSeal cannot prove it safe for encrypted data. Use the JDBC calls RowSeal supports, or " + BYPASS;
  }

  /** An updatable result set ({@code CONCUR_UPDATABLE}) asked for over {@code over}. */
  static SQLFeatureNotSupportedException updatable(String over) {
    return new SQLFeatureNotSupportedException(PREFIX + "updatable result sets (CONCUR_UPDATABLE) over " + over
        + ": updateRow, insertRow and deleteRow would write past RowSeal's encryption. Query with a read-only"
        + " statement and change rows with UPDATE ... WHERE id = ?", SqlErrors.UNSUPPORTED_STATEMENT);
  }

  /**
   * {@code self} as {@code iface} if it implements it; otherwise refused: the driver's own objects bypass
   * encryption and decryption, so RowSeal never hands them out.
   */
  static <T> T unwrap(Object self, Class<T> iface, String what) throws SQLException {
    if (iface.isInstance(self)) {
      return iface.cast(self);
    }
    throw new SQLFeatureNotSupportedException(PREFIX + "unwrapping a " + what + " to " + iface.getName()
        + ": the driver's own objects bypass RowSeal's encryption and decryption (a write through them would store"
        + " plaintext). Use the standard JDBC interfaces, or " + BYPASS, SqlErrors.UNSUPPORTED_STATEMENT);
  }

  /** Whether {@code word} appears in {@code text} as a whole identifier, ignoring case. */
  static boolean namesWord(String text, String word) {
    int n = word.length();
    for (int at = indexOfIgnoreCase(text, word, 0); at >= 0; at = indexOfIgnoreCase(text, word, at + 1)) {
      int end = at + n;
      if ((at == 0 || !isWordChar(text.charAt(at - 1))) && (end == text.length() || !isWordChar(text.charAt(end)))) {
        return true;
      }
    }
    return false;
  }

  private static int indexOfIgnoreCase(String text, String word, int from) {
    for (int i = from; i + word.length() <= text.length(); i++) {
      if (text.regionMatches(true, i, word, 0, word.length())) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  /** Hidden companion columns of {@code tables}: lower-cased {@code table + '\0' + companion}, unqualified. */
  static Set<String> companions(Iterable<EncryptedTable> tables) {
    Set<String> keys = new java.util.HashSet<>();
    for (EncryptedTable t : tables) {
      keys.add(companionKey(t.name(), t.companionColumn()));
    }
    return keys;
  }

  static String companionKey(String table, String column) {
    String t = Names.key(table);
    int dot = t.lastIndexOf('.');
    return (dot >= 0 ? t.substring(dot + 1) : t) + '\0' + Names.key(column);
  }
}
