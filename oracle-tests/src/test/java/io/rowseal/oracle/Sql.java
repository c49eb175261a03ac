package io.rowseal.oracle;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The little lexical work the oracle itself needs: finding JDBC {@code ?} placeholders outside quotes and
 * comments (to count them and to inline parameters as literals for the Statement variant of a case), and
 * finding an {@code ORDER BY} at the top level (to decide whether result rows are compared in order).
 * Deliberately independent of the engine's parser.
 */
final class Sql {
  private static final Pattern ORDER_BY = Pattern.compile("\\border\\s+by\\b");

  private Sql() {}

  /** Calls {@code visitor} for each character outside string literals, quoted identifiers and comments. */
  private interface Visitor {
    void code(int index, char c, int depth);
  }

  private static void scan(String sql, Visitor visitor) {
    int depth = 0;
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int j = i + 1;
        while (j < n) {
          if (sql.charAt(j) == c) {
            if (j + 1 < n && sql.charAt(j + 1) == c) {
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        i = j;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 1;
      } else {
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
        }
        visitor.code(i, c, depth);
      }
    }
  }

  /** The number of {@code ?} placeholders. */
  static int placeholders(String sql) {
    int[] count = {0};
    scan(sql, (i, c, d) -> {
      if (c == '?') {
        count[0]++;
      }
    });
    return count[0];
  }

  /** {@code sql} with each placeholder replaced by the literal of the parameter in its position. */
  static String inline(String sql, List<Object> params) {
    StringBuilder out = new StringBuilder(sql);
    java.util.List<Integer> positions = new java.util.ArrayList<>();
    scan(sql, (i, c, d) -> {
      if (c == '?') {
        positions.add(i);
      }
    });
    if (positions.size() != params.size()) {
      throw new IllegalArgumentException(positions.size() + " placeholders but " + params.size() + " parameters");
    }
    for (int k = positions.size() - 1; k >= 0; k--) {
      int at = positions.get(k);
      out.replace(at, at + 1, literal(params.get(k)));
    }
    return out.toString();
  }

  static String literal(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof String s) {
      return "'" + s.replace("'", "''") + "'";
    }
    return value.toString();
  }

  /** Whether an {@code ORDER BY} appears outside parentheses, strings and comments. */
  static boolean hasTopLevelOrderBy(String sql) {
    StringBuilder top = new StringBuilder();
    scan(sql, (i, c, d) -> top.append(d == 0 && c != ')' ? c : ' '));
    return ORDER_BY.matcher(top.toString().toLowerCase(Locale.ROOT)).find();
  }
}
